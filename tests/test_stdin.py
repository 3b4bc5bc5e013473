"""`secreview scan -`: one file from standard input, for editors and pipes."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

HANDLER = b"""\
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    return subprocess.check_output("ping -c 1 " + host, shell=True)
"""

SAFE_HANDLER = HANDLER.replace(
    b'subprocess.check_output("ping -c 1 " + host, shell=True)',
    b'subprocess.check_output(["ping", "-c", "1", "--", host])',
)


@pytest.fixture
def stdin(monkeypatch):
    def _feed(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))

    return _feed


def _scan(run_cli, *args: str) -> tuple[int, dict, str]:
    code, out, err = run_cli("scan", "-", "--format", "json", *args)
    return code, json.loads(out), err


def test_stdin_is_scanned_as_the_given_filename(stdin, run_cli):
    stdin(HANDLER)
    code, report, _ = _scan(run_cli, "--stdin-filename", "app/views.py")
    assert code == 1
    found = [(f["rule_id"], f["cwe"], f["path"], f["line"]) for f in report["findings"]]
    assert ("SR901", 78, "app/views.py", 11) in found
    assert {f["path"] for f in report["findings"]} == {"app/views.py"}
    assert report["findings"][0]["snippet"].startswith("    return subprocess.check_output(")


def test_safe_twin_from_stdin_has_no_finding(stdin, run_cli):
    stdin(SAFE_HANDLER)
    code, report, _ = _scan(run_cli, "--stdin-filename", "app/views.py")
    assert (code, report["findings"]) == (0, [])


def test_without_a_filename_it_is_reported_as_dash(stdin, run_cli):
    stdin(HANDLER)
    _, report, _ = _scan(run_cli)
    assert {f["path"] for f in report["findings"]} == {"-"}


def test_the_filename_decides_configuration_and_test_code(stdin, write, run_cli):
    write("pyproject.toml", '[tool.secreview.per-file-ignores]\n"scripts/*" = ["CWE-78"]\n')
    stdin(HANDLER)
    _, report, _ = _scan(run_cli, "--stdin-filename", "scripts/ping.py")
    assert report["findings"] == []
    stdin(HANDLER)
    _, report, _ = _scan(run_cli, "--stdin-filename", "tests/test_ping.py")
    assert report["findings"] == [] and report["counts"]["test_code_hidden"]
    stdin(HANDLER)
    _, report, _ = _scan(run_cli, "--stdin-filename", "tests/test_ping.py", "--include-tests")
    assert report["findings"] and all(f["test_code"] for f in report["findings"])


def test_bad_input_on_stdin_is_a_diagnostic_naming_the_file(stdin, run_cli):
    stdin(b"def broken(:\n    pass\n")
    code, report, err = _scan(run_cli, "--stdin-filename", "app/broken.py")
    assert code == 0
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["path"] == "app/broken.py" and diagnostic["kind"] == "syntax-error"
    assert "app/broken.py:1:" in err and "Traceback" not in err
    stdin(b"\x00\x01binary")
    _, report, _ = _scan(run_cli)
    assert [d["kind"] for d in report["diagnostics"]] == ["binary"]


def test_stdin_over_the_size_limit_is_refused(stdin, write, run_cli):
    write("pyproject.toml", '[tool.secreview]\nmax-file-size = "1KB"\n')
    stdin(b"x = 1\n" * 1000)
    code, out, err = run_cli("scan", "-")
    assert code == 2 and "max-file-size" in err and out == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (("scan", "-", "app.py"), "cannot be combined"),
        (("scan", "app.py", "--stdin-filename", "x.py"), "needs the path `-`"),
    ],
)
def test_stdin_usage_errors(run_cli, args, message):
    code, _, err = run_cli(*args)
    assert code == 2 and message in err


def test_stdin_through_the_installed_entry_point(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "secreview", "scan", "-", "--stdin-filename", "views.py"],
        input=HANDLER,
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(b"views.py\n  11:12  SR901 [critical] CWE-78")
