"""What the result cache saves, on OpenStack Nova: cold, warm, and warm after one change.

    python bench/cache_speed.py                 # Nova (a source distribution, fetched once)
    python bench/cache_speed.py PATH            # any project directory
    python bench/cache_speed.py --repeat 3      # best of three rounds of the warm scans

It copies the project into a scratch folder (so that edits never touch the download), then
times, each command in a fresh process like bench/speed.py:

- `scan --no-cache`: the reference, as before there was a cache;
- a cold scan that writes the cache (from an empty cache folder);
- a warm scan of the unchanged code (every file's bytes hashed, the solved scan read back);
- a warm scan after `touch` of one module (same bytes: the same as unchanged);
- a warm scan after an edit of one module (that file analysed again, the others' analysis and
  IR read back, the project's data flow solved again), then a scan of the edited code without
  the cache, whose findings must be the same.

Every cached scan's JSON report (timings aside) must equal the uncached one of the same code;
the script fails otherwise. The source distribution is fetched with pip into `--cache`
(default ~/.cache/secreview-bench), outside the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from speed import best, compile_tools, python_files, timed, tool

NOVA_VERSION = "32.0.0"  # OpenStack 2025.2 "Flamingo"
EDITED_MODULE = "utils.py"  # imported by most of Nova: an edit there reaches many flows
EDIT = '''

def cache_benchmark_helper(value):
    """Added by bench/cache_speed.py between two scans."""
    return str(value).strip()
'''


def nova_sources(cache: Path) -> Path:
    """Nova's package directory, from its source distribution fetched with pip once."""
    target = cache / f"nova-{NOVA_VERSION}" / "nova"
    if target.is_dir():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    archive = cache / f"nova-{NOVA_VERSION}.tar.gz"
    if not archive.is_file():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--no-binary",
                ":all:",
                "--dest",
                str(cache),
                f"nova=={NOVA_VERSION}",
            ],
            check=True,
        )
    with tarfile.open(archive) as bundle:
        bundle.extractall(cache, filter="data")
    return target


def report_without_timing(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("seconds", None)
    return json.dumps(data, sort_keys=True)


def measure(source: Path, repeat: int) -> dict[str, object]:
    secreview = tool("secreview")
    with tempfile.TemporaryDirectory(prefix="secreview-cache-bench-") as scratch:
        work = Path(scratch) / "project"
        shutil.copytree(source, work / source.name, ignore=shutil.ignore_patterns(".secreview_*"))
        target = work / source.name
        files = python_files(target)
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        report = Path(scratch) / "report.json"
        scan = [secreview, "scan", source.name, "--quiet", "--no-gitignore", "-f", "json"]
        scan += ["-o", str(report)]

        def run(*extra: str) -> tuple[dict[str, float], str]:
            here = os.getcwd()
            os.chdir(work)
            try:
                figures = timed([*scan, *extra])
            finally:
                os.chdir(here)
            return figures, report_without_timing(report)

        def check(label: str, got: str, expected: str) -> None:
            if got != expected:
                raise SystemExit(f"bench: the {label} scan differs from a scan without the cache")

        subprocess.run([secreview, "cache", "clear", str(target)], check=True, capture_output=True)
        uncached, reference = run("--no-cache")
        cold, cold_report = run()
        check("cold", cold_report, reference)
        warm_runs = []
        for _ in range(repeat):
            figures, warm_report = run()
            check("warm", warm_report, reference)
            warm_runs.append(figures)
        edited = target / EDITED_MODULE
        touched_runs = []
        for _ in range(repeat):
            os.utime(edited)
            figures, touched_report = run()
            check("touched", touched_report, reference)
            touched_runs.append(figures)
        original = edited.read_text(encoding="utf-8")
        edit_runs = []
        for round_ in range(repeat):
            # A new edit each round, so each round re-analyses the file and solves again.
            edited.write_text(original + EDIT.replace("helper", f"helper_{round_}"), "utf-8")
            figures, edit_report = run()
            _, edit_reference = run("--no-cache")
            check("edited", edit_report, edit_reference)
            edit_runs.append(figures)
        edited.write_text(original, encoding="utf-8")
        folder = target / ".secreview_cache"
        cache_bytes = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        findings = len(json.loads(reference)["findings"])
    warm, touched, edit = best(warm_runs), best(touched_runs), best(edit_runs)
    return {
        "target": str(source),
        "files": len(files),
        "lines": lines,
        "findings": findings,
        "repeat": repeat,
        "no_cache_s": round(uncached["seconds"], 2),
        "no_cache_cpu_s": round(uncached["cpu"], 2),
        "cold_s": round(cold["seconds"], 2),
        "cold_cpu_s": round(cold["cpu"], 2),
        "warm_s": round(warm["seconds"], 2),
        "warm_cpu_s": round(warm["cpu"], 2),
        "touched_s": round(touched["seconds"], 2),
        "edited_s": round(edit["seconds"], 2),
        "edited_cpu_s": round(edit["cpu"], 2),
        "warm_vs_cold": round(warm["seconds"] / cold["seconds"], 3),
        "cache_mib": round(cache_bytes / 1024 / 1024, 1),
        "cpus": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", type=Path, help="project directories (default: Nova)")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "secreview-bench")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    targets = [p.resolve() for p in args.paths] or [nova_sources(args.cache)]
    compile_tools()
    rows = [measure(target, args.repeat) for target in targets]
    for row in rows:
        print(
            f"{Path(str(row['target'])).name}: {row['files']} files, {row['lines']} lines,"
            f" {row['findings']} findings; warm scans best of {row['repeat']}\n"
            f"  --no-cache          {row['no_cache_s']:>7}s  cpu {row['no_cache_cpu_s']:>7}s\n"
            f"  cold (writes)       {row['cold_s']:>7}s  cpu {row['cold_cpu_s']:>7}s"
            f"  cache {row['cache_mib']} MiB\n"
            f"  warm, unchanged     {row['warm_s']:>7}s  cpu {row['warm_cpu_s']:>7}s"
            f"  ({row['warm_vs_cold']} of cold)\n"
            f"  warm, one touched   {row['touched_s']:>7}s\n"
            f"  warm, one edited    {row['edited_s']:>7}s  cpu {row['edited_cpu_s']:>7}s\n"
            f"  every cached report equals the uncached one; {row['cpus']} CPUs"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
