"""Scan pinned real projects and check every medium-or-higher finding against its triage.

Each project of `projects.toml` is fetched once as a source distribution
(`pip download --no-deps --no-binary :all: NAME==VERSION`), checked against its digest and
unpacked into a cache outside the repository (`$SECREVIEW_BENCH_CACHE`, by default
`~/.cache/secreview-bench`). secreview scans it with its default configuration, in a fresh
process, and each medium+ finding is looked up in `triage/NAME.json` by a stable key: the
path inside the distribution, the rule and the text of the sink's line (not the line number,
which moves between versions of secreview's traces and of the project).

    python bench/realcode/run.py                    # every project: the table
    python bench/realcode/run.py nova django        # some
    python bench/realcode/run.py nova --untriaged   # and the medium+ findings without a verdict
    python bench/realcode/run.py nova --record      # add those to the record as "TODO"
    python bench/realcode/run.py nova --show FALSE  # the findings reported now with that verdict
    python bench/realcode/run.py --json out.json

A verdict is REAL (a reviewer should change the code), DEBATABLE (worth a reviewer's minute:
hardening, or real only under a plausible deployment) or FALSE. Precision is the share of
triaged medium+ findings that are REAL or DEBATABLE. The exit code is 1 when a finding the
record calls REAL is no longer reported, or when a medium+ finding has no verdict.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRIAGE = HERE / "triage"
PROJECTS = HERE / "projects.toml"
MEDIUM_PLUS = ("medium", "high", "critical")
VERDICTS = ("REAL", "DEBATABLE", "FALSE")


def cache_dir() -> Path:
    return Path(os.environ.get("SECREVIEW_BENCH_CACHE", Path.home() / ".cache" / "secreview-bench"))


@dataclass(frozen=True, slots=True)
class Project:
    name: str
    version: str
    sha256: str
    paths: tuple[str, ...]
    kind: str

    @property
    def archive_stem(self) -> str:
        return f"{self.name.replace('-', '_')}-{self.version}"


def load_projects() -> dict[str, Project]:
    data = tomllib.loads(PROJECTS.read_text(encoding="utf-8"))
    return {
        name: Project(name, spec["version"], spec["sha256"], tuple(spec["paths"]), spec["kind"])
        for name, spec in data.items()
    }


def _find_archive(project: Project, folder: Path) -> Path | None:
    for stem in (project.archive_stem, f"{project.name}-{project.version}"):
        for suffix in (".tar.gz", ".zip"):
            candidate = folder / f"{stem}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def fetch(project: Project) -> Path:
    """The unpacked distribution's root, downloading and unpacking it the first time."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    archive = _find_archive(project, folder)
    if archive is None:
        requirement = f"{project.name}=={project.version}"
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary"]
        subprocess.run([*pip, ":all:", "--dest", str(folder), requirement], check=True)
        archive = _find_archive(project, folder)
        if archive is None:
            raise SystemExit(f"{project.name}: pip download left no archive in {folder}")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != project.sha256:
        raise SystemExit(
            f"{project.name}: {archive} has sha256 {digest}, expected {project.sha256}"
        )
    root = folder / archive.name.removesuffix(".tar.gz").removesuffix(".zip")
    if not root.is_dir():
        with tarfile.open(archive) as tar:
            # The "data" filter refuses links out of the folder, devices and absolute names.
            tar.extractall(folder, filter="data")
    if not root.is_dir():
        raise SystemExit(f"{project.name}: {archive} did not unpack to {root}")
    return root


def _count_lines(root: Path, paths: tuple[str, ...]) -> tuple[int, int]:
    files = lines = 0
    for sub in paths:
        for path in (root / sub).rglob("*.py"):
            if path.is_file():
                files += 1
                with path.open("rb") as handle:
                    lines += sum(1 for _ in handle)
    return files, lines


