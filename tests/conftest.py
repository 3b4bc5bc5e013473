from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from secreview.cli import main


@pytest.fixture
def write(tmp_path: Path):
    """Write dedented files under tmp_path: write("pkg/a.py", "code")."""

    def _write(relpath: str, text: str | bytes) -> Path:
        path = tmp_path / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def run_cli(capsys, monkeypatch, tmp_path):
    """Run the CLI in tmp_path; returns (exit code, stdout, stderr)."""

    def _run(*args: str) -> tuple[int, str, str]:
        monkeypatch.chdir(tmp_path)
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return _run
