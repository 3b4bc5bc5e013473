"""Speed of secreview against Bandit on real code, as ratios measured in one run.

    python bench/speed.py                      # the running interpreter's standard library
    python bench/speed.py --django             # Django's sources (fetched with pip download)
    python bench/speed.py PATH [PATH…]         # any directories

For each target it times, in this order and on the same files: the floor (reading and
`ast.parse` of every file, one process), `secreview scan` (default jobs, and --jobs 1), and
`bandit -r` (one process; Bandit has no parallel mode). Each command runs `--repeat` times and
the best time counts; peak memory is the largest resident set of any one process of the run.
Absolute seconds depend on the machine; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from pathlib import Path

# secreview skips these by default; the floor and Bandit are told to skip them too, so every
# tool reads the same files (the standard library's directory holds site-packages).
SKIPPED_DIRS = ("site-packages", "__pycache__")


def python_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*.py")
        if p.is_file() and SKIPPED_DIRS[0] not in p.relative_to(root).parts
    )


def parse_floor(files: list[Path]) -> float:
    started = time.perf_counter()
    for path in files:
        with contextlib.suppress(SyntaxError, ValueError, RecursionError, MemoryError):
            ast.parse(path.read_bytes())
    return time.perf_counter() - started


# Runs a command in a fresh interpreter and reports its time and the peak resident set of its
# processes (RUSAGE_CHILDREN covers every descendant the command waited for).
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kib": peak, "rc": done.returncode}))
"""


def timed(command: list[str]) -> tuple[float, int]:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True
    )
    figures = json.loads(done.stdout)
    return figures["seconds"], figures["peak_kib"]


def best_of(repeat: int, command: list[str]) -> tuple[float, int]:
    runs = [timed(command) for _ in range(repeat)]
    return min(runs, key=lambda run: run[0])


def tool(name: str) -> str:
    """The executable beside this interpreter (a virtualenv's), else on PATH."""
    local = Path(sys.executable).with_name(name)
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(
            f"bench: `{name}` not found; install the test extras (pip install -e '.[test]')"
        )
    return found


def django_sources(cache: Path) -> Path:
    """Django's package directory, from a wheel fetched with pip into `cache` once."""
    target = cache / "django"
    if target.is_dir():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(cache),
            "django",
        ],
        check=True,
    )
    wheel = next(cache.glob("Django-*.whl"), None) or next(cache.glob("django-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(cache)
    return target


def measure(target: Path, repeat: int) -> dict[str, object]:
    files = python_files(target)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    floor = min(parse_floor(files) for _ in range(repeat))
    secreview = tool("secreview")
    bandit = tool("bandit")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "secreview.json"
        scan_cmd = [
            secreview,
            "scan",
            str(target),
            "--quiet",
            "--no-gitignore",
            "--format",
            "json",
            "--output",
            str(report),
        ]
        scan_time, scan_peak = best_of(repeat, scan_cmd)
        findings = len(json.loads(report.read_text())["findings"])
        serial_time, serial_peak = best_of(repeat, [*scan_cmd, "--jobs", "1"])
        bandit_report = Path(tmp) / "bandit.json"
        bandit_time, bandit_peak = best_of(
            repeat,
            [
                bandit,
                "-q",
                "-r",
                str(target),
                "-f",
                "json",
                "-o",
                str(bandit_report),
                "-x",
                ",".join(str(target / d) for d in SKIPPED_DIRS),
            ],
        )
        bandit_findings = len(json.loads(bandit_report.read_text())["results"])
    return {
        "target": str(target),
        "files": len(files),
        "lines": lines,
        "parse_floor_s": round(floor, 2),
        "secreview_s": round(scan_time, 2),
        "secreview_jobs1_s": round(serial_time, 2),
        "bandit_s": round(bandit_time, 2),
        "secreview_lines_per_s": round(lines / scan_time),
        "bandit_lines_per_s": round(lines / bandit_time),
        "secreview_peak_mib": round(scan_peak / 1024),
        "secreview_jobs1_peak_mib": round(serial_peak / 1024),
        "bandit_peak_mib": round(bandit_peak / 1024),
        "secreview_findings": findings,
        "bandit_findings": bandit_findings,
        "secreview_vs_floor": round(scan_time / floor, 1),
        "secreview_jobs1_vs_floor": round(serial_time / floor, 1),
        "bandit_vs_secreview": round(bandit_time / scan_time, 2),
        "bandit_vs_secreview_jobs1": round(bandit_time / serial_time, 2),
        "cpus": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--django", action="store_true", help="also measure Django's sources")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "secreview-bench"
    )
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    targets = list(args.paths)
    if not targets:
        targets.append(Path(sysconfig.get_paths()["stdlib"]))
    if args.django:
        targets.append(django_sources(args.cache))
    rows = [measure(target, args.repeat) for target in targets]
    for row in rows:
        print(
            f"{Path(str(row['target'])).name}: {row['files']} files, {row['lines']} lines\n"
            f"  ast.parse floor   {row['parse_floor_s']:>7}s\n"
            f"  secreview         {row['secreview_s']:>7}s  {row['secreview_lines_per_s']:>7} lines/s"
            f"  peak {row['secreview_peak_mib']} MiB  ({row['secreview_vs_floor']}x floor,"
            f" {row['secreview_findings']} findings)\n"
            f"  secreview -j1     {row['secreview_jobs1_s']:>7}s"
            f"  peak {row['secreview_jobs1_peak_mib']} MiB  ({row['secreview_jobs1_vs_floor']}x floor)\n"
            f"  bandit            {row['bandit_s']:>7}s  {row['bandit_lines_per_s']:>7} lines/s"
            f"  peak {row['bandit_peak_mib']} MiB  ({row['bandit_findings']} findings)\n"
            f"  Bandit takes {row['bandit_vs_secreview']}x secreview's time"
            f" ({row['bandit_vs_secreview_jobs1']}x with --jobs 1); {row['cpus']} CPUs"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
