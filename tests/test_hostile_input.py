"""Trees and inputs written by someone else: secreview never runs their code, never hangs,
never reads outside the paths it was given, and never prints a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
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


# -- worker processes ----------------------------------------------------------------------------
@pytest.mark.parametrize("jobs", ["0", "-3", "1e20", "four", "9" * 5000])
def test_nonsense_job_counts_are_a_one_line_error(write, run_cli, jobs):
    write("app.py", VULNERABLE)
    with pytest.raises(SystemExit) as exit_info:
        run_cli("scan", ".", "-j", jobs)
    assert exit_info.value.code == 2


def test_job_count_is_clamped_to_the_cpus_and_the_work():
    from secreview.analysis import available_cpus, worker_count

    assert worker_count(1000, 5000) == available_cpus()
    assert worker_count(10**20, 3) <= 3
    assert worker_count(None, 0) == 1


def _many_files(root: Path, count: int = 70) -> None:
    for index in range(count):
        _write(root, f"pkg/module_{index:03}.py", VULNERABLE if index % 10 == 0 else "X = 1\n")


def test_workers_that_cannot_start_fall_back_to_a_serial_scan(tmp_path, monkeypatch):
    from secreview import analysis
    from secreview.config import Config

    _many_files(tmp_path)
    config = Config(root=tmp_path)
    serial = analysis.scan([tmp_path], config, jobs=1)

    class NoProcesses:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError(11, "Resource temporarily unavailable")  # EAGAIN: a process limit

    monkeypatch.setattr(analysis, "ProcessPoolExecutor", NoProcesses)
    monkeypatch.setattr(analysis, "available_cpus", lambda: 4)
    fallback = analysis.scan([tmp_path], config, jobs=4)
    assert [(f.rule_id, f.path, f.line) for f in fallback.findings] == [
        (f.rule_id, f.path, f.line) for f in serial.findings
    ]
    assert len(fallback.findings) >= 7


def test_a_thousand_jobs_do_not_fork_a_thousand_processes(tmp_path):
    _many_files(tmp_path)
    done = _secreview(tmp_path, "scan", ".", "-j", "1000", "--format", "json")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(json.loads(done.stdout)["findings"]) >= 7


# -- what scanned text can do to the reader's terminal ------------------------------------------
HOSTILE_NAME = "x\x1b[31mred\u202eyp.py"


@POSIX
def test_control_characters_and_bidi_in_paths_and_snippets_are_escaped(write, run_cli):
    write(HOSTILE_NAME, "import os\nos.system(input())  # \u202e \x1b[2J\n")
    write("broken\x1b]0;title\x07\u2066.py", "def broken(:\n")  # a diagnostic on stderr
    for fmt in ("text", "review", "markdown", "html", "github"):
        code, out, err = run_cli("scan", ".", "--format", fmt)
        assert "\x1b" not in out and "\u202e" not in out, fmt
        assert "\\x1b[31mred\\u202eyp.py" in out, fmt
        assert "\x1b" not in err and "\u2066" not in err and "\x07" not in err
        assert "broken\\x1b]0;title\\x07\\u2066.py" in err
        assert code == 1


@POSIX
def test_a_newline_in_a_file_name_never_starts_a_line(tmp_path, write, run_cli):
    name = "ok.py\n::stop-commands::pwned\nfake.py"
    write(name, VULNERABLE)
    write("broken\n::error::injected.py", "def broken(:\n")
    for fmt in ("text", "github", "gitlab", "gerrit", "json", "sarif", "review", "markdown"):
        code, out, err = run_cli("scan", ".", "--format", fmt)
        for stream in (out, err):
            assert not any(
                line.lstrip().startswith(("::stop-commands::", "::error::injected", "fake.py"))
                for line in stream.splitlines()
            ), (fmt, stream)
        assert code == 1
    assert "broken\\n::error::injected.py" in err


@POSIX
def test_file_names_that_are_not_utf8_are_written_escaped_everywhere(tmp_path, run_cli):
    raw = os.fsencode(tmp_path) + b"/b\xffad.py"
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(VULNERABLE))
    formats = ("text", "json", "sarif", "review", "markdown", "html", "github", "gitlab", "gerrit")
    for fmt in formats:
        code, out, err = run_cli("scan", ".", "--format", fmt)
        assert code == 1 and "Traceback" not in err, (fmt, err)
        assert "\\xff" in out or "\\udcff" in out or "%FF" in out, fmt
    code, out, err = run_cli("scan", ".", "--format", "json", "-o", "report.json")
    assert code == 1
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert os.fsencode(report["findings"][0]["path"]) == b"b\xffad.py"
    sarif = json.loads(run_cli("scan", ".", "--format", "sarif")[1])
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"] == "b%FFad.py"
    code, out, err = run_cli("baseline", "create")
    assert code == 0 and "Traceback" not in err
    assert run_cli("scan", ".", "--baseline", ".secreview-baseline.json")[0] == 0


@needs_git
@POSIX
def test_diff_reports_file_names_that_are_not_utf8(tmp_path, capsys, monkeypatch):
    from secreview.cli import main

    repo = make_repo(tmp_path / "project", {"app.py": "X = 1\n"})
    with open(os.fsencode(repo.root) + b"/n\xe9w.py", "w") as handle:
        handle.write(textwrap.dedent(VULNERABLE))
    monkeypatch.chdir(repo.root)
    for fmt in ("text", "json", "sarif", "github", "gitlab", "gerrit", "review", "html"):
        code = main(["diff", "--format", fmt])
        out, err = capsys.readouterr()
        assert code == 1 and "Traceback" not in err, (fmt, err)
        assert "\\xe9" in out or "\\udce9" in out or "%E9" in out, fmt


# -- errors are one line and exit 2 --------------------------------------------------------------
def _one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("secreview: error: "), err
    for word in words:
        assert word in lines[0], err


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ("select = []", ("select is empty",)),
        ('select = ["\u00b2"]', ("unknown rule",)),
        ('select = ["CWE-99999"]', ("matches no rule",)),
        ('select = ["SR9999*"]', ("matches no rule",)),
        ('select = ["SR201"]\nignore = ["SR201"]', ("leave no rule",)),
        ('review-cwes = ["\u00b2"]', ("review-cwes",)),
        ('max-file-size = "0"', ("max-file-size", "at least 1 byte")),
        ("max-file-size = -5", ("max-file-size",)),
        ('max-file-size = "0.0001KB"', ("max-file-size",)),
        ("select = " + "[" * 3000 + "]" * 3000, ("nested too deeply",)),
        ("exclude = [1, 2]", ("exclude must be a list of strings",)),
        ("severity = 3", ("severity must be one of",)),
        ("respect-gitignore = 'yes'", ("respect-gitignore must be true or false",)),
        ('[[tool.secreview.overrides]]\npaths = ["x"]\nselect = []', ("overrides[0].select",)),
    ],
)
def test_bad_configuration_values_are_one_line_errors(write, run_cli, table, words):
    write("app.py", VULNERABLE)
    header = "" if table.startswith("[[") else "[tool.secreview]\n"
    write("pyproject.toml", header + table + "\n")
    code, out, err = run_cli("scan", ".")
    _one_line_error(code, err, *words)


@pytest.mark.parametrize("select", ["", " , ", "CWE-\u00b2", "CWE-" + "9" * 5000, "CWE-424242"])
def test_an_empty_or_unmatched_selection_on_the_command_line_is_an_error(write, run_cli, select):
    write("app.py", VULNERABLE)
    code, out, err = run_cli("scan", ".", "--select", select)
    _one_line_error(code, err, "select")


@pytest.mark.parametrize(
    ("models", "words"),
    [
        ("[[tool.secreview.models.sink]]\ncall = 5\ncwe = 78", ("sink[0].call", "5")),
        ('[[tool.secreview.models.sink]]\ncall = "a.b"\ncwe = "\u00b2"', ("`cwe` takes CWE",)),
        (
            '[[tool.secreview.models.sink]]\ncall = "a.b"\ncwe = 78\narg = { pos = "first" }',
            ("sink[0].arg.pos", "whole number"),
        ),
        ("[[tool.secreview.models.source]]\nname = [1, 2]", ("source[0].name",)),
        ('[[tool.secreview.models.source]]\nnam = "x"', ("needs `name`",)),
        ("[tool.secreview.models]\nsource = [1]", ("source[0] must be a table",)),
        ('[tool.secreview.models]\nsink = "os.system"', ("models.sink must be an array",)),
        ('[[tool.secreview.models.sink]]\ncall = "a.b"\ncwe = 78\nwhen = "x"', ("sink[0].when",)),
        ("[tool.secreview.models.neutral]\ncalls = [{a = 1}]", ("neutral.calls",)),
    ],
)
def test_user_model_fields_of_the_wrong_type_are_one_line_errors(write, run_cli, models, words):
    write("app.py", VULNERABLE)
    write("pyproject.toml", models + "\n")
    code, out, err = run_cli("scan", ".")
    _one_line_error(code, err, *words)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"version": 1, "findings": [{"fingerprint": "a", "cwe": Infinity}]}', ("Infinity",)),
        ('{"version": 1, "findings": [{"fingerprint": "a", "cwe": NaN}]}', ("NaN",)),
        (
            '{"version": 1, "findings": [{"fingerprint": "a", "cwe": ' + "9" * 5000 + "}]}",
            ("too long",),
        ),
        ("[" * 100_000 + "]" * 100_000, ("nested too deeply",)),
        ('{"version": true, "findings": []}', ("version",)),
        ('{"version": 1, "findings": [{"fingerprint": "a", "cwe": 1.5}]}', ("cwe",)),
        ('{"version": 1, "findings": [{"fingerprint": "a", "path": ["x"]}]}', ("path",)),
    ],
)
def test_hostile_baselines_are_one_line_errors(write, run_cli, content, words):
    write("app.py", VULNERABLE)
    write("known.json", content)
    code, out, err = run_cli("scan", ".", "--baseline", "known.json")
    _one_line_error(code, err, "known.json", *words)


@POSIX
def test_unwritable_report_and_closed_stdout_are_one_line_errors(tmp_path):
    _write(tmp_path, "app.py", VULNERABLE)
    if Path("/dev/full").exists():
        done = _secreview(tmp_path, "scan", ".", "-o", "/dev/full")
        _one_line_error(done.returncode, done.stderr, "no space left on device")
    closed = subprocess.run(
        [sys.executable, "-m", "secreview", "scan", "."],
        cwd=tmp_path,
        env={**ENV, "NO_COLOR": "1"},
        stdout=None,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    _one_line_error(closed.returncode, closed.stderr, "standard output is closed")


def test_an_internal_error_in_main_exits_2_with_one_line(write, run_cli, monkeypatch):
    from secreview import cli

    def broken(args: object) -> int:
        raise KeyError("a defect")

    monkeypatch.setattr(cli, "cmd_scan", broken)
    write("app.py", VULNERABLE)
    code, out, err = run_cli("scan", ".")
    _one_line_error(code, err, "internal error", "KeyError")


@POSIX
def test_a_directory_that_cannot_be_entered_is_a_diagnostic(tmp_path):
    # Root enters every directory: the scan then runs as an unprivileged user.
    as_root = os.geteuid() == 0
    if as_root and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv to drop privileges")
    drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if as_root else []
    probe = subprocess.run([*drop, sys.executable, "-c", "pass"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("this interpreter cannot run as an unprivileged user here")
    base = Path(tempfile.mkdtemp(dir="/tmp" if as_root else None))
    try:
        base.chmod(0o755)
        _write(base, "ok/app.py", VULNERABLE)
        _write(base, "locked/sub/hidden.py", VULNERABLE)
        (base / "ok").chmod(0o755)
        (base / "ok" / "app.py").chmod(0o644)
        (base / "locked").chmod(0)
        for args in (
            ["scan", "."],
            ["scan", "locked"],
            ["scan", "locked/sub"],
            ["review", "locked"],
        ):
            done = subprocess.run(
                [*drop, sys.executable, "-m", "secreview", *args],
                cwd=base,
                env={**ENV, "NO_COLOR": "1", "HOME": str(base)},
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert "Traceback" not in done.stderr, done.stderr
            assert done.returncode in (0, 1), (args, done.stderr)
            assert "permission denied; not analysed" in done.stderr, (args, done.stderr)
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


@POSIX
@pytest.mark.parametrize("processes", [1, 3, 4])
def test_a_process_limit_neither_hangs_nor_loses_findings(processes):
    # RLIMIT_NPROC binds only a user without privileges: the scan runs as nobody. With 3 or 4
    # processes allowed, the pool starts some workers, then cannot start the rest or its threads.
    if os.geteuid() != 0 or not (shutil.which("setpriv") and shutil.which("prlimit")):
        pytest.skip("needs root, setpriv and prlimit to run under a process limit")
    drop = [f"--nproc={processes}", "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        ["prlimit", *drop, sys.executable, "-c", "pass"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip("this interpreter cannot run as an unprivileged user here")
    base = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        _many_files(base, 80)
        for path in (base, *base.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        done = subprocess.run(
            [
                "prlimit",
                *drop,
                sys.executable,
                "-m",
                "secreview",
                "scan",
                ".",
                "-j",
                "2",
                "-f",
                "json",
            ],
            cwd=base,
            env={**ENV, "NO_COLOR": "1", "HOME": str(base)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert len(json.loads(done.stdout)["findings"]) == 8
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize(
    ("content", "words"),
    [("tool = 5", ("tool must be a table",)), ("[tool]\nsecreview = 5", ("must be a table",))],
)
def test_a_tool_table_of_the_wrong_type_is_a_one_line_error(write, run_cli, content, words):
    write("app.py", VULNERABLE)
    write("pyproject.toml", content + "\n")
    code, out, err = run_cli("scan", ".")
    _one_line_error(code, err, "pyproject.toml", *words)


def test_a_file_removed_or_changed_while_read_is_a_diagnostic(tmp_path, monkeypatch):
    from secreview.parsing import source

    gone = tmp_path / "gone.py"
    assert (
        read_bytes(gone, "gone.py", 1 << 20).message == "removed while the scan ran; not analysed"
    )
    growing = tmp_path / "growing.py"
    growing.write_text("X = 1\n")
    original = source._read_at_most

    def append_while_reading(descriptor: int, limit: int) -> bytes:
        with growing.open("a") as handle:  # another process writes as the scan reads
            handle.write("Y = 2\n")
        return original(descriptor, limit)

    monkeypatch.setattr(source, "_read_at_most", append_while_reading)
    result = read_bytes(growing, "growing.py", 1 << 20)
    assert not isinstance(result, bytes)
    assert (result.kind, result.message) == ("changed", "changed while it was read; not analysed")


@POSIX
def test_the_review_reads_the_project_name_safely(tmp_path):
    # Files at the top: the review is titled with the project's name, from pyproject.toml.
    _write(tmp_path, "a.py", VULNERABLE)
    _write(tmp_path, "b.py", "X = 1\n")
    _write(tmp_path, "pyproject.toml", '[project]\nname = "shop\\u001b[2J\\u202eadmin"\n')
    done = _secreview(tmp_path, "review", ".", "-f", "review")
    assert done.returncode == 1 and "\x1b" not in done.stdout and "\u202e" not in done.stdout
    assert "shop\\x1b[2J\\u202eadmin" in done.stdout
    (tmp_path / "pyproject.toml").unlink()
    os.mkfifo(tmp_path / "pyproject.toml")  # would block the read of the project's name
    os.mkfifo(tmp_path / "setup.cfg")
    done = _secreview(tmp_path, "review", ".", "-f", "html", timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_the_effective_configuration_is_shown_escaped(write, run_cli):
    write("pyproject.toml", '[tool.secreview]\nexclude = ["\\u001b[2Jlegacy\\u202e"]\n')
    code, out, err = run_cli("config")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out
    assert 'exclude = ["\\x1b[2Jlegacy\\u202e"]' in out


def test_module_form_still_runs_from_inside_the_standard_library():
    # There the working directory is also a sys.path entry of the interpreter's own: kept.
    done = _secreview(Path(os.__file__).parent, "--version")
    assert done.returncode == 0 and done.stdout.startswith("secreview "), done.stderr


# A faithful stand-in for the standard library's keyword module, which some interpreters
# import on the way to `-m` (3.11 does, 3.13 does not): it works, and leaves a mark.
SHADOW_KEYWORD = """\
open("ran-keyword", "w").close()
kwlist = ["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
          "continue", "def", "del", "elif", "else", "except", "finally", "for", "from",
          "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass",
          "raise", "return", "try", "while", "with", "yield"]
softkwlist = ["_", "case", "match", "type"]
iskeyword = frozenset(kwlist).__contains__
issoftkeyword = frozenset(softkwlist).__contains__
"""


def test_a_module_shadowed_before_start_stops_the_scan(tmp_path):
    _write(tmp_path, "app.py", VULNERABLE)
    (tmp_path / "keyword.py").write_text(SHADOW_KEYWORD)
    done = _secreview(tmp_path, "scan", "app.py")
    if (tmp_path / "ran-keyword").exists():  # the interpreter imported it before secreview
        _one_line_error(done.returncode, done.stderr, "'keyword'", "python -P -m secreview")
        assert done.stdout == ""
    else:
        assert done.returncode == 1 and "app.py" in done.stdout
