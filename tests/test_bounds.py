"""Analysis time and memory grow with the size of the input, not with a product of sizes.

Each case generates one hostile file at two sizes, a quarter and the whole, and analyses both
through `analyze_source`. A linear analysis takes about four times the CPU time and memory on
the larger file; a quadratic one sixteen times. The bound asserted, eight times, sits between
them, so a slow spell of a shared machine does not fail it while a quadratic step does. No
absolute timing is asserted.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from secreview.analysis import analyze_source, scan
from secreview.config import Config
from secreview.engine import taint
from secreview.engine.strings import MAX_SEGMENTS
from secreview.engine.walker import Walker
from secreview.findings import Confidence, FileResult

LINEAR_RATIO_BOUND = 8.0  # between linear (4) and quadratic (16) for a 4x larger input
# The label cap of the tests: the real one (1,024) lets a chain grow quadratically up to 1,024
# steps, which is longer than the unit suite can afford to run; the bound is the same.
TEST_LABEL_CAP = 64


@pytest.fixture(autouse=True)
def small_label_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taint, "MAX_LABELS", TEST_LABEL_CAP)


def repeated_concatenation(n: int) -> str:
    """`y = y + p`, n times, then the query runs: the shape of `y` grows by one hole a line."""
    body = "".join("    y = y + p\n" for _ in range(n))
    return (
        f"def report(cur, p):\n    y = 'SELECT name FROM users WHERE '\n{body}    cur.execute(y)\n"
    )


def conditional_chain(n: int) -> str:
    """Each value is the previous one or a new request parameter: n sources reach the end."""
    lines = [
        "import os",
        "from flask import request",
        "",
        "def build():",
        "    v0 = request.args.get('start')",
    ]
    lines += [f"    v{i + 1} = v{i} if v{i} else request.args.get('k{i}')" for i in range(n)]
    lines.append(f"    os.system(v{n})")
    return "\n".join(lines) + "\n"


def percent_format(n: int) -> str:
    """One `%` template with n conversions and n values."""
    template = "INSERT INTO log VALUES (" + ", ".join(["%s"] * n) + ")"
    values = ", ".join(f"row[{i}]" for i in range(n))
    return f"def store(cur, row):\n    q = '{template}' % ({values})\n    cur.execute(q)\n"


def long_fstring(n: int) -> str:
    """An f-string of n inserted values."""
    parts = " OR ".join(f"c{i} = {{row[{i}]}}" for i in range(n))
    return f"def find(cur, row):\n    cur.execute(f'SELECT * FROM t WHERE {parts}')\n"


def many_flow_findings(n: int) -> str:
    """n sinks fed by one request parameter: n flow findings in one file."""
    lines = ["import os", "from flask import request", "", "def run():"]
    lines.append("    name = request.args['name']")
    lines += [f"    os.system('tool --step {i} ' + name)" for i in range(n)]
    return "\n".join(lines) + "\n"


def measure(text: str) -> tuple[float, int, FileResult]:
    """CPU seconds (without tracing) and peak traced memory of analysing `text`."""
    gc.collect()
    started = time.process_time()
    result = analyze_source(text, "hostile.py")
    seconds = time.process_time() - started
    tracemalloc.start()
    try:
        analyze_source(text, "hostile.py")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, peak, result


CASES: dict[str, tuple[Callable[[int], str], int]] = {
    "repeated concatenation": (repeated_concatenation, 400),
    "conditional chain": (conditional_chain, 300),
    "percent format": (percent_format, 1000),
    "long f-string": (long_fstring, 500),
    "many flow findings": (many_flow_findings, 300),
}


@pytest.mark.parametrize("case", list(CASES))
def test_time_and_memory_grow_linearly(case: str) -> None:
    generate, size = CASES[case]
    analyze_source("import os\n", "warm.py")  # models and rules loaded before timing
    small_seconds, small_peak, _ = measure(generate(size))
    large_seconds, large_peak, _ = measure(generate(size * 4))
    # A floor on the small run keeps timer resolution out of the ratio.
    time_ratio = large_seconds / max(small_seconds, 0.02)
    memory_ratio = large_peak / small_peak
    assert time_ratio < LINEAR_RATIO_BOUND, f"{case}: {time_ratio:.1f}x the time for 4x input"
    assert memory_ratio < LINEAR_RATIO_BOUND, f"{case}: {memory_ratio:.1f}x the memory"


def test_widened_labels_are_reported_and_lower_confidence() -> None:
    result = analyze_source(conditional_chain(TEST_LABEL_CAP * 2), "hostile.py")
    [finding] = [f for f in result.findings if f.cwe == 78 and f.rule_id == "SR901"]
    assert finding.line == TEST_LABEL_CAP * 2 + 6
    assert finding.confidence == Confidence.MEDIUM
    assert "widened" in finding.evidence
    [bound] = [d for d in result.diagnostics if d.kind == "analysis-bound"]
    assert bound.path == "hostile.py"
    assert "build" in bound.message


def test_chain_under_the_label_cap_is_not_widened() -> None:
    result = analyze_source(conditional_chain(TEST_LABEL_CAP // 2), "hostile.py")
    [finding] = [f for f in result.findings if f.cwe == 78 and f.rule_id == "SR901"]
    assert finding.confidence == Confidence.HIGH
    assert not [d for d in result.diagnostics if d.kind == "analysis-bound"]


def test_long_built_query_is_still_reported() -> None:
    """Cutting a shape at its segment cap keeps the untrusted holes of the tail."""
    result = analyze_source(repeated_concatenation(2000), "hostile.py")
    [finding] = [f for f in result.findings if f.cwe == 89]
    assert finding.line == 2003


def test_every_flow_finding_is_kept() -> None:
    n = 300
    result = analyze_source(many_flow_findings(n), "hostile.py")
    lines = sorted(f.line for f in result.findings if f.cwe == 78 and f.rule_id == "SR901")
    assert lines == list(range(6, 6 + n))


def test_running_out_of_memory_reports_the_file_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a memory limit, a file whose analysis cannot get memory is reported and skipped."""
    hostile = tmp_path / "hostile.py"
    hostile.write_text(conditional_chain(10))
    (tmp_path / "app.py").write_text("import os\n\nos.system(input())\n")
    real_run = Walker.run

    def run_out_of_memory(walker: Walker) -> None:
        if walker.parsed.path.endswith("hostile.py"):
            raise MemoryError
        real_run(walker)

    monkeypatch.setattr(Walker, "run", run_out_of_memory)
    result = scan([tmp_path], Config(root=tmp_path), jobs=1)
    [bound] = [d for d in result.all_diagnostics if d.kind == "analysis-bound"]
    assert bound.path.endswith("hostile.py")
    assert "memory" in bound.message
    assert [(f.path.rsplit("/", 1)[-1], f.line, f.cwe) for f in result.findings] == [
        ("app.py", 3, 78)
    ]


