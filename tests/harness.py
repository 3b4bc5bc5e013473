"""Inline expectations for rule fixtures (CodeQL-style).

A fixture is a small realistic module. A line that must produce a finding ends with
`# expect: SR201 CWE-78` (several separated by commas). Every other line must produce nothing,
for any rule. A first-line comment `# fixture-path: myapp/tests/test_x.py` sets the path the
module is analysed under (it decides whether it counts as test code); the default is
`app/<file name>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from secreview.analysis import analyze_source
from secreview.findings import FileResult

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
_EXPECT = re.compile(r"#\s*expect:\s*(?P<items>.+)$")
_ITEM = re.compile(r"(SR\d{3})\s+CWE-(\d+)")
_PATH = re.compile(r"^#\s*fixture-path:\s*(\S+)")


@dataclass(frozen=True, order=True)
class Expected:
    line: int
    rule_id: str
    cwe: int


def expectations(text: str) -> set[Expected]:
    found: set[Expected] = set()
    for number, line in enumerate(text.splitlines(), 1):
        match = _EXPECT.search(line)
        if match:
            items = _ITEM.findall(match.group("items"))
            assert items, f"line {number}: malformed expectation {match.group(0)!r}"
            found.update(Expected(number, rule, int(cwe)) for rule, cwe in items)
    return found


def fixture_path(text: str, file: Path) -> str:
    match = _PATH.match(text)
    return match.group(1) if match else f"app/{file.name}"


def analyse_fixture(file: Path) -> tuple[FileResult, set[Expected], set[Expected]]:
    text = file.read_text(encoding="utf-8")
    result = analyze_source(text, fixture_path(text, file))
    actual = {Expected(f.line, f.rule_id, f.cwe) for f in result.findings}
    return result, expectations(text), actual


def all_fixtures() -> list[Path]:
    return sorted(FIXTURES.rglob("*.py"))
