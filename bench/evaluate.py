"""Score secreview (and Bandit, and Semgrep when available) on the labelled corpus.

Every case in corpus/manifest.json is one test: a vulnerable case is detected (true positive)
when a tool reports a finding of an accepted CWE in the case's sink file (or, for cases marked
"match": "line", on a sink statement); a safe case is a false positive when a tool reports a
finding of an accepted CWE anywhere in the case's files. Per CWE the score is TPR - FPR, as in
the OWASP Benchmark; the mean score is the unweighted mean over the CWEs of the corpus.

    python bench/evaluate.py                    # table: secreview and Bandit side by side
    python bench/evaluate.py --details          # also list every miss and false alarm
    python bench/evaluate.py --json out.json    # machine-readable results
    python bench/evaluate.py --semgrep-rules DIR

See docs/quality.md for the case format and the CWE equivalences applied to every tool.
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# A case of CWE X accepts a finding labelled with any CWE of ACCEPTED[X]: X itself, its
# children that describe the same defect, and the parent or sibling a tool may use for it.
# The same table is applied to every tool.
ACCEPTED: dict[int, frozenset[int]] = {
    22: frozenset({22, 23, 36, 73}),
    78: frozenset({78, 77, 88}),
    79: frozenset({79, 80, 83}),
    89: frozenset({89, 564}),
    90: frozenset({90}),
    94: frozenset({94, 95}),
    117: frozenset({117, 93}),
    208: frozenset({208, 203, 385}),
    295: frozenset({295, 297}),
    319: frozenset({319}),
    321: frozenset({321, 798}),
    327: frozenset({327, 326, 328}),
    328: frozenset({328, 327, 326, 916}),
    330: frozenset({330, 338}),
    352: frozenset({352}),
    377: frozenset({377, 378, 379}),
    400: frozenset({400, 770, 1088, 1333}),
    502: frozenset({502}),
    532: frozenset({532, 312, 359}),
    601: frozenset({601}),
    611: frozenset({611, 776, 827}),
    703: frozenset({703, 390, 391, 396, 397, 617, 754, 755}),
    732: frozenset({732, 276, 277, 278, 279, 281}),
    798: frozenset({798, 259, 321, 547}),
    918: frozenset({918}),
    1336: frozenset({1336, 94}),
}

# Bandit labels each test with a CWE (`issue_cwe`). For the tests below that label is the
# generic CWE-20 or names a different weakness than the one the test detects, so the test id
# decides instead. Every other finding keeps Bandit's own CWE.
BANDIT_TEST_CWE: dict[str, int] = {
    "B102": 94,  # exec_used: labelled CWE-78
    "B307": 94,  # eval: labelled CWE-78
    "B310": 918,  # urllib_urlopen (URL scheme/target not checked): labelled CWE-22
    "B313": 611,  # xml_bad_cElementTree: labelled CWE-20
    "B314": 611,  # xml_bad_ElementTree
    "B315": 611,  # xml_bad_expatreader
    "B316": 611,  # xml_bad_expatbuilder
    "B317": 611,  # xml_bad_sax
    "B318": 611,  # xml_bad_minidom
    "B319": 611,  # xml_bad_pulldom
    "B320": 611,  # xml_bad_etree (lxml)
    "B405": 611,  # import_xml_etree
    "B406": 611,  # import_xml_sax
    "B407": 611,  # import_xml_expat
    "B408": 611,  # import_xml_minidom
    "B409": 611,  # import_xml_pulldom
    "B410": 611,  # import_lxml
    "B411": 611,  # import_xmlrpclib
    "B506": 502,  # yaml_load: labelled CWE-20
    "B701": 79,  # jinja2_autoescape_false: labelled CWE-94
}

# Used only when a Bandit result carries no CWE at all (older Bandit versions).
BANDIT_FALLBACK_CWE: dict[str, int] = {
    "B101": 703, "B103": 732, "B104": 605, "B105": 259, "B106": 259, "B107": 259,
    "B108": 377, "B110": 703, "B112": 703, "B113": 400, "B201": 94, "B202": 22,
    "B301": 502, "B302": 502, "B303": 327, "B304": 327, "B305": 327, "B306": 377,
    "B308": 79, "B311": 330, "B312": 319, "B321": 319, "B323": 295, "B324": 327,
    "B401": 319, "B402": 319, "B403": 502, "B404": 78, "B413": 327, "B415": 319,
    "B501": 295, "B502": 327, "B503": 327, "B504": 327, "B505": 326, "B506": 502,
    "B507": 295, "B508": 319, "B509": 319, "B601": 78, "B602": 78, "B603": 78,
    "B604": 78, "B605": 78, "B606": 78, "B607": 78, "B608": 89, "B609": 155,
    "B610": 89, "B611": 89, "B612": 94, "B613": 838, "B614": 502, "B615": 494,
    "B702": 80, "B703": 80, "B704": 79,
}  # fmt: skip

CONFIDENCE = {"low": 1, "medium": 2, "high": 3}
FLOORS = Path(__file__).resolve().parent / "floors.json"


# -- the corpus --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sink:
    file: str  # relative to the corpus root
    line: int


@dataclass
class Case:
    id: str
    cwe: int
    vulnerable: bool
    path: str  # a file, or a directory ending in "/"
    description: str = ""
    match: str = "file"
    sinks: tuple[Sink, ...] = ()
    files: tuple[str, ...] = ()
    spans: dict[Sink, tuple[int, int]] = field(default_factory=dict)

    @property
    def sink_files(self) -> set[str]:
        return {s.file for s in self.sinks}


@dataclass(frozen=True)
class Hit:
    """One finding of one tool, with the CWEs it counts as."""

    file: str  # relative to the corpus root
    line: int
    end_line: int
    cwes: frozenset[int]
    rule: str


class CorpusError(Exception):
    pass


def load_cases(corpus: Path = CORPUS) -> list[Case]:
    """The manifest's cases, checked against the files on disk."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    cases: list[Case] = []
    problems: list[str] = []
    for raw in manifest["cases"]:
        case = Case(
            id=raw["id"],
            cwe=int(raw["cwe"]),
            vulnerable=bool(raw["vulnerable"]),
            path=raw["path"],
            description=raw.get("description", ""),
            match=raw.get("match", "file"),
            sinks=tuple(Sink(s["file"], int(s["line"])) for s in raw.get("sinks", ())),
        )
        where = corpus / case.path
        if case.path.endswith("/"):
            case.files = tuple(
                sorted(p.relative_to(corpus).as_posix() for p in where.rglob("*.py"))
            )
        elif where.is_file():
            case.files = (case.path,)
        if not case.files:
            problems.append(f"{case.id}: no Python files at {case.path}")
            continue
        if case.cwe not in ACCEPTED:
            problems.append(f"{case.id}: CWE-{case.cwe} has no entry in ACCEPTED")
        if case.vulnerable and not case.sinks:
            problems.append(f"{case.id}: a vulnerable case needs at least one sink")
        if case.match not in ("file", "line"):
            problems.append(f"{case.id}: match must be 'file' or 'line'")
        for sink in case.sinks:
            if sink.file not in case.files:
                problems.append(f"{case.id}: sink file {sink.file} is not part of the case")
                continue
            span = _statement_span(corpus / sink.file, sink.line)
            if span is None:
                problems.append(f"{case.id}: no statement at {sink.file}:{sink.line}")
            else:
                case.spans[sink] = span
        cases.append(case)
    listed = {c.path.rstrip("/") for c in cases}
    for cwe_dir in sorted(corpus.glob("cwe-*")):
        for entry in sorted(cwe_dir.iterdir()):
            rel = entry.relative_to(corpus).as_posix()
            if entry.name != "__pycache__" and rel not in listed:
                problems.append(f"{rel}: on disk but not in the manifest")
    ids = [c.id for c in cases]
    problems.extend(f"{i}: duplicate case id" for i in sorted({i for i in ids if ids.count(i) > 1}))
    if problems:
        raise CorpusError("corpus manifest problems:\n  " + "\n  ".join(problems))
    return cases


