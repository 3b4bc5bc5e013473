"""The solver analyses only the functions that can change its results, and still finds flows
whose source and sink meet through attributes and module variables written elsewhere."""

from __future__ import annotations

from pathlib import Path

from secreview.analysis import analyze_parsed, module_name_for, scan
from secreview.config import Config
from secreview.engine.ir import ModuleIR
from secreview.engine.taint import Program
from secreview.parsing.source import ParsedSource, parse_source

UTILS = """\
import hashlib
import shlex


def build_cmd(archive):
    return "tar -xzf " + archive


def human_size(count):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024:
            return f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} TiB"


def checksum(data):
    return _digest(data)


def _digest(data):
    return hashlib.sha256(data).hexdigest()
"""

VIEWS = """\
import os

from flask import Flask, request

from backups.utils import build_cmd, human_size

app = Flask(__name__)


@app.route("/restore")
def restore():
    os.system(build_cmd(request.args["archive"]))
    return "restoring"


def usage_banner(total_bytes):
    return "Backups use " + human_size(total_bytes)
"""

JOBS = """\
import subprocess

from flask import Flask, request

app = Flask(__name__)


class Job:
    def __init__(self, command):
        self.command = command

    def run(self):
        subprocess.call(self.command, shell=True)


def submit():
    queue_job(Job(request.form["command"]))
    return "queued"


def queue_job(job):
    PENDING.append(job)


def pending_count():
    return len(PENDING)


PENDING = []
"""

SETTINGS = """\
import os
import sys

HOOK = "true"


def load_settings():
    global HOOK
    HOOK = sys.argv[1]


def after_backup():
    os.system(HOOK)
"""


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "backups"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in files.items():
        (package / name).write_text(text)
    return tmp_path


def _solved(root: Path) -> Program:
    config = Config(root=root)
    modules: list[ModuleIR] = []
    for path in sorted(root.rglob("*.py")):
        parsed = parse_source(path.read_text(), str(path))
        assert isinstance(parsed, ParsedSource)
        name, is_package = module_name_for(path)
        result = analyze_parsed(
            parsed,
            config.rules_for(path.name),
            module_name=name,
            is_package=is_package,
            models=config.model_set(),
        )
        assert result.ir is not None
        modules.append(result.ir)
    program = Program(modules, config.model_set())
    program.solve()
    return program


def _flows(root: Path) -> list[tuple[str, str, int]]:
    result = scan([root], Config(root=root), jobs=1)
    return [(f.rule_id, Path(f.path).name, f.line) for f in result.findings if f.rule_id[2] == "9"]


def test_helpers_no_sink_depends_on_are_not_analysed(tmp_path: Path):
    root = _project(tmp_path, {"utils.py": UTILS, "views.py": VIEWS})
    analysed = _solved(root).analysed
    assert "backups.views.restore" in analysed
    assert "backups.utils.build_cmd" in analysed  # its summary carries the flow to the sink
    # No sink is reached through these, and no analysed function reads what they produce.
    for name in (
        "backups.views.usage_banner",
        "backups.utils.human_size",
        "backups.utils.checksum",
    ):
        assert name not in analysed
    assert "backups.utils._digest" not in analysed
    assert _flows(root) == [("SR901", "views.py", 12)]


def test_a_function_that_writes_an_attribute_a_sink_reads_is_analysed(tmp_path: Path):
    """`submit()` reaches no sink itself; it matters because the object it builds stores the
    form value in `self.command`, which `Job.run()` passes to a shell."""
    root = _project(tmp_path, {"jobs.py": JOBS})
    analysed = _solved(root).analysed
    assert {"backups.jobs.Job.run", "backups.jobs.Job.__init__", "backups.jobs.submit"} <= analysed
    assert "backups.jobs.pending_count" not in analysed
    assert _flows(root) == [("SR901", "jobs.py", 13)]


def test_a_function_that_writes_a_module_variable_a_sink_reads_is_analysed(tmp_path: Path):
    root = _project(tmp_path, {"settings.py": SETTINGS})
    analysed = _solved(root).analysed
    assert {"backups.settings.after_backup", "backups.settings.load_settings"} <= analysed
    assert _flows(root) == [("SR901", "settings.py", 13)]


def _solve_everything(program: Program, callees: dict[str, list[str]]) -> set[str]:
    return set(program.functions)


def _outcome(root: Path) -> tuple[list[tuple[object, ...]], dict[tuple[str, int, int, int], str]]:
    program = _solved(root)
    hits = [(h.cwe, h.sink.path, h.sink.line, h.source, h.trace) for h in program.hits.values()]
    return sorted(hits, key=repr), program.sink_verdicts()


def test_leaving_functions_out_changes_no_result(monkeypatch):
    """Every fixture project and the labelled corpus give the same flows, traces and sink
    verdicts as a solve that analyses every function."""
    fixtures = Path(__file__).parent / "fixtures"
    roots = [*sorted((fixtures / "projects").iterdir()), Path(__file__).parents[1] / "corpus"]
    sliced = [_outcome(root) for root in roots]
    monkeypatch.setattr(Program, "_functions_that_matter", _solve_everything)
    assert [_outcome(root) for root in roots] == sliced
    assert any(hits for hits, _ in sliced)