def scan(project: Project, root: Path, jobs: int) -> tuple[dict, float]:
    command = [sys.executable, "-P", "-m", "secreview", "scan", "--format", "json", "--no-cache"]
    command += ["--exit-zero", "-j", str(jobs), *(str(root / p) for p in project.paths)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or not done.stdout:
        raise SystemExit(
            f"{project.name}: secreview exited {done.returncode}\n{done.stderr[-2000:]}"
        )
    return json.loads(done.stdout), elapsed


Key = tuple[str, str, str, int]


def finding_keys(findings: list[dict], root: Path) -> list[tuple[dict, Key]]:
    """Each finding with its stable key: path, rule, sink text and which repeat of those it is."""
    seen: Counter[tuple[str, str, str]] = Counter()
    keyed = []
    for finding in sorted(
        findings, key=lambda f: (f["path"], f["line"], f["column"], f["rule_id"])
    ):
        try:
            path = Path(finding["path"]).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            path = finding["path"]
        sink = " ".join((finding.get("snippet") or "").split())
        base = (path, finding["rule_id"], sink)
        seen[base] += 1
        keyed.append((finding, (*base, seen[base])))
    return keyed


def record_key(entry: dict) -> Key:
    return (entry["path"], entry["rule"], entry["sink"], entry.get("n", 1))


def show_key(key: Key) -> str:
    path, rule, sink, repeat = key
    return f"{path} {rule} `{sink}`" + (f" (repeat {repeat})" if repeat > 1 else "")


def load_record(name: str) -> dict:
    path = TRIAGE / f"{name}.json"
    if not path.is_file():
        return {"project": name, "findings": []}
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class Outcome:
    project: Project
    files: int
    lines: int
    seconds: float
    by_severity: Counter[str]
    medium_plus: int
    verdicts: Counter[str] = field(default_factory=Counter)
    untriaged: list[tuple[dict, Key]] = field(default_factory=list)
    triaged: list[tuple[dict, dict]] = field(default_factory=list)
    real_lost: list[dict] = field(default_factory=list)
    gone: int = 0

    @property
    def precision(self) -> float | None:
        triaged = sum(self.verdicts[v] for v in VERDICTS)
        if not triaged:
            return None
        return (self.verdicts["REAL"] + self.verdicts["DEBATABLE"]) / triaged

    def as_dict(self) -> dict[str, object]:
        return {
            "project": self.project.name,
            "version": self.project.version,
            "files": self.files,
            "lines": self.lines,
            "seconds": round(self.seconds, 1),
            "by_severity": dict(self.by_severity),
            "medium_plus": self.medium_plus,
            "verdicts": {v: self.verdicts[v] for v in VERDICTS},
            "untriaged": len(self.untriaged),
            "precision": self.precision,
            "real_lost": [show_key(record_key(e)) for e in self.real_lost],
        }


def evaluate(project: Project, jobs: int) -> tuple[Outcome, dict, Path]:
    root = fetch(project)
    report, seconds = scan(project, root, jobs)
    files, lines = _count_lines(root, project.paths)
    findings = report["findings"]
    outcome = Outcome(
        project,
        files,
        lines,
        seconds,
        Counter(f["severity"] for f in findings),
        sum(f["severity"] in MEDIUM_PLUS for f in findings),
    )
    record = load_record(project.name)
    verdict_by_key = {record_key(e): e for e in record["findings"]}
    found = set()
    for finding, key in finding_keys([f for f in findings if f["severity"] in MEDIUM_PLUS], root):
        found.add(key)
        entry = verdict_by_key.get(key)
        if entry is None or entry.get("verdict") not in VERDICTS:
            outcome.untriaged.append((finding, key))
        else:
            outcome.verdicts[entry["verdict"]] += 1
            outcome.triaged.append((finding, entry))
    for key, entry in verdict_by_key.items():
        if key not in found:
            outcome.gone += 1
            if entry.get("verdict") == "REAL":
                outcome.real_lost.append(entry)
    return outcome, record, root


def add_untriaged(record: dict, outcome: Outcome, root: Path) -> None:
    for finding, key in outcome.untriaged:
        if any(record_key(e) == key for e in record["findings"]):
            continue
        path, rule, sink, repeat = key
        entry: dict[str, object] = {"path": path, "rule": rule, "sink": sink}
        if repeat > 1:
            entry["n"] = repeat
        entry.update(
            line=finding["line"],
            message=finding["message"].replace(f"{root}{os.sep}", ""),
            verdict="TODO",
            reason="",
        )
        record["findings"].append(entry)
    record["version"] = outcome.project.version
    record["findings"].sort(key=lambda e: (e["path"], e.get("line", 0), e["rule"]))
    TRIAGE.mkdir(exist_ok=True)
    path = TRIAGE / f"{outcome.project.name}.json"
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def print_table(outcomes: list[Outcome]) -> None:
    header = (
        f"{'project':<13} {'files':>6} {'lines':>8} {'time':>7}  {'crit':>4} {'high':>4} {'med':>4}"
        f" {'low':>5}  {'REAL':>4} {'DEB':>4} {'FALSE':>5} {'todo':>4} {'prec':>5}"
    )
    print(header)
    print("-" * len(header))
    for o in outcomes:
        s = o.by_severity
        print(
            f"{o.project.name:<13} {o.files:>6} {o.lines:>8} {o.seconds:>6.1f}s"
            f"  {s['critical']:>4} {s['high']:>4} {s['medium']:>4} {s['low']:>5}"
            f"  {o.verdicts['REAL']:>4} {o.verdicts['DEBATABLE']:>4} {o.verdicts['FALSE']:>5}"
            f" {len(o.untriaged):>4} {_percent(o.precision):>5}"
        )
    for o in outcomes:
        for entry in o.real_lost:
            print(
                f"{o.project.name}: REAL finding no longer reported: {show_key(record_key(entry))}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("projects", nargs="*", help="names from projects.toml (default: all)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--untriaged", action="store_true", help="list medium+ findings without a verdict"
    )
    parser.add_argument(
        "--show",
        choices=VERDICTS,
        action="append",
        help="list the medium+ findings reported now with this verdict, and why (repeatable)",
    )
    parser.add_argument("--record", action="store_true", help='add those to the record as "TODO"')
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    projects = load_projects()
    unknown = [name for name in args.projects if name not in projects]
    if unknown:
        parser.error(f"unknown project(s): {', '.join(unknown)}; known: {', '.join(projects)}")
    outcomes = []
    for name in args.projects or list(projects):
        outcome, record, root = evaluate(projects[name], args.jobs)
        outcomes.append(outcome)
        if args.untriaged:
            for finding, key in outcome.untriaged:
                print(
                    f"{name}: {show_key(key)}\n    {finding['path']}:{finding['line']}: {finding['message']}"
                )
        for finding, entry in outcome.triaged:
            if args.show and entry["verdict"] in args.show:
                print(
                    f"{name}: {entry['verdict']} {finding['rule_id']} {finding['path']}:{finding['line']}"
                    f"\n    {finding['message']}\n    why: {entry.get('reason', '')}"
                )
        if args.record:
            add_untriaged(record, outcome, root)
    print_table(outcomes)
    if args.json:
        args.json.write_text(
            json.dumps([o.as_dict() for o in outcomes], indent=1) + "\n", encoding="utf-8"
        )
    return 1 if any(o.real_lost or o.untriaged for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