WIDE_STATEMENTS = (
    ast.Try,
    ast.TryStar,
    ast.Match,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
)


def _statement_span(path: Path, line: int) -> tuple[int, int] | None:
    """Lines of the innermost simple statement (or compound statement header) at `line`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    best: tuple[int, int] | None = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        start, end = node.lineno, node.end_lineno or node.lineno
        if isinstance(node, ast.If | ast.For | ast.AsyncFor | ast.While | ast.With | ast.AsyncWith):
            body_start = node.body[0].lineno
            end = max(start, body_start - 1)
        elif isinstance(node, WIDE_STATEMENTS):
            continue  # too wide: their body lines have statements of their own
        if start <= line <= end and (best is None or end - start < best[1] - best[0]):
            best = (start, end)
    if best is None:  # a decorator, `def` or `except` line: accept the line itself
        lines = path.read_text(encoding="utf-8").splitlines()
        if 1 <= line <= len(lines) and lines[line - 1].strip():
            return (line, line)
    return best


# -- scoring -----------------------------------------------------------------------------------
@dataclass
class CweScore:
    tp: list[str] = field(default_factory=list)
    fn: list[str] = field(default_factory=list)
    fp: list[str] = field(default_factory=list)
    tn: list[str] = field(default_factory=list)

    @property
    def tpr(self) -> float:
        total = len(self.tp) + len(self.fn)
        return len(self.tp) / total if total else 0.0

    @property
    def fpr(self) -> float:
        total = len(self.fp) + len(self.tn)
        return len(self.fp) / total if total else 0.0

    @property
    def score(self) -> float:
        return self.tpr - self.fpr

    def as_dict(self) -> dict[str, object]:
        return {
            "tpr": round(self.tpr, 4),
            "fpr": round(self.fpr, 4),
            "score": round(self.score, 4),
            "tp": len(self.tp),
            "fn": len(self.fn),
            "fp": len(self.fp),
            "tn": len(self.tn),
            "misses": sorted(self.fn),
            "false_alarms": sorted(self.fp),
        }


@dataclass
class ToolResult:
    name: str
    per_cwe: dict[int, CweScore]
    seconds: float
    findings: int
    note: str = ""

    @property
    def mean_score(self) -> float:
        if not self.per_cwe:
            return 0.0
        return sum(s.score for s in self.per_cwe.values()) / len(self.per_cwe)

    def as_dict(self) -> dict[str, object]:
        return {
            "mean_score": round(self.mean_score, 4),
            "seconds": round(self.seconds, 3),
            "findings": self.findings,
            "note": self.note,
            "per_cwe": {str(cwe): s.as_dict() for cwe, s in sorted(self.per_cwe.items())},
        }


def detected(case: Case, hits: Iterable[Hit]) -> bool:
    """Does any of the tool's findings in this case's files count for the case?"""
    accepted = ACCEPTED[case.cwe]
    for hit in hits:
        if not hit.cwes & accepted or hit.file not in case.files:
            continue
        if not case.vulnerable:
            return True
        if case.match == "file":
            if hit.file in case.sink_files:
                return True
            continue
        for sink, (start, end) in case.spans.items():
            if sink.file == hit.file and hit.line <= end and hit.end_line >= start:
                return True
    return False


def score(cases: list[Case], hits_by_file: dict[str, list[Hit]]) -> dict[int, CweScore]:
    per_cwe: dict[int, CweScore] = {}
    for case in cases:
        hits = [h for f in case.files for h in hits_by_file.get(f, ())]
        found = detected(case, hits)
        s = per_cwe.setdefault(case.cwe, CweScore())
        if case.vulnerable:
            (s.tp if found else s.fn).append(case.id)
        else:
            (s.fp if found else s.tn).append(case.id)
    return per_cwe


def _by_file(hits: Iterable[Hit]) -> dict[str, list[Hit]]:
    grouped: dict[str, list[Hit]] = {}
    for hit in hits:
        grouped.setdefault(hit.file, []).append(hit)
    return grouped


def _relative(path: str, corpus: Path) -> str | None:
    try:
        return Path(path).resolve().relative_to(corpus.resolve()).as_posix()
    except ValueError:
        return None


# -- tools -------------------------------------------------------------------------------------
def case_units(cases: list[Case]) -> list[str]:
    """What is scanned together: each case on its own, as a user would scan one project."""
    return sorted({c.path.rstrip("/") for c in cases})


def run_secreview(cases: list[Case], corpus: Path, min_confidence: str) -> tuple[list[Hit], str]:
    from secreview.analysis import scan
    from secreview.config import Config
    from secreview.findings import Confidence

    threshold = Confidence.parse(min_confidence)
    hits: list[Hit] = []
    errors: list[str] = []
    config = Config(root=corpus.resolve(), respect_gitignore=False)  # defaults; no project file
    for unit in case_units(cases):
        result = scan([corpus / unit], config, jobs=1)
        errors.extend(
            f"{d.path}: {d.message}" for d in result.all_diagnostics if d.kind == "internal-error"
        )
        for f in result.findings:
            rel = _relative(f.path, corpus)
            if rel is None or f.confidence < threshold:
                continue
            hits.append(Hit(rel, f.line, f.end_line or f.line, frozenset({f.cwe}), f.rule_id))
    note = f"{len(errors)} internal error(s): {errors[0]}" if errors else ""
    return hits, note


def bandit_cwes(result: dict) -> frozenset[int]:
    test_id = result.get("test_id", "")
    if test_id in BANDIT_TEST_CWE:
        return frozenset({BANDIT_TEST_CWE[test_id]})
    cwe = (result.get("issue_cwe") or {}).get("id") or 0
    if cwe:
        return frozenset({int(cwe)})
    fallback = BANDIT_FALLBACK_CWE.get(test_id)
    return frozenset({fallback}) if fallback else frozenset()


def run_bandit(cases: list[Case], corpus: Path, min_confidence: str) -> tuple[list[Hit], str]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bandit.json"
        cmd = [sys.executable, "-m", "bandit", "-q", "-r", "-f", "json", "-o", str(out)]
        proc = subprocess.run([*cmd, str(corpus)], capture_output=True, text=True, check=False)
        if not out.exists():
            raise RuntimeError(f"bandit failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
        data = json.loads(out.read_text(encoding="utf-8"))
    hits = []
    for r in data.get("results", []):
        rel = _relative(r["filename"], corpus)
        if rel is None or CONFIDENCE[r["issue_confidence"].lower()] < CONFIDENCE[min_confidence]:
            continue
        lines = r.get("line_range") or [r["line_number"]]
        hits.append(Hit(rel, r["line_number"], max(lines), bandit_cwes(r), r["test_id"]))
    errors = data.get("errors", [])
    note = f"{len(errors)} file(s) Bandit could not scan" if errors else ""
    return hits, note


def semgrep_cwes(result: dict) -> frozenset[int]:
    meta = result.get("extra", {}).get("metadata", {}) or {}
    labels = meta.get("cwe", [])
    if isinstance(labels, str):
        labels = [labels]
    cwes = set()
    for label in labels:
        head = str(label).upper().removeprefix("CWE-").split(":")[0].strip()
        if head.isdigit():
            cwes.add(int(head))
    return frozenset(cwes)


def run_semgrep(rules: Path) -> Callable[[list[Case], Path, str], tuple[list[Hit], str]]:
    def run(cases: list[Case], corpus: Path, min_confidence: str) -> tuple[list[Hit], str]:
        cmd = ["semgrep", "--config", str(rules), "--json", "--metrics=off", "--quiet"]
        proc = subprocess.run([*cmd, str(corpus)], capture_output=True, text=True, check=False)
        try:
            data = json.loads(proc.stdout)
        except json.JSONDecodeError:
            raise RuntimeError(f"semgrep failed ({proc.returncode}): {proc.stderr[:500]}") from None
        hits = []
        for r in data.get("results", []):
            rel = _relative(r["path"], corpus)
            if rel is not None:
                start, end = r["start"]["line"], r["end"]["line"]
                hits.append(Hit(rel, start, end, semgrep_cwes(r), r.get("check_id", "")))
        return hits, "rules: " + str(rules)

    return run


def evaluate_tool(
    name: str,
    runner: Callable[[list[Case], Path, str], tuple[list[Hit], str]],
    cases: list[Case],
    corpus: Path = CORPUS,
    min_confidence: str = "low",
) -> ToolResult:
    started = time.perf_counter()
    hits, note = runner(cases, corpus, min_confidence)
    seconds = time.perf_counter() - started
    return ToolResult(name, score(cases, _by_file(hits)), seconds, len(hits), note)


def evaluate_secreview(
    corpus: Path = CORPUS, cases: list[Case] | None = None, min_confidence: str = "low"
) -> ToolResult:
    cases = load_cases(corpus) if cases is None else cases
    return evaluate_tool("secreview", run_secreview, cases, corpus, min_confidence)


# -- output ------------------------------------------------------------------------------------
def render_table(cases: list[Case], results: list[ToolResult]) -> str:
    counts: dict[int, list[int]] = {}
    for case in cases:
        counts.setdefault(case.cwe, [0, 0])[0 if case.vulnerable else 1] += 1
    head = ["CWE", "cases (v/s)"]
    for r in results:
        head += [f"{r.name} TPR", "FPR", "score"]
    rows = [head]
    for cwe in sorted(counts):
        row = [f"CWE-{cwe}", f"{sum(counts[cwe])} ({counts[cwe][0]}/{counts[cwe][1]})"]
        for r in results:
            s = r.per_cwe.get(cwe, CweScore())
            row += [f"{s.tpr:.2f}", f"{s.fpr:.2f}", f"{s.score:+.2f}"]
        rows.append(row)
    total = [f"mean ({len(counts)} CWEs)", f"{len(cases)}"]
    timing = ["time", ""]
    for r in results:
        total += ["", "", f"{r.mean_score:+.2f}"]
        timing += ["", "", f"{r.seconds:.1f}s"]
    rows += [total, timing]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append(" | ".join(cells).rstrip())
        if index in (0, len(rows) - 3):
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def render_details(cases: list[Case], result: ToolResult) -> str:
    by_id = {c.id: c for c in cases}
    lines = [f"{result.name}: misses and false alarms"]
    for cwe, s in sorted(result.per_cwe.items()):
        for kind, ids in (("miss", s.fn), ("false alarm", s.fp)):
            for case_id in sorted(ids):
                lines.append(f"  CWE-{cwe:<5} {kind:<11} {case_id}: {by_id[case_id].description}")
    if len(lines) == 1:
        lines.append("  none")
    return "\n".join(lines)


def round_down(value: float, step: float = 0.05) -> float:
    return round(math.floor(value / step + 1e-9) * step, 2)


def raise_floors(result: ToolResult, path: Path = FLOORS) -> list[str]:
    """Raise each floor to the measured score rounded down to 0.05; never lower one."""
    data = json.loads(path.read_text(encoding="utf-8"))
    floors: dict[str, float] = data.setdefault("per_cwe", {})
    changes = []
    for cwe, s in sorted(result.per_cwe.items()):
        new = round_down(s.score)
        old = floors.get(str(cwe))
        if old is None or new > old:
            floors[str(cwe)] = new
            changes.append(f"CWE-{cwe}: {old if old is not None else '-'} -> {new:.2f}")
    mean = round_down(result.mean_score)
    if mean > data.get("mean", -1.0):
        changes.append(f"mean: {data.get('mean', '-')} -> {mean:.2f}")
        data["mean"] = mean
    data["per_cwe"] = dict(sorted(floors.items(), key=lambda kv: int(kv[0])))
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument(
        "--tools", default="secreview,bandit", help="comma-separated: secreview, bandit, semgrep"
    )
    parser.add_argument("--semgrep-rules", type=Path, help="a folder of Semgrep rules")
    parser.add_argument("--cwe", type=int, action="append", help="only these CWEs (repeatable)")
    parser.add_argument(
        "--min-confidence",
        choices=tuple(CONFIDENCE),
        default="low",
        help="ignore findings below this confidence, for every tool (default: count all)",
    )
    parser.add_argument("--details", action="store_true", help="list misses and false alarms")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the results as JSON")
    parser.add_argument(
        "--raise-floors",
        action="store_true",
        help="raise bench/floors.json to secreview's scores rounded down to 0.05 (never lowers)",
    )
    args = parser.parse_args(argv)

    try:
        cases = load_cases(args.corpus)
    except CorpusError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.cwe:
        cases = [c for c in cases if c.cwe in set(args.cwe)]
    wanted = [t.strip() for t in args.tools.split(",") if t.strip()]
    if args.semgrep_rules and "semgrep" not in wanted:
        wanted.append("semgrep")
    runners: dict[str, Callable[[list[Case], Path, str], tuple[list[Hit], str]]] = {
        "secreview": run_secreview,
        "bandit": run_bandit,
    }
    notes: list[str] = []
    results: list[ToolResult] = []
    for name in wanted:
        runner = runners.get(name)
        if name == "semgrep":
            if shutil.which("semgrep") is None:
                notes.append("semgrep: skipped (not installed)")
                continue
            if args.semgrep_rules is None or not args.semgrep_rules.is_dir():
                notes.append("semgrep: skipped (give a rules folder with --semgrep-rules DIR)")
                continue
            runner = run_semgrep(args.semgrep_rules)
        if runner is None:
            parser.error(f"unknown tool {name!r}")
        try:
            result = evaluate_tool(name, runner, cases, args.corpus, args.min_confidence)
        except (OSError, RuntimeError) as exc:
            notes.append(f"{name}: skipped ({exc})")
            continue
        results.append(result)
        if result.note:
            notes.append(f"{name}: {result.note}")

    vulnerable = sum(c.vulnerable for c in cases)
    print(
        f"corpus: {len(cases)} cases ({vulnerable} vulnerable, {len(cases) - vulnerable} safe), "
        f"{len({c.cwe for c in cases})} CWEs; findings counted from confidence "
        f"'{args.min_confidence}' up"
    )
    print(render_table(cases, results))
    for note in notes:
        print("note:", note)
    if args.details:
        for result in results:
            print()
            print(render_details(cases, result))
    if args.json:
        payload = {
            "corpus": {
                "cases": len(cases),
                "vulnerable": vulnerable,
                "safe": len(cases) - vulnerable,
                "min_confidence": args.min_confidence,
            },
            "tools": {r.name: r.as_dict() for r in results},
            "notes": notes,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    if args.raise_floors:
        mine = next((r for r in results if r.name == "secreview"), None)
        if mine is None or args.cwe or args.min_confidence != "low" or args.corpus != CORPUS:
            parser.error("--raise-floors needs a full secreview run with the default options")
        changes = raise_floors(mine)
        print("floors:", "; ".join(changes) if changes else "unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
