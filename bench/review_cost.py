"""What the review costs on top of a scan: `secreview review` against `secreview scan -f json`.

    python bench/review_cost.py              # 1,000 files of the running standard library
    python bench/review_cost.py PATH         # any project

Both commands analyse the same files; the review adds the checklist, built from the sites the
rules examined. The two commands run alternately `--repeat` times (default 3) and the best time
of each counts. Because a busy machine makes whole runs differ by more than the review costs,
the script also times, in one process on one scan result, rendering the JSON report and
building and rendering the review.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path


def secreview() -> str:
    local = Path(sys.executable).with_name("secreview")
    return str(local) if local.exists() else (shutil.which("secreview") or "secreview")


def stdlib_sample(target: Path, count: int) -> Path:
    """The first `count` files of the standard library (site-packages left out), copied."""
    root = Path(sysconfig.get_paths()["stdlib"])
    chosen = [
        p for p in sorted(root.rglob("*.py")) if "site-packages" not in p.relative_to(root).parts
    ][:count]
    for path in chosen:
        copy = target / path.relative_to(root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    return target


def best(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = args.path or stdlib_sample(Path(tmp) / "project", args.files)
        files = sum(1 for _ in project.rglob("*.py"))
        out = Path(tmp) / "out"
        tool = secreview()
        common = ["--quiet", "--no-gitignore", "--output", str(out)]
        scan_cmd = [tool, "scan", str(project), "--format", "json", *common]
        review_cmd = [tool, "review", str(project), *common]
        scans, reviews = [], []
        for _ in range(args.repeat):
            scans.append(best(scan_cmd, 1))
            reviews.append(best(review_cmd, 1))
        scan, review = min(scans), min(reviews)
        analysis, as_json, as_review = in_process(project)
    print(
        f"{files} files: scan --format json {scan:.2f}s, review {review:.2f}s "
        f"(+{100 * (review - scan) / scan:.1f}%)\n"
        f"in one process: analysis {analysis:.2f}s, JSON report {as_json:.3f}s, "
        f"review {as_review:.3f}s (+{100 * (as_review - as_json) / analysis:.2f}% of the analysis)"
    )
    return 0


def in_process(project: Path) -> tuple[float, float, float]:
    import io

    from secreview.analysis import scan
    from secreview.config import Config
    from secreview.reporters import get_reporter

    config = Config(root=project)
    started = time.perf_counter()
    result = scan([project], config)
    analysis = time.perf_counter() - started
    timings = []
    for name in ("json", "review"):
        reporter = get_reporter(name, config)
        started = time.perf_counter()
        reporter(result, io.StringIO(), False)
        timings.append(time.perf_counter() - started)
    return analysis, timings[0], timings[1]


if __name__ == "__main__":
    raise SystemExit(main())
