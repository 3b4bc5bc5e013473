"""The result cache: a warm scan shows exactly what a cold scan shows.

Every test compares what a scan with the cache reports against a scan without it, on the
fixture projects and on projects edited between scans, and checks that entries secreview did
not write (corrupt, truncated, foreign, crafted) are never trusted.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from secreview import analysis
from secreview.analysis import ScanOptions, ScanResult, scan
from secreview.cache import MAGIC, ResultCache
from secreview.cli import main
from secreview.config import Config, load_config
from secreview.review import build_review
from tests.gitrepo import ENV, make_repo, needs_git

PROJECTS = Path(__file__).parent / "fixtures" / "projects"


@pytest.fixture(autouse=True)
def signing_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the signing key of these tests out of the user's own cache directory."""
    home = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def _write(root: Path, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def _scan(root: Path, *, cache: bool, jobs: int = 1) -> ScanResult:
    config = load_config(root)
    return scan([root], config, ScanOptions(cache=cache), jobs=jobs)


def _observed(result: ScanResult, root: Path) -> dict[str, Any]:
    """Everything a report shows, minus timings."""
    config = load_config(root)
    review = build_review(result, config)
    return {
        "findings": result.findings,
        "suppressed": sorted(result.suppressed, key=lambda s: s[0].sort_key),
        "stale": sorted(result.stale_suppressions),
        "diagnostics": result.all_diagnostics,
        "examined": sorted(
            (site for r in result.files for site in r.examined),
            key=lambda s: (s.path, s.line, s.cwe, s.kind, s.verdict, s.detail),
        ),
        "files": [(r.path, r.lines, r.test_code, r.dialect) for r in result.files],
        "checklist": review.checklist,
        "conclusion": review.conclusion,
    }


def _entries(root: Path, kind: str) -> list[Path]:
    folder = root / ".secreview_cache" / kind
    return sorted(p for p in folder.iterdir() if not p.name.endswith(".tmp"))


@pytest.mark.parametrize("name", sorted(p.name for p in PROJECTS.iterdir() if p.is_dir()))
def test_fixture_projects_warm_equals_cold(name: str, tmp_path: Path) -> None:
    root = tmp_path / name
    shutil.copytree(PROJECTS / name, root)
    cold = _observed(_scan(root, cache=False), root)
    assert not (root / ".secreview_cache").exists()  # no cache asked, none written

    first = _observed(_scan(root, cache=True), root)  # writes every entry
    assert first == cold
    assert _entries(root, "files") and len(_entries(root, "projects")) == 1
    whole = _observed(_scan(root, cache=True), root)  # the solved project, reused whole
    assert whole == cold
    for entry in _entries(root, "projects"):
        entry.unlink()
    per_file = _observed(_scan(root, cache=True), root)  # each file's IR, solved again
    assert per_file == cold


FLOW_PROJECT = {
    "pyproject.toml": """
        [tool.secreview]
        exclude = []
    """,
    "webapp/__init__.py": "",
    "webapp/views.py": """
        from flask import Flask, request

        from webapp import jobs

        app = Flask(__name__)


        @app.route("/archive")
        def archive():
            name = request.args.get("name", "")
            jobs.compress(name)  # secreview: ignore[SR203] -- not a pattern finding here
            return "queued"
    """,
    "webapp/jobs.py": """
        import subprocess

        from webapp.shell import run


        def compress(name):
            run("tar czf /tmp/out.tgz " + name)


        def cleanup():
            subprocess.run(["rm", "-f", "/tmp/out.tgz"])
    """,
    "webapp/shell.py": """
        import subprocess


        def run(command):
            return subprocess.run(command, shell=True, check=False)
    """,
}

SAFE_SHELL = """
    import shlex
    import subprocess


    def run(command):
        return subprocess.run(shlex.split(command), check=False)
"""


def _flows(result: ScanResult) -> list[tuple[str, int, str, int]]:
    return [
        (Path(f.path).name, f.line, f.rule_id, f.cwe)
        for f in result.findings
        if f.rule_id.startswith("SR9")
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_changed_module_makes_a_flow_disappear_and_reappear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(analysis, "PARALLEL_THRESHOLD", 1)  # workers even for a few files
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    cold = _scan(root, cache=True, jobs=jobs)
    assert _flows(cold) == [("shell.py", 6, "SR901", 78)]
    assert [(s.kind, Path(s.path).name, s.line) for s in cold.findings[0].trace] == [
        ("source", "views.py", 11),
        ("step", "views.py", 11),
        ("call", "views.py", 12),
        ("call", "jobs.py", 8),
        ("sink", "shell.py", 6),
    ]

    _write(root, {"webapp/shell.py": SAFE_SHELL})  # the flow across modules disappears
    warm = _scan(root, cache=True, jobs=jobs)
    assert _flows(warm) == []
    assert _observed(warm, root) == _observed(_scan(root, cache=False), root)

    _write(root, {"webapp/shell.py": FLOW_PROJECT["webapp/shell.py"]})  # and comes back
    again = _scan(root, cache=True, jobs=jobs)
    assert _flows(again) == [("shell.py", 6, "SR901", 78)]
    assert _observed(again, root) == _observed(_scan(root, cache=False), root)
    assert _observed(again, root) == _observed(cold, root)


def test_a_new_caller_in_another_module_is_seen(tmp_path: Path) -> None:
    root = tmp_path / "project"
    files = dict(FLOW_PROJECT)
    files["webapp/views.py"] = """
        from flask import Flask

        app = Flask(__name__)
    """
    _write(root, files)
    assert _flows(_scan(root, cache=True)) == []
    _write(root, {"webapp/views.py": FLOW_PROJECT["webapp/views.py"]})
    assert _flows(_scan(root, cache=True)) == [("shell.py", 6, "SR901", 78)]


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garbled":
        path.write_bytes(data[:-40] + bytes(40))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "other-version":
        path.write_bytes(MAGIC + bytes((data[len(MAGIC)] + 1,)) + data[len(MAGIC) + 1 :])
    else:
        path.write_bytes(b"not a cache entry at all\n")


@pytest.mark.parametrize("how", ["truncated", "garbled", "empty", "other-version", "foreign"])
def test_damaged_entries_are_ignored_and_written_again(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    expected = _observed(_scan(root, cache=False), root)
    _scan(root, cache=True)
    for path in [*_entries(root, "files"), *_entries(root, "projects")]:
        _damage(path, how)
    assert _observed(_scan(root, cache=True), root) == expected
    assert "Traceback" not in capsys.readouterr().err
    # Written again: the next scan reads them back.
    cache = ResultCache.open(root / ".secreview_cache", {})
    assert cache is not None
    assert all(cache._load("files", p.name) is not None for p in _entries(root, "files"))
    assert all(cache._load("projects", p.name) is not None for p in _entries(root, "projects"))


class _Explode:
    """A pickle that runs a command when loaded: what a hostile checkout could ship."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def test_a_crafted_pickle_in_the_cache_folder_is_never_loaded(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    expected = _observed(_scan(root, cache=False), root)
    _scan(root, cache=True)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Explode(marker))
    for path in [*_entries(root, "files"), *_entries(root, "projects")]:
        data = path.read_bytes()
        header = len(MAGIC) + 1 + 32
        path.write_bytes(data[:header] + payload)  # a real header, a payload it did not sign
    assert _observed(_scan(root, cache=True), root) == expected
    assert not marker.exists()


def test_configuration_changes_invalidate(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    _scan(root, cache=True)
    variants = [
        '[tool.secreview]\nper-file-ignores = { "webapp/shell.py" = ["SR901"] }\n',
        '[tool.secreview]\nselect = ["SR201"]\n',
        "[tool.secreview]\ndataflow = false\n",
        "[tool.secreview]\npropagate-unknown-calls = false\n",
        '[tool.secreview]\ntest-code = ["webapp/*"]\n',
        '[tool.secreview]\nseverity = "critical"\n',
        '[tool.secreview]\nconfidence = "high"\n',
        "[tool.secreview]\nmax-file-size = 100\n",
        '[[tool.secreview.overrides]]\npaths = ["webapp/shell.py"]\nignore = ["CWE-78"]\n',
    ]
    for text in variants:
        (root / "pyproject.toml").write_text(text, encoding="utf-8")
        expected = _observed(_scan(root, cache=False), root)
        assert _observed(_scan(root, cache=True), root) == expected, text
        assert _observed(_scan(root, cache=True), root) == expected, text


def test_inline_ignore_setting_is_part_of_the_key(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    _write(
        root,
        {
            "webapp/shell.py": FLOW_PROJECT["webapp/shell.py"].replace(
                "check=False)", "check=False)  # nosec"
            )
        },
    )
    config = load_config(root)
    hidden = scan([root], config, ScanOptions(cache=True), jobs=1)
    assert _flows(hidden) == [] and hidden.suppressed
    shown = scan([root], load_config(root), ScanOptions(inline_ignores=False, cache=True), jobs=1)
    assert _flows(shown) == [("shell.py", 6, "SR901", 78)]


def test_user_models_change_invalidates(tmp_path: Path) -> None:
    root = tmp_path / "project"
    files = dict(FLOW_PROJECT)
    files["webapp/shell.py"] = """
        from opslib import remote


        def run(command):
            return remote.execute(command)
    """
    _write(root, files)
    assert _flows(_scan(root, cache=True)) == []
    (root / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.secreview.models]
            [[tool.secreview.models.sink]]
            call = ["opslib.remote.execute"]
            arg = { pos = [0] }
            cwe = 78
            """
        ),
        encoding="utf-8",
    )
    assert _flows(_scan(root, cache=True)) == [("shell.py", 6, "SR901", 78)]
    assert _observed(_scan(root, cache=True), root) == _observed(_scan(root, cache=False), root)


def test_built_in_models_and_code_are_part_of_the_key(tmp_path: Path) -> None:
    from secreview import cache as cache_module

    package = tmp_path / "secreview"
    shutil.copytree(
        Path(cache_module.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__")
    )
    before = cache_module.tree_digest(package)
    stdlib = package / "models" / "stdlib.toml"
    stdlib.write_text(stdlib.read_text(encoding="utf-8") + "\n# a model edited\n")
    after_model = cache_module.tree_digest(package)
    assert after_model != before
    walker = package / "engine" / "walker.py"
    walker.write_text(walker.read_text(encoding="utf-8") + "\n# code edited\n")
    assert cache_module.tree_digest(package) not in (before, after_model)
    edited = cache_module.tree_digest(package)
    (package / "notes.txt").write_text("not code\n")
    assert cache_module.tree_digest(package) == edited


def test_cli_no_cache_and_cache_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    monkeypatch.chdir(root)
    folder = root / ".secreview_cache"
    assert main(["scan", "--no-cache", "-q"]) == 1
    assert not folder.exists()
    assert main(["review", "--no-cache", "-q"]) == 1
    assert main(["baseline", "create", "--no-cache", "-q", "-o", str(tmp_path / "b.json")]) == 0
    assert not folder.exists()
    capsys.readouterr()

    assert main(["scan", "-q", "-f", "json"]) == 1
    cold = capsys.readouterr().out
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert main(["scan", "-q", "-f", "json"]) == 1
    warm = capsys.readouterr().out
    assert _without_seconds(warm) == _without_seconds(cold)

    assert main(["cache", "dir"]) == 0
    assert capsys.readouterr().out.strip() == str(folder)
    assert main(["cache", "clear"]) == 0
    assert "removed" in capsys.readouterr().out
    assert not folder.exists()

    assert main(["config"]) == 0
    shown = capsys.readouterr().out
    assert "cache = true" in shown and f'cache-dir = "{folder}"' in shown


def _without_seconds(report: str) -> str:
    return "\n".join(line for line in report.splitlines() if '"seconds"' not in line)


def test_cache_settings_in_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    (root / "pyproject.toml").write_text(
        '[tool.secreview]\ncache-dir = "build/sr-cache"\n', encoding="utf-8"
    )
    monkeypatch.chdir(root)
    assert main(["scan", "-q"]) == 1
    assert any((root / "build" / "sr-cache" / "files").iterdir())
    assert not (root / ".secreview_cache").exists()
    (root / "pyproject.toml").write_text("[tool.secreview]\ncache = false\n", encoding="utf-8")
    shutil.rmtree(root / "build")
    assert main(["scan", "-q"]) == 1
    assert not (root / "build").exists() and not (root / ".secreview_cache").exists()
    assert load_config(root).cache is False


def test_bad_cache_settings_are_configuration_errors(tmp_path: Path) -> None:
    from secreview.config import ConfigError

    for text in (
        'cache = "yes"',
        "cache-dir = 3",
        'cache-dir = ""',
        'cache-dir = "/tmp/elsewhere"',  # a checkout's configuration stays inside the tree
        'cache-dir = "../outside"',
        'cache-dir = "~/caches"',
    ):
        (tmp_path / "secreview.toml").write_text(text + "\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="cache"):
            load_config(tmp_path)


def test_a_cache_dir_that_links_out_of_the_tree_is_not_used(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "build").symlink_to(outside)
    (root / "pyproject.toml").write_text('[tool.secreview]\ncache-dir = "build/cache"\n')
    assert _flows(_scan(root, cache=True)) == [("shell.py", 6, "SR901", 78)]
    assert list(outside.iterdir()) == []


def test_standard_input_is_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    monkeypatch.chdir(root)
    text = FLOW_PROJECT["webapp/shell.py"].replace("command, shell", "'ls ' + input(), shell")
    stdin = io.TextIOWrapper(io.BytesIO(textwrap.dedent(text).encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["scan", "-", "--stdin-filename", "webapp/shell.py", "-q"]) == 1
    assert "webapp/shell.py" in capsys.readouterr().out
    assert not (root / ".secreview_cache").exists()


def test_files_outside_the_project_root_are_not_cached(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    outside = tmp_path / "elsewhere"
    _write(outside, {"tool.py": "import os\nos.system('ls ' + input())\n"})
    config = load_config(root)
    result = scan([root, outside], config, ScanOptions(cache=True), jobs=1)
    assert any(f.path.endswith("tool.py") for f in result.findings)
    assert _entries(root, "files")  # the project's own files are
    assert not _entries(root, "projects")  # not the whole scan: one file has no entry
    assert not (outside / ".secreview_cache").exists()
    again = scan([root, outside], load_config(root), ScanOptions(cache=True), jobs=1)
    assert _observed(again, root) == _observed(result, root)


def test_unusable_cache_folder_does_not_stop_the_scan(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    (root / ".secreview_cache").write_text("a file where the folder should be\n")
    result = _scan(root, cache=True)
    assert _flows(result) == [("shell.py", 6, "SR901", 78)]
    target = tmp_path / "somewhere-else"
    target.mkdir()
    (root / ".secreview_cache").unlink()
    (root / ".secreview_cache").symlink_to(target)  # a checkout may ship a link
    assert _flows(_scan(root, cache=True)) == [("shell.py", 6, "SR901", 78)]
    assert list(target.iterdir()) == []


def test_prune_keeps_what_the_scan_uses(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    _scan(root, cache=True)
    old = time.time() - 90 * 24 * 3600
    stale = root / ".secreview_cache" / "files" / ("0" * 64)
    stale.write_bytes(b"left by an earlier version of the code")
    leftover = root / ".secreview_cache" / "files" / (("1" * 64) + ".123.tmp")
    leftover.write_bytes(b"a write that was interrupted")
    for path in [*_entries(root, "files"), *_entries(root, "projects"), leftover]:
        os.utime(path, (old, old))
    _write(root, {"webapp/shell.py": SAFE_SHELL})  # a change: the scan writes, then prunes
    _scan(root, cache=True)
    assert not stale.exists() and not leftover.exists()
    names = {p.name for p in _entries(root, "files")}
    assert len(names) == 4  # every current file kept, however old its entry
    assert _observed(_scan(root, cache=True), root) == _observed(_scan(root, cache=False), root)


def test_concurrent_scans_agree(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    for index in range(6):
        _write(root, {f"webapp/extra_{index}.py": f"import os\n\nos.system('ls {index}')\n"})
    command = [sys.executable, "-m", "secreview", "scan", "-q", "-f", "json", "--jobs", "1"]
    env = {**os.environ, "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}
    processes = [
        subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [_without_seconds(p.communicate()[0]) for p in processes]
    assert all(p.returncode == 1 for p in processes)
    assert outputs[0] == outputs[1] == outputs[2]
    warm = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert "Traceback" not in warm.stderr
    assert _without_seconds(warm.stdout) == outputs[0]


def test_signing_key_lives_outside_the_project(tmp_path: Path, signing_home: Path) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    _scan(root, cache=True)
    key = signing_home / "secreview" / "cache-key"
    assert key.is_file() and len(key.read_bytes()) == 32
    assert not any("cache-key" in p.name for p in root.rglob("*"))
    # Another user (another key) cannot read these entries: each is a miss, then rewritten.
    key.write_bytes(bytes(32))
    cache = ResultCache.open(root / ".secreview_cache", {})
    assert cache is not None
    assert all(cache._load("files", p.name) is None for p in _entries(root, "files"))
    assert _observed(_scan(root, cache=True), root) == _observed(_scan(root, cache=False), root)


def test_config_without_cache_options_uses_the_default_folder(tmp_path: Path) -> None:
    config = Config(root=tmp_path)
    assert config.cache and config.cache_directory() == tmp_path / ".secreview_cache"


def test_notebooks_and_scripts_are_cached_like_modules(tmp_path: Path) -> None:
    import json

    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Maintenance\n"]},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": 1,
            "outputs": [],
            "source": ["import os\n", "target = input('host: ')\n"],
        },
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": 2,
            "outputs": [],
            "source": ["os.system('ping -c 1 ' + target)\n"],
        },
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (root / "maintenance.ipynb").write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    (root / "deploy").write_text("#!/usr/bin/env python3\nimport os\nos.system(input())\n")
    cold = _observed(_scan(root, cache=False), root)
    assert any(f.path.endswith("maintenance.ipynb") for f in cold["findings"])
    assert _observed(_scan(root, cache=True), root) == cold
    assert _observed(_scan(root, cache=True), root) == cold
    for entry in _entries(root, "projects"):
        entry.unlink()
    assert _observed(_scan(root, cache=True), root) == cold


@needs_git
def test_diff_mode_reads_the_cache_and_reports_what_it_reports_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"):
        monkeypatch.setenv(name, ENV[name])
    files = {**FLOW_PROJECT, "webapp/shell.py": SAFE_SHELL}
    repo = make_repo(tmp_path / "project", {k: textwrap.dedent(v) for k, v in files.items()})
    repo.write({"webapp/shell.py": FLOW_PROJECT["webapp/shell.py"]})  # the change: a flow
    monkeypatch.chdir(repo.root)

    def diff(*extra: str) -> tuple[int, str]:
        code = main(["diff", "-q", "-f", "json", *extra])
        return code, _without_seconds(capsys.readouterr().out)

    reference = diff("--no-cache")
    assert not (repo.root / ".secreview_cache").exists()
    assert reference[0] == 1 and '"rule_id": "SR901"' in reference[1]
    assert diff() == reference  # cold: writes each side's files
    entries = _entries(repo.root, "files")
    assert entries
    diff_review = sys.modules["secreview.changes.review"]  # the package exports a function
    analysed: list[str] = []
    analyse = diff_review.analyze_parsed
    monkeypatch.setattr(
        diff_review,
        "analyze_parsed",
        lambda parsed, *args, **kw: analysed.append(parsed.path) or analyse(parsed, *args, **kw),
    )
    assert diff() == reference  # warm: reads them back, analyses nothing
    assert analysed == []
    assert _entries(repo.root, "files") == entries
    assert repo.git("status", "--porcelain").strip() == "M webapp/shell.py"


def test_a_file_edited_during_the_scan_is_not_kept_under_its_old_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    shell = root / "webapp" / "shell.py"
    vulnerable = shell.read_text(encoding="utf-8")
    analyse = analysis.analyze_file_safely

    def edited_meanwhile(source: Any, *args: Any) -> Any:
        if source.path.name == "shell.py":  # hashed as it was, analysed as it now is
            _write(root, {"webapp/shell.py": SAFE_SHELL})
        return analyse(source, *args)

    monkeypatch.setattr(analysis, "analyze_file_safely", edited_meanwhile)
    assert _flows(_scan(root, cache=True)) == []  # what the scan read
    monkeypatch.setattr(analysis, "analyze_file_safely", analyse)  # (undo() would drop the key)
    shell.write_text(vulnerable, encoding="utf-8")  # back to the bytes of the first key
    assert _flows(_scan(root, cache=True)) == [("shell.py", 6, "SR901", 78)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("planted", ["fifo", "link-to-zero", "link-to-key"])
def test_entries_that_are_not_regular_files_are_never_read(
    tmp_path: Path, planted: str, signing_home: Path
) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    expected = _observed(_scan(root, cache=False), root)
    _scan(root, cache=True)
    for path in [*_entries(root, "files"), *_entries(root, "projects")]:
        path.unlink()  # entry names can be worked out: a checkout can ship anything under them
        if planted == "fifo":
            os.mkfifo(path)
        elif planted == "link-to-zero":
            path.symlink_to("/dev/zero")
        else:
            path.symlink_to(signing_home / "secreview" / "cache-key")
    assert _observed(_scan(root, cache=True), root) == expected  # no hang, no endless read


def test_results_of_a_moment_are_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "project"
    _write(root, FLOW_PROJECT)
    analyse = analysis.analyze_file

    def short_of_memory(source: Any, *args: Any) -> Any:
        if source.path.name == "shell.py":
            raise MemoryError
        return analyse(source, *args)

    monkeypatch.setattr(analysis, "analyze_file", short_of_memory)
    starved = _scan(root, cache=True)
    assert [d.kind for d in starved.all_diagnostics] == ["analysis-bound"]
    assert _flows(starved) == []
    assert not _entries(root, "projects")
    monkeypatch.setattr(analysis, "analyze_file", analyse)  # memory again: analysed afresh
    assert _flows(_scan(root, cache=True)) == [("shell.py", 6, "SR901", 78)]
    assert not _scan(root, cache=True).all_diagnostics