def test_query_built_past_the_segment_cap_has_medium_confidence() -> None:
    """Only the widened hole of a cut shape is untrusted: the finding rests on it alone."""
    head = "".join("    y = y + str(int(n))\n" for _ in range(MAX_SEGMENTS))
    text = (
        "def report(cur, n, p):\n    y = 'SELECT name FROM users WHERE id IN ('\n"
        f"{head}    y = y + p\n    cur.execute(y)\n"
    )
    result = analyze_source(text, "hostile.py")
    [finding] = [f for f in result.findings if f.cwe == 89]
    assert finding.line == MAX_SEGMENTS + 4
    assert finding.confidence == Confidence.MEDIUM


def test_an_fstring_too_large_for_the_parser_is_reported_not_parsed() -> None:
    from secreview.parsing.source import MAX_FSTRING_FIELDS

    fields = MAX_FSTRING_FIELDS + 1_000
    report = (
        "import os\n\n"
        "def render(row):\n"
        '    return f"' + "{row.name}|" * fields + '"\n\n'
        "def purge(path):\n"
        "    os.system(path)\n"
    )
    # The same number of braces in a dict display, which the parser reads in linear time.
    table = "TABLE = {" + ", ".join(f"{i}: {{}}" for i in range(fields // 2)) + "}\n"
    result = analyze_source(report, "app/report.py")
    if sys.version_info >= (3, 12):
        assert result.diagnostics == []
    else:
        (diagnostic,) = result.diagnostics
        assert diagnostic.kind == "too-complex" and diagnostic.line == 4
        assert f"{fields:,} replacement fields" in diagnostic.message
        assert "Python 3.12" in diagnostic.message
    assert analyze_source(table, "app/table.py").diagnostics == []


@pytest.mark.parametrize("ending", ["\r", "\r\n", "mixed"])
def test_an_fstring_too_large_for_the_parser_is_found_whatever_the_line_endings(
    ending: str,
) -> None:
    """The 10,000-file fuzz run: the parser splits lines at CR as at LF. Split at LF alone, the
    first line below (ending in a bare CR) hides the method's indentation, the next method
    dedents to a level the tokenizer never saw, and the f-string behind it went to the parser,
    which took up to 27 s on it."""
    from secreview.parsing.source import MAX_FSTRING_FIELDS

    fields = MAX_FSTRING_FIELDS + 1_000
    lines = [
        "class Report:",
        "    def header(self):",
        "        return 'id'",
        "    def render(self, row):",
        '        return f"' + "{row.name}|" * fields + '"',
    ]
    endings = ["\r", "\n", "\r\n", "\n", "\r"] if ending == "mixed" else [ending] * len(lines)
    if ending != "mixed":
        endings[0] = "\r"
    text = "".join(line + end for line, end in zip(lines, endings, strict=True))
    result = analyze_source(text, "app/report.py")
    if sys.version_info >= (3, 12):
        assert result.diagnostics == []
    else:
        (diagnostic,) = result.diagnostics
        assert diagnostic.kind == "too-complex" and diagnostic.line == 5
        assert f"{fields:,} replacement fields" in diagnostic.message
