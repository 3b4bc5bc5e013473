"""Score secreview (and Bandit) on OWASP BenchmarkPython, exactly as its README says.

The benchmark is read where it lies (by default `../shared/benchmarks/owasp-python` beside the
project, or the folder given); nothing of it is copied here. The whole application is scanned
at once, so flows through its helper modules count, with secreview's default configuration (or
`--config FILE`, for helpers a real user of that application would declare).

Scoring, per the benchmark's README: a case is flagged when the tool reports, in the case's own
file, a finding whose CWE is the case's CWE (strict). Per category TPR - FPR; the overall score
is the mean of the category scores.

    python bench/owasp.py                       # secreview's table
    python bench/owasp.py --bandit              # Bandit beside it
    python bench/owasp.py --details             # every miss and false alarm
    python bench/owasp.py --json out.json
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCHMARK = ROOT.parent / "shared" / "benchmarks" / "owasp-python"
ANSWERS = "expectedresults-dev.csv"


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    category: str
    vulnerable: bool
    cwe: int


@dataclass
class CategoryScore:
    category: str
    cwe: int
    true_positives: int = 0
    vulnerable: int = 0
    false_positives: int = 0
    safe: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def tpr(self) -> float:
        return self.true_positives / self.vulnerable if self.vulnerable else 0.0

    @property
    def fpr(self) -> float:
        return self.false_positives / self.safe if self.safe else 0.0

    @property
    def score(self) -> float:
        return self.tpr - self.fpr


def read_answers(benchmark: Path) -> list[Case]:
    cases: list[Case] = []
    with (benchmark / ANSWERS).open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if not row or row[0].startswith("#"):
                continue
            name, category, real, cwe = (cell.strip() for cell in row[:4])
            cases.append(Case(name, category, real == "true", int(cwe)))
    return cases


def secreview_findings(benchmark: Path, config: Path | None) -> tuple[dict[str, set[int]], float]:
    """CWEs reported per file stem, from one scan of the whole application."""
    command = [
        sys.executable,
        "-m",
        "secreview",
        "scan",
        str(benchmark),
        "--format",
        "json",
        "--quiet",
        "--severity",
        "low",
        "--confidence",
        "low",
        "--no-gitignore",
    ]
    if config is not None:
        command += ["--config", str(config)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"secreview failed ({done.returncode}): {done.stderr.strip()}")
    found: dict[str, set[int]] = defaultdict(set)
    for finding in json.loads(done.stdout)["findings"]:
        found[Path(finding["path"]).stem].add(int(finding["cwe"]))
    return found, seconds


def bandit_findings(benchmark: Path) -> tuple[dict[str, set[int]], float]:
    bandit = shutil.which("bandit") or str(Path(sys.executable).with_name("bandit"))
    started = time.perf_counter()
    done = subprocess.run(
        [bandit, "-r", str(benchmark), "-f", "json", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    found: dict[str, set[int]] = defaultdict(set)
    for issue in json.loads(done.stdout or "{}").get("results", []):
        cwe = (issue.get("issue_cwe") or {}).get("id")
        if cwe:
            found[Path(issue["filename"]).stem].add(int(cwe))
    return found, seconds


def score(cases: list[Case], found: dict[str, set[int]]) -> list[CategoryScore]:
    by_category: dict[str, CategoryScore] = {}
    for case in cases:
        entry = by_category.setdefault(case.category, CategoryScore(case.category, case.cwe))
        flagged = case.cwe in found.get(case.name, set())
        if case.vulnerable:
            entry.vulnerable += 1
            if flagged:
                entry.true_positives += 1
            else:
                entry.misses.append(case.name)
        else:
            entry.safe += 1
            if flagged:
                entry.false_positives += 1
                entry.false_alarms.append(case.name)
    return [by_category[name] for name in sorted(by_category)]


def mean(scores: list[CategoryScore]) -> float:
    return sum(s.score for s in scores) / len(scores) if scores else 0.0


def table(tools: dict[str, list[CategoryScore]]) -> str:
    names = list(tools)
    first = tools[names[0]]
    head = f"{'category':<15} {'CWE':>4} {'cases':>6}"
    for name in names:
        head += f" | {name + ' TPR':>14} {'FPR':>5} {'score':>6}"
    lines = [head, "-" * len(head)]
    for index, row in enumerate(first):
        line = f"{row.category:<15} {row.cwe:>4} {row.vulnerable + row.safe:>6}"
        for name in names:
            other = tools[name][index]
            line += f" | {other.tpr:>14.2f} {other.fpr:>5.2f} {other.score:>+6.2f}"
        lines.append(line)
    footer = f"{'mean':<15} {'':>4} {sum(r.vulnerable + r.safe for r in first):>6}"
    for name in names:
        footer += f" | {'':>14} {'':>5} {mean(tools[name]):>+6.2f}"
    lines += ["-" * len(head), footer]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("benchmark", nargs="?", type=Path, default=DEFAULT_BENCHMARK)
    parser.add_argument("--config", type=Path, help="secreview configuration for the scan")
    parser.add_argument("--bandit", action="store_true", help="score Bandit beside secreview")
    parser.add_argument("--details", action="store_true", help="list misses and false alarms")
    parser.add_argument("--json", type=Path, help="write the scores as JSON to this file")
    args = parser.parse_args(argv)
    if not (args.benchmark / ANSWERS).is_file():
        parser.error(f"{args.benchmark}: no {ANSWERS} (is this the benchmark's folder?)")
    cases = read_answers(args.benchmark)
    found, seconds = secreview_findings(args.benchmark, args.config)
    tools = {"secreview": score(cases, found)}
    timings = {"secreview": seconds}
    if args.bandit:
        found, seconds = bandit_findings(args.benchmark)
        tools["Bandit"] = score(cases, found)
        timings["Bandit"] = seconds
    print(table(tools))
    print(", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items()))
    if args.details:
        for row in tools["secreview"]:
            if row.misses or row.false_alarms:
                print(f"\n{row.category} (CWE-{row.cwe})")
                print(f"  missed:       {' '.join(row.misses) or '-'}")
                print(f"  false alarms: {' '.join(row.false_alarms) or '-'}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    name: {
                        "mean": round(mean(rows), 3),
                        "categories": {
                            r.category: {
                                "cwe": r.cwe,
                                "tpr": round(r.tpr, 3),
                                "fpr": round(r.fpr, 3),
                                "score": round(r.score, 3),
                            }
                            for r in rows
                        },
                    }
                    for name, rows in tools.items()
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
