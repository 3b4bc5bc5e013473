"""Mutated real files through the real command line: no traceback, a diagnostic for every
file that cannot be parsed, and exit code 0 or 1 only.

The files come from `bench/fuzz.py` with the repository's own sources and fixtures as seeds,
at a small scale so that the run fits the test suite (`bench/fuzz.py --files 10000` is the
full benchmark, see docs/performance.md).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest

from secreview.cli import main

REPO = Path(__file__).resolve().parent.parent
FILES = 150
SEED = 20261206
SCALE = 0.02  # nesting, literals and chains at a fiftieth of the benchmark's sizes


def _load_fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("secreview_bench_fuzz", REPO / "bench/fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    seeds = fuzz.seed_files([REPO / "src", REPO / "tests/fixtures"], largest=40_000)
    folder = tmp_path_factory.mktemp("fuzz")
    return fuzz.write_corpus(seeds, FILES, SEED, folder, SCALE)


def _parses(path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, RecursionError, MemoryError, UnicodeError):
        return False
    return True


def test_generator_is_deterministic() -> None:
    seeds = fuzz.seed_files([REPO / "tests/fixtures"], largest=40_000)
    first = list(fuzz.generate(seeds, 20, SEED, SCALE))
    again = list(fuzz.generate(seeds, 20, SEED, SCALE))
    assert first == again
    assert first != list(fuzz.generate(seeds, 20, SEED + 1, SCALE))


def test_generate_only_writes_the_files_a_run_would_scan(tmp_path: Path) -> None:
    """`--generate-only` writes the corpus of a seed without scanning it (for a later
    `--corpus` run, with or without Bandit)."""
    fixtures = REPO / "tests/fixtures"
    argv = ["--seeds", str(fixtures), "--files", "4", "--seed", str(SEED), "--scale", str(SCALE)]
    assert fuzz.main([*argv, "--keep", str(tmp_path), "--generate-only"]) == 0
    expected = {
        name: data for name, data, _ in fuzz.generate(fuzz.seed_files([fixtures]), 4, SEED, SCALE)
    }
    assert {path.name: path.read_bytes() for path in tmp_path.glob("*.py")} == expected


def test_every_mutation_runs() -> None:
    import random

    source = (REPO / "src/secreview/engine/ir.py").read_bytes()
    for name, mutation in fuzz.MUTATIONS.items():
        mutated = mutation(source, random.Random(name), SCALE)
        assert isinstance(mutated, bytes), name


def test_mutated_files_in_process(
    corpus: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    folder = corpus[0].parent
    code = main(["scan", "--format", "json", "-o", str(report), "--no-cache", str(folder)])
    captured = capsys.readouterr()
    assert code in (0, 1)
    assert "Traceback" not in captured.err
    data = json.loads(report.read_text())
    scanned = {Path(f["path"]).name for f in data["files"]}
    assert {p.name for p in corpus} <= scanned
    diagnostics = data["diagnostics"]
    assert not [d for d in diagnostics if d["kind"] == "internal-error"]
    diagnosed = {Path(d["path"]).name for d in diagnostics}
    files = {Path(f["path"]).name: f for f in data["files"]}
    unparseable = [p.name for p in corpus if not _parses(p)]
    assert unparseable, "the mutations should break some files"
    # A file Python 3 cannot parse is either reported or read in an older dialect.
    for name in unparseable:
        assert name in diagnosed or files[name]["dialect"] != "python3", name
    not_analysed = [name for name, f in files.items() if not f["analysed"]]
    assert [name for name in not_analysed if name not in diagnosed] == []
    warnings_lines = [line for line in captured.err.splitlines() if ": warning: " in line]
    for diagnostic in diagnostics:
        assert "\n" not in diagnostic["message"]
        name = Path(diagnostic["path"]).name
        assert any(name in line for line in warnings_lines), diagnostic


def test_mutated_files_in_a_subprocess(corpus: list[Path]) -> None:
    for path in corpus[:: len(corpus) // 4][:4]:
        done = subprocess.run(
            [sys.executable, "-m", "secreview", "scan", "--no-cache", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode in (0, 1), (path, done.stderr[-2000:])
        assert "Traceback" not in done.stderr, done.stderr[-2000:]
        if not _parses(path):
            lines = [line for line in done.stderr.splitlines() if path.name in line]
            assert lines, done.stderr
