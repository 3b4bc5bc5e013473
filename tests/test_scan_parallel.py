"""The parallel scan gives the serial scan's results, and scans leave no garbage behind.

Scans run with Python's cyclic garbage collector off (it found nothing to free and cost close
to half of a large scan), which holds only while analysing a file creates no reference cycle.
"""

from __future__ import annotations

import gc
from pathlib import Path

from secreview.analysis import PARALLEL_THRESHOLD, _batches, analyze_source, scan
from secreview.config import Config
from secreview.discovery import SourceFile

VIEW = """\
import subprocess

from flask import Flask, request

from inventory.helpers_{n} import archive_command

app = Flask(__name__)


@app.route("/archive/{n}")
def archive_{n}():
    target = request.args.get("target", "")
    subprocess.run(archive_command(target), shell=True, check=False)
    return "ok"
"""

HELPER = """\
import hashlib

BACKUP_ROOT = "/var/backups"


def archive_command(target):
    digest = hashlib.md5(target.encode()).hexdigest()
    padding = [{padding}]
    return f"tar czf {{BACKUP_ROOT}}/{{digest}}.tgz {{target}}"
"""


def _project(root: Path, modules: int) -> Path:
    package = root / "inventory"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for n in range(modules):
        (package / f"views_{n}.py").write_text(VIEW.format(n=n))
        # Files of very different sizes, so that batching by size matters.
        padding = ", ".join(str(i) for i in range(n * 40))
        (package / f"helpers_{n}.py").write_text(HELPER.format(padding=padding))
    return root


def _outcome(result) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [
        (
            file.path,
            [
                (f.rule_id, f.line, f.col, f.message, tuple(map(str, f.trace)))
                for f in file.findings
            ],
            [(e.cwe, e.line, e.kind, e.verdict, e.detail) for e in file.examined],
        )
        for file in result.files
    ]


def test_two_workers_give_the_serial_results_in_the_same_order(tmp_path: Path) -> None:
    root = _project(tmp_path, PARALLEL_THRESHOLD // 2 + 2)
    config = Config(root=root)
    serial = scan([root], config, jobs=1)
    parallel = scan([root], config, jobs=2)
    assert len(serial.files) >= PARALLEL_THRESHOLD
    assert [f.path for f in parallel.files] == sorted(f.path for f in parallel.files)
    assert _outcome(parallel) == _outcome(serial)
    flows = [f for f in serial.findings if f.rule_id == "SR901"]
    assert len(flows) == PARALLEL_THRESHOLD // 2 + 2  # one command injection per view


def test_batches_hold_every_file_once_largest_first(tmp_path: Path) -> None:
    files = []
    for n in range(100):
        path = tmp_path / f"m{n}.py"
        path.write_text("x = 1\n" * ((n * 37) % 100))
        files.append(SourceFile(path, path.name, False))
    batches = _batches(files, 2)
    flat = [index for batch in batches for index, _ in batch]
    assert sorted(flat) == list(range(100))
    sizes = [files[index].path.stat().st_size for index in flat]
    assert sizes == sorted(sizes, reverse=True)
    assert len(batches[-1]) <= len(batches[0]) or len(batches) == 1


def test_scan_restores_the_garbage_collector(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import os\nos.system('ls')\n")
    assert gc.isenabled()
    scan([tmp_path], Config(root=tmp_path), jobs=1)
    assert gc.isenabled()
    gc.disable()
    try:
        scan([tmp_path], Config(root=tmp_path), jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_analysing_a_file_leaves_no_reference_cycle() -> None:
    source = (Path(__file__).parent / "fixtures" / "projects" / "flask_shop").rglob("*.py")
    texts = [(path.read_text(), path.name) for path in sorted(source)]
    enabled = gc.isenabled()
    gc.disable()
    try:
        for text, name in texts:  # the first round fills caches that live on
            analyze_source(text, name)
        gc.collect()
        for text, name in texts:
            analyze_source(text, name)
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
