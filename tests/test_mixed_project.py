"""A project holding every kind of Python a repository carries: modules, notebooks, Python 2
files and scripts without an extension. Each is analysed or named with the reason it is not,
and the summary counts notebooks and Python 2 files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "ops-portal"
    (root / "portal").mkdir(parents=True)
    (root / "portal" / "__init__.py").write_text("", encoding="utf-8")
    (root / "portal" / "views.py").write_text(
        "import subprocess\n"
        "\n"
        "from flask import Flask, request\n"
        "\n"
        "app = Flask(__name__)\n"
        "\n"
        "\n"
        '@app.route("/uptime")\n'
        "def uptime():\n"
        '    host = request.args["host"]\n'
        '    return subprocess.check_output("ssh " + host + " uptime", shell=True)\n',
        encoding="utf-8",
    )
    (root / "notebooks").mkdir()
    shutil.copy(FIXTURES / "notebooks" / "log_triage.ipynb", root / "notebooks")
    (root / "notebooks" / "draft.ipynb").write_text('{"cells": [', encoding="utf-8")
    (root / "legacy").mkdir()
    shutil.copy(FIXTURES / "python2" / "status_server.py", root / "legacy")
    (root / "bin").mkdir()
    script = root / "bin" / "portal-manage"
    script.write_text(
        "#!/usr/bin/env python3\nimport os\nimport sys\n\nos.system('rsync -a ' + sys.argv[1])\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    (root / "bin" / "deploy.sh").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    return root


def _inside(path: str) -> str:
    assert path.startswith("ops-portal/"), path
    return path.removeprefix("ops-portal/")


def test_every_kind_of_python_file_is_analysed_or_named(tmp_path, run_cli):
    root = _project(tmp_path)
    code, out, err = run_cli("scan", str(root), "--format", "json", "--no-cache")
    report = json.loads(out)
    # Paths are shown relative to the working directory, the project's parent here.
    files = {_inside(f["path"]): f for f in report["files"]}
    assert {path: (f["dialect"], f["analysed"]) for path, f in files.items()} == {
        "portal/__init__.py": ("python3", True),
        "portal/views.py": ("python3", True),
        "notebooks/log_triage.ipynb": ("notebook", True),
        "notebooks/draft.ipynb": ("notebook", False),
        "legacy/status_server.py": ("python2", True),
        "bin/portal-manage": ("python3", True),
    }
    found = {(_inside(f["path"]), f["rule_id"], f["cwe"]) for f in report["findings"]}
    assert ("portal/views.py", "SR901", 78) in found
    assert ("legacy/status_server.py", "SR901", 78) in found
    assert ("bin/portal-manage", "SR901", 78) in found
    assert any(path == "notebooks/log_triage.ipynb" for path, _, _ in found)
    (diagnostic,) = report["diagnostics"]
    assert _inside(diagnostic["path"]) == "notebooks/draft.ipynb"
    assert diagnostic["kind"] == "notebook-error"
    assert report["counts"]["notebooks"] == 2 and report["counts"]["python2_files"] == 1
    assert code == 1 and "Traceback" not in err


def test_the_text_summary_counts_notebooks_and_python2_files(tmp_path, run_cli):
    root = _project(tmp_path)
    _, out, err = run_cli("scan", str(root), "--no-cache", "--color", "never")
    summary = out.strip().splitlines()[-1]
    assert "in 6 files (" in summary and "2 notebooks, 1 Python 2 file)" in summary
    assert "1 file not fully analysed" in summary
    assert "ops-portal/notebooks/draft.ipynb:1:11: notebook-error: not valid JSON" in err
