"""The command line: rules, explain, text output, colour, exit codes, `python -m`."""

from __future__ import annotations

import json
import subprocess
import sys

from secreview import __version__
from secreview.rules import all_rules

SHELL_VIEW = """
    import subprocess

    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/ping")
    def ping():
        host = request.args["host"]
        return subprocess.check_output("ping -c 1 " + host, shell=True)
    """


def test_rules_lists_every_rule(run_cli):
    code, out, _ = run_cli("rules")
    assert code == 0
    for rule in all_rules():
        assert rule.id in out
    assert f"{len(all_rules())} rules" in out


def test_rules_as_json(run_cli):
    code, out, _ = run_cli("rules", "--format", "json")
    assert code == 0
    listed = json.loads(out)
    assert [r["id"] for r in listed] == [r.id for r in all_rules()]
    first = listed[0]
    assert set(first) >= {"id", "slug", "cwe", "severity", "confidence", "title", "bandit_ids"}


def test_explain_a_rule_shows_its_docs(run_cli):
    code, out, _ = run_cli("explain", "SR201")
    assert code == 0
    assert out.startswith("SR201 subprocess-shell-injection")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert heading in out


def test_explain_by_slug_and_by_cwe(run_cli):
    assert run_cli("explain", "command-injection")[1].startswith("SR901 ")
    code, out, _ = run_cli("explain", "CWE-78")
    assert code == 0
    assert out.startswith("CWE-78: Improper Neutralization of Special Elements used in an OS")
    assert "SR201" in out and "SR901" in out


def test_explain_unknown_suggests_a_close_name(run_cli):
    code, out, err = run_cli("explain", "SR2O1")
    assert code == 2
    assert out == ""
    assert err.strip() == "secreview: error: unknown rule or CWE 'SR2O1'; did you mean 'SR201'?"


def test_text_output_names_location_rule_cwe_trace_and_fix(write, run_cli):
    write("app/views.py", SHELL_VIEW)
    code, out, _ = run_cli("scan", "app")
    assert code == 1
    assert "app/views.py" in out
    assert "12:12  SR901 [critical] CWE-78" in out  # columns are 1-based, as editors count
    assert "source: app/views.py:11 flask.request.args" in out
    assert "sink: app/views.py:12" in out
    assert "fix: pass the command as a list of arguments" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_colour_is_forced_with_always_and_off_with_no_color(write, run_cli, monkeypatch):
    write("app/views.py", SHELL_VIEW)
    _, coloured, _ = run_cli("scan", "app", "--color", "always")
    assert "\x1b[" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = run_cli("scan", "app")
    assert "\x1b[" not in plain


def test_fail_on_sets_the_exit_code(write, run_cli):
    write("app/views.py", SHELL_VIEW)
    assert run_cli("scan", "app", "--fail-on", "critical")[0] == 1
    write(
        "tool.py",
        "import subprocess\nimport sys\nsubprocess.run('ls ' + sys.argv[1], shell=True)\n",
    )
    # A CLI argument reaching the tool's own shell is low severity.
    code, out, _ = run_cli("scan", "tool.py", "--fail-on", "high", "--format", "json")
    assert code == 0
    (finding,) = json.loads(out)["findings"]
    assert (finding["rule_id"], finding["severity"]) == ("SR901", "low")


def test_usage_error_is_exit_2_with_one_line(run_cli):
    code, _, err = run_cli("scan", "--severity", "urgent")
    assert code == 2
    assert err.count("\n") == 1 and "urgent" in err


def test_python_dash_m_and_version(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "secreview", "--version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"secreview {__version__}"


def test_test_code_is_judged_by_the_path_inside_the_project(write, run_cli):
    """A project checked out under some directory called tests/ is not test code."""
    write("tests/checkout/app/views.py", SHELL_VIEW)
    write("tests/checkout/tests/test_views.py", "def test_ping():\n    assert True\n")
    code, out, _ = run_cli("scan", "tests/checkout", "--format", "json")
    report = json.loads(out)
    (finding,) = report["findings"]
    assert (finding["path"], finding["severity"], finding["test_code"]) == (
        "tests/checkout/app/views.py",
        "critical",
        False,
    )
