"""Trees and inputs written by someone else: secreview never runs their code, never hangs,
never reads outside the paths it was given, and never prints a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from secreview.parsing.source import read_bytes
from tests.gitrepo import ENV, make_repo, needs_git

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types and links")

VULNERABLE = """\
    import os


    def ping(host):
        os.system("ping -c 1 " + host)
    """
OUTSIDE_SECRET = "DATABASE_PASSWORD = 'hunter2-from-the-ci-machine'\n"


def _secreview(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m secreview ARGS` in `cwd`, as a user would type it; a hang fails the test."""
    env = {**ENV, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "secreview", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _write(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _json_report(run_cli, *args: str) -> tuple[int, dict, str]:
    code, out, err = run_cli(*args, "--format", "json")
    return code, json.loads(out), err


# -- never run their code ------------------------------------------------------------------------
SHADOWS = ("argparse", "json", "tokenize", "dataclasses", "fnmatch", "enum", "re", "pathlib")


def test_module_form_never_imports_the_scanned_projects_modules(tmp_path):
    project = tmp_path / "project"
    _write(project, "app.py", VULNERABLE)
    for name in SHADOWS:
        marker = tmp_path / f"ran-{name}"
        _write(
            project,
            f"{name}.py",
            f"open({str(marker)!r}, 'w').close()\nraise SystemExit('{name} from the project')\n",
        )
    done = _secreview(project, "scan", ".", "--format", "json")
    assert sorted(p.name for p in tmp_path.glob("ran-*")) == []
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert ("app.py", 5, 78) in {(f["path"], f["line"], f["cwe"]) for f in findings}


HOSTILE_GIT_CONFIG = """\
[core]
\tfsmonitor = "touch {marks}/fsmonitor; echo"
\thooksPath = hooks
\tpager = "touch {marks}/pager; cat"
\tattributesFile = {root}/.evil-attributes
[filter "evil"]
\tclean = "touch {marks}/clean; cat"
\tsmudge = "touch {marks}/smudge; cat"
\tprocess = "touch {marks}/process"
\trequired = true
[diff]
\texternal = "touch {marks}/external-diff"
[diff "evil"]
\ttextconv = "touch {marks}/textconv; cat"
\tcommand = "touch {marks}/diff-command"
"""


@needs_git
@POSIX
def test_diff_runs_no_program_a_hostile_repository_names(tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    repo = make_repo(tmp_path / "project", {"app/__init__.py": "", "app/tools.py": "X = 1\n"})
    hooks = repo.root / "hooks"
    hooks.mkdir()
    for hook in ("pre-commit", "post-checkout", "post-index-change", "fsmonitor-watchman"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {marks}/hook-{hook}\n")
        (hooks / hook).chmod(0o755)
    (repo.root / ".gitattributes").write_text("*.py filter=evil diff=evil\n")
    (repo.root / ".evil-attributes").write_text("*.py filter=evil diff=evil\n")
    repo.commit("attributes")
    with (repo.root / ".git" / "config").open("a") as config:
        config.write(HOSTILE_GIT_CONFIG.format(marks=marks, root=repo.root))
    _write(repo.root, "app/tools.py", VULNERABLE)
    os.utime(repo.root / "app" / "tools.py", (0, 0))  # stat differs from the index: git hashes it
    _write(repo.root, "app/new.py", VULNERABLE)

    for args in (("diff",), ("diff", "HEAD"), ("diff", "HEAD~1..HEAD"), ("diff", "-f", "json")):
        done = _secreview(repo.root, *args)
        assert "Traceback" not in done.stderr
        assert done.returncode in (0, 1), done.stderr
    assert sorted(p.name for p in marks.iterdir()) == []
    # The review still happened: the new command injection is reported.
    report = json.loads(_secreview(repo.root, "diff", "-f", "json").stdout)
    assert ("app/tools.py", 5, 78) in {(f["path"], f["line"], f["cwe"]) for f in report["findings"]}


# -- files that are not files, and reads without an end -----------------------------------------
@POSIX
def test_fifo_named_like_python_is_skipped_not_opened(tmp_path):
    _write(tmp_path, "app.py", VULNERABLE)
    os.mkfifo(tmp_path / "pipe.py")
    done = _secreview(tmp_path, "scan", ".", "--format", "json", timeout=60)
    report = json.loads(done.stdout)
    assert {(d["path"], d["kind"]) for d in report["diagnostics"]} == {("pipe.py", "not-a-file")}
    assert "FIFO" in done.stderr and "Traceback" not in done.stderr
    assert [(f["path"], f["line"]) for f in report["findings"]][:1] == [("app.py", 5)]


@POSIX
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_device_given_on_the_command_line_is_not_read(run_cli, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    code, report, err = _json_report(run_cli, "scan", device)
    assert [(d["path"], d["kind"]) for d in report["diagnostics"]] == [(device, "not-a-file")]
    assert "a character device" in report["diagnostics"][0]["message"]
    assert code == 0 and "Traceback" not in err


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_reads_are_bounded_whatever_stat_says():
    # /proc files are regular files whose st_size is 0: the limit must hold while reading.
    path = Path("/proc/self/status")
    assert path.stat().st_size == 0
    result = read_bytes(path, "status", 64)
    assert not isinstance(result, bytes)
    assert result.kind == "too-large"
    assert isinstance(read_bytes(path, "status", 1 << 20), bytes)


# -- never leave the tree ------------------------------------------------------------------------
@POSIX
def test_symbolic_links_out_of_the_scanned_tree_are_not_followed(tmp_path, run_cli):
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    _write(outside, "settings.py", OUTSIDE_SECRET)
    _write(outside, "pkg/tool.py", VULNERABLE)
    _write(tmp_path, "app.py", VULNERABLE)
    _write(tmp_path, "lib/inner.py", VULNERABLE)
    os.symlink("/", tmp_path / "sysroot")
    os.symlink(outside / "settings.py", tmp_path / "settings.py")
    os.symlink(outside / "pkg", tmp_path / "vendored")
    os.symlink("lib", tmp_path / "alias")  # inside the tree: followed (once)
    code, report, err = _json_report(run_cli, "scan", ".")
    outside_links = {d["path"] for d in report["diagnostics"] if d["kind"] == "outside-link"}
    assert outside_links == {"sysroot", "settings.py", "vendored"}
    assert err.count("outside-link") == 3
    paths = {f["path"] for f in report["findings"]}
    assert "app.py" in paths and paths & {"lib/inner.py", "alias/inner.py"}
    assert not any(p.startswith(("sysroot", "vendored", "settings")) for p in paths)
    assert "hunter2" not in json.dumps(report) and "hunter2" not in err
    assert code == 1


@needs_git
@POSIX
def test_patch_paths_never_leave_the_repository(tmp_path, capsys, monkeypatch):
    repo = make_repo(tmp_path / "project", {"app.py": "X = 1\n"})
    _write(tmp_path, "elsewhere.py", OUTSIDE_SECRET)
    patch = tmp_path / "evil.patch"
    patch.write_text(
        "--- a/../elsewhere.py\n+++ b/../elsewhere.py\n@@ -1 +1 @@\n"
        f"-{OUTSIDE_SECRET}+{OUTSIDE_SECRET.replace('hunter2', 'hunter3')}"
    )
    from secreview.cli import main

    monkeypatch.chdir(repo.root)
    code = main(["diff", "--patch", str(patch)])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1 and "leads outside the repository" in err
    assert "hunter" not in out


@needs_git
@POSIX
def test_diff_does_not_read_a_committed_link_to_a_file_outside(tmp_path, capsys, monkeypatch):
    repo = make_repo(tmp_path / "project", {"app.py": "X = 1\n"})
    _write(tmp_path, "ci_secrets.py", OUTSIDE_SECRET)
    os.symlink(tmp_path / "ci_secrets.py", repo.root / "config.py")
    _write(repo.root, "app.py", VULNERABLE)
    from secreview.cli import main

    monkeypatch.chdir(repo.root)
    code = main(["diff", "--format", "json"])
    out, err = capsys.readouterr()
    assert "hunter2" not in out and "hunter2" not in err
    report = json.loads(out)
    assert ("config.py", "outside-link") in {(d["path"], d["kind"]) for d in report["diagnostics"]}
    assert ("app.py", 5, 78) in {(f["path"], f["line"], f["cwe"]) for f in report["findings"]}
    assert code == 1


@needs_git
def test_diff_honours_max_file_size_before_reading(tmp_path, capsys, monkeypatch):
    repo = make_repo(tmp_path / "project", {"app.py": "X = 1\n", "big.py": "Y = 1\n"})
    (repo.root / "pyproject.toml").write_text('[tool.secreview]\nmax-file-size = "1KB"\n')
    _write(repo.root, "big.py", "Y = 1\n" + "# padding\n" * 500)
    _write(repo.root, "app.py", VULNERABLE)
    repo.commit("grow")
    from secreview.cli import main

    monkeypatch.chdir(repo.root)
    code = main(["diff", "HEAD~1..HEAD", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert ("big.py", "too-large") in {(d["path"], d["kind"]) for d in report["diagnostics"]}
    assert code == 1


# -- bad coding cookies --------------------------------------------------------------------------
@pytest.mark.parametrize("cookie", ["undefined", "rot13", "hex", "no-such-codec"])
def test_bad_coding_cookie_is_a_decode_diagnostic_in_scan(write, run_cli, cookie):
    write("odd.py", f"# -*- coding: {cookie} -*-\nX = 1\n")
    write("app.py", VULNERABLE)
    code, report, err = _json_report(run_cli, "scan", ".")
    assert [(d["path"], d["kind"]) for d in report["diagnostics"]] == [("odd.py", "decode-error")]
    assert "Traceback" not in err and code == 1


@needs_git
def test_bad_coding_cookie_is_a_decode_diagnostic_in_diff(tmp_path, capsys, monkeypatch):
    repo = make_repo(tmp_path / "project", {"app.py": "X = 1\n", "odd.py": "X = 2\n"})
    _write(repo.root, "odd.py", "# coding: undefined\nX = 3\n")
    _write(repo.root, "app.py", VULNERABLE)
    from secreview.cli import main

    monkeypatch.chdir(repo.root)
    code = main(["diff", "--format", "json"])
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert ("odd.py", "decode-error") in {(d["path"], d["kind"]) for d in report["diagnostics"]}
    assert "Traceback" not in err and code == 1
