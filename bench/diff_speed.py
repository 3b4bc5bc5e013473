"""Diff mode against a full scan on a generated 2,000-file project.

    python bench/diff_speed.py [--files 2000] [--runs 3] [--keep DIR]

Generates a git repository of Flask-style packages whose modules import one another, commits
it, changes one function in one module (adding a command injection reached from a view), and
times `secreview diff` and `secreview scan .` on it, each as a fresh process, best of --runs.
Prints both times, their ratio, and how many files each analysed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "NO_COLOR": "1",
}
PER_PACKAGE = 50


def module_text(package: int, index: int) -> str:
    """A plausible module: helpers, a class, a view, imports of two sibling modules."""
    sibling_a = f"m{(index + 1) % PER_PACKAGE:03d}"
    sibling_b = f"m{(index + 7) % PER_PACKAGE:03d}"
    return f'''\
"""Module {index} of package {package}."""

import json
import logging
import subprocess

from flask import Blueprint, request

from pkg{package:02d} import {sibling_a}, {sibling_b}

log = logging.getLogger(__name__)
bp = Blueprint("p{package}m{index}", __name__)


def normalise_{index}(value):
    value = value.strip().lower()
    if not value:
        return None
    return value.replace(" ", "-")


def archive_{index}(name):
    return subprocess.run(["tar", "czf", "/srv/backup.tgz", name], check=False).returncode


class Store{index}:
    def __init__(self, conn):
        self.conn = conn

    def get(self, key):
        cursor = self.conn.cursor()
        cursor.execute("SELECT value FROM items WHERE key = ?", (key,))
        row = cursor.fetchone()
        return row[0] if row else None

    def put(self, key, value):
        self.conn.execute("INSERT INTO items (key, value) VALUES (?, ?)", (key, value))


@bp.route("/p{package}/m{index}")
def view_{index}():
    name = normalise_{index}(request.args.get("name", ""))
    log.info("archive requested")
    result = archive_{index}(name) if name else 1
    return json.dumps({{"rc": result, "a": {sibling_a}.__name__, "b": {sibling_b}.__name__}})
'''


def generate(root: Path, files: int) -> None:
    packages = max(1, files // PER_PACKAGE)
    for package in range(packages):
        directory = root / f"pkg{package:02d}"
        directory.mkdir(parents=True)
        (directory / "__init__.py").write_text("")
        for index in range(PER_PACKAGE - 1):  # the __init__.py is the 50th file
            (directory / f"m{index:03d}.py").write_text(module_text(package, index))
    # the last module index is missing from each package; imports of it are dangling, as in life


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True)


def timed(command: list[str], root: Path, runs: int) -> tuple[float, dict]:
    best = float("inf")
    report: dict = {}
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=root, env=ENV, capture_output=True, text=True)
        best = min(best, time.perf_counter() - started)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr}")
        report = json.loads(done.stdout)
    return best, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate the project here and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="secreview-bench-"))
    try:
        root.mkdir(parents=True, exist_ok=True)
        generate(root, args.files)
        count = sum(1 for _ in root.rglob("*.py"))
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "generated project")
        changed = root / "pkg07" / "m013.py"
        text = changed.read_text()
        changed.write_text(
            text.replace(
                'subprocess.run(["tar", "czf", "/srv/backup.tgz", name], check=False)',
                'subprocess.run("tar czf /srv/backup.tgz " + name, shell=True)',
            )
        )
        secreview = [sys.executable, "-m", "secreview"]
        diff_time, diff = timed([*secreview, "diff", "-f", "json"], root, args.runs)
        scan_time, full = timed([*secreview, "scan", ".", "-f", "json"], root, args.runs)
        analysed = diff["counts"]["files"] + diff["change"]["analysed_for_context"]
        print(f"project: {count} Python files, {full['counts']['lines']:,} lines; one file changed")
        print(
            f"secreview diff: {diff_time:.2f}s, {analysed} files analysed, "
            f"{len(diff['findings'])} new finding(s): "
            + ", ".join(f"{f['rule_id']} {f['path']}:{f['line']}" for f in diff["findings"])
        )
        print(
            f"secreview scan: {scan_time:.2f}s, {full['counts']['files']} files analysed "
            f"({os.cpu_count()} CPUs), {len(full['findings'])} finding(s)"
        )
        print(f"diff mode is {scan_time / diff_time:.1f}x faster")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
