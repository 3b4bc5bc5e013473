"""Speed of secreview against Bandit on real code, as ratios measured in one run.

    python bench/speed.py                      # the running interpreter's standard library
    python bench/speed.py --django             # Django's sources (fetched with pip download)
    python bench/speed.py PATH [PATH…]         # any directories

For each target it times, on the same files: the floor (reading and `ast.parse` of every file,
one process), `secreview scan` (default jobs, and --jobs 1), and `bandit -r` (one process;
Bandit has no parallel mode). Every command runs in a fresh process. The four run in turn,
`--repeat` rounds of them, and each one's best round counts, so that a slow spell of a shared
machine does not fall on one command only. Besides wall time it reports CPU time (user and
system, of the command and all its processes), which other load on the machine does not
inflate. Peak memory is the largest resident set of any one process of the run. Both tools'
packages are byte-compiled first, as an installation leaves them. Absolute seconds depend on
the machine; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
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


# The floor, run as its own process like every other command: read and parse each file named
# in the list file given as the argument.
_FLOOR = """
import ast, contextlib, sys
for name in open(sys.argv[1], encoding="utf-8").read().splitlines():
    with open(name, "rb") as handle:
        data = handle.read()
    with contextlib.suppress(SyntaxError, ValueError, RecursionError, MemoryError):
        ast.parse(data)
"""


# Runs a command in a fresh interpreter and reports its wall time, CPU time and the peak
# resident set of its processes (RUSAGE_CHILDREN covers every descendant the command waited for).
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_kib": usage.ru_maxrss, "rc": done.returncode}))
"""


def timed(command: list[str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    """The best round of a command: least wall time, least CPU time, most memory seen."""
    return {
        "seconds": min(run["seconds"] for run in runs),
        "cpu": min(run["cpu"] for run in runs),
        "peak_kib": max(run["peak_kib"] for run in runs),
    }


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


def compile_tools() -> None:
    """Byte-compile both tools' packages, as an installation from a wheel leaves them. An
    editable checkout run with PYTHONDONTWRITEBYTECODE set would otherwise compile secreview's
    modules from source in every timed run (about a quarter of a second), while Bandit's
    installation came compiled."""
    for package in ("secreview", "bandit"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                compileall.compile_dir(location, quiet=1)


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
    secreview = tool("secreview")
    bandit = tool("bandit")
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "files.txt"
        listing.write_text("\n".join(str(p) for p in files) + "\n", encoding="utf-8")
        report = Path(tmp) / "secreview.json"
        bandit_report = Path(tmp) / "bandit.json"
        scan_cmd = [
            secreview,
            "scan",
            str(target),
            "--quiet",
            "--no-gitignore",
            "--no-cache",  # every round analyses every file, as Bandit does
            "--format",
            "json",
            "--output",
            str(report),
        ]
        commands = {
            "floor": [sys.executable, "-c", _FLOOR, str(listing)],
            "secreview": scan_cmd,
            "secreview_jobs1": [*scan_cmd, "--jobs", "1"],
            "bandit": [
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
        }
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, command in commands.items():
                runs[name].append(timed(command))
                if name == "secreview_jobs1":
                    findings = len(json.loads(report.read_text())["findings"])
        bandit_findings = len(json.loads(bandit_report.read_text())["results"])
    floor, scan, serial, other = (best(runs[name]) for name in commands)
    return {
        "target": str(target),
        "files": len(files),
        "lines": lines,
        "repeat": repeat,
        "parse_floor_s": round(floor["seconds"], 2),
        "parse_floor_cpu_s": round(floor["cpu"], 2),
        "secreview_s": round(scan["seconds"], 2),
        "secreview_cpu_s": round(scan["cpu"], 2),
        "secreview_jobs1_s": round(serial["seconds"], 2),
        "secreview_jobs1_cpu_s": round(serial["cpu"], 2),
        "bandit_s": round(other["seconds"], 2),
        "bandit_cpu_s": round(other["cpu"], 2),
        "secreview_lines_per_s": round(lines / scan["seconds"]),
        "bandit_lines_per_s": round(lines / other["seconds"]),
        "secreview_peak_mib": round(scan["peak_kib"] / 1024),
        "secreview_jobs1_peak_mib": round(serial["peak_kib"] / 1024),
        "bandit_peak_mib": round(other["peak_kib"] / 1024),
        "secreview_findings": findings,
        "bandit_findings": bandit_findings,
        "secreview_vs_floor": round(scan["seconds"] / floor["seconds"], 1),
        "secreview_jobs1_vs_floor": round(serial["seconds"] / floor["seconds"], 1),
        "secreview_jobs1_cpu_vs_floor": round(serial["cpu"] / floor["cpu"], 1),
        "bandit_vs_secreview": round(other["seconds"] / scan["seconds"], 2),
        "bandit_vs_secreview_jobs1": round(other["seconds"] / serial["seconds"], 2),
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
    compile_tools()
    rows = [measure(target, args.repeat) for target in targets]
    for row in rows:
        print(
            f"{Path(str(row['target'])).name}: {row['files']} files, {row['lines']} lines,"
            f" best of {row['repeat']}\n"
            f"  ast.parse floor   {row['parse_floor_s']:>7}s  cpu {row['parse_floor_cpu_s']:>7}s\n"
            f"  secreview         {row['secreview_s']:>7}s  cpu {row['secreview_cpu_s']:>7}s"
            f"  {row['secreview_lines_per_s']:>7} lines/s  peak {row['secreview_peak_mib']} MiB"
            f"  ({row['secreview_vs_floor']}x floor, {row['secreview_findings']} findings)\n"
            f"  secreview -j1     {row['secreview_jobs1_s']:>7}s  cpu {row['secreview_jobs1_cpu_s']:>7}s"
            f"  peak {row['secreview_jobs1_peak_mib']} MiB  ({row['secreview_jobs1_vs_floor']}x floor;"
            f" cpu {row['secreview_jobs1_cpu_vs_floor']}x the floor's)\n"
            f"  bandit            {row['bandit_s']:>7}s  cpu {row['bandit_cpu_s']:>7}s"
            f"  {row['bandit_lines_per_s']:>7} lines/s  peak {row['bandit_peak_mib']} MiB"
            f"  ({row['bandit_findings']} findings)\n"
            f"  Bandit takes {row['bandit_vs_secreview']}x secreview's time"
            f" ({row['bandit_vs_secreview_jobs1']}x with --jobs 1); {row['cpus']} CPUs"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
