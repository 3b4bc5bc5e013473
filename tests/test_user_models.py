"""Users extend the shipped models in [tool.secreview.models], and tune unknown calls."""

from __future__ import annotations

import json

WRAPPER = """
    import subprocess


    def run_shell(cmd):
        # Our one place that talks to the shell (audited).
        return subprocess.run(cmd, shell=True, check=True)  # secreview: ignore[SR201,SR901]
    """

VIEW = """
    from flask import Flask, request

    from ops.shell import run_shell

    app = Flask(__name__)


    @app.route("/restart")
    def restart():
        service = request.args["service"]
        run_shell("systemctl restart " + service)
        return "ok"


    @app.route("/status")
    def status():
        run_shell("systemctl status nginx")
        return "ok"
    """

CONFIG = """
    [tool.secreview.models]
    [[tool.secreview.models.sink]]
    call = ["ops.shell.run_shell"]
    arg = { pos = [0], name = ["cmd"] }
    cwe = 78
    concept = "CommandExecution"
    description = "a command line run by our shell wrapper"

    [[tool.secreview.models.sanitizer]]
    call = ["ops.validate.service_name"]
    cleans = [78]
    """


def _findings(run_cli, *args):
    code, out, err = run_cli("scan", ".", "--format", "json", *args)
    assert code in (0, 1), err
    return json.loads(out)["findings"]


def test_a_user_wrapper_declared_as_a_sink_is_followed(write, run_cli):
    write("ops/__init__.py", "")
    write("ops/shell.py", WRAPPER)
    write("ops/views.py", VIEW)
    write("pyproject.toml", CONFIG)
    findings = _findings(run_cli)
    assert [(f["rule_id"], f["path"], f["line"]) for f in findings] == [
        ("SR901", "ops/views.py", 12)
    ]
    assert "our shell wrapper" in findings[0]["message"]


def test_without_the_model_the_audited_wrapper_hides_its_callers(write, run_cli):
    """The wrapper's own suppression hides every flow into it: why the wrapper needs a model."""
    write("ops/__init__.py", "")
    write("ops/shell.py", WRAPPER)
    write("ops/views.py", VIEW)
    code, out, _err = run_cli("scan", ".", "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["findings"] == []
    # One defect, counted once: the flow finding replaces the pattern finding of its statement.
    assert [s["rule_id"] for s in report["suppressed"]] == ["SR901"]


def test_a_user_sanitizer_cleans_only_its_cwe(write, run_cli):
    write("ops/__init__.py", "")
    write("ops/shell.py", WRAPPER)
    write(
        "ops/validate.py",
        """
        import re


        def service_name(name):
            if not re.fullmatch(r"[a-z0-9@-]+", name):
                raise ValueError(name)
            return name
        """,
    )
    write(
        "ops/views.py",
        VIEW.replace(
            "from ops.shell import run_shell",
            "from ops.shell import run_shell\n    from ops.validate import service_name",
        ).replace('request.args["service"]', 'service_name(request.args["service"])'),
    )
    write("pyproject.toml", CONFIG)
    assert _findings(run_cli) == []


def _config_error(write, run_cli, config: str) -> str:
    """The one-line error of a scan whose configuration is wrong (exit code 2)."""
    write("app.py", "x = 1\n")
    write("pyproject.toml", config)
    code, _out, err = run_cli("scan", ".")
    assert code == 2
    assert err.count("\n") == 1
    return err


def test_bad_model_entry_is_a_config_error(write, run_cli):
    err = _config_error(
        write,
        run_cli,
        """
        [tool.secreview.models]
        [[tool.secreview.models.source]]
        name = ["myapp.read_token"]
        kind = "martian"
        """,
    )
    assert "unknown source kind 'martian'" in err


def test_unknown_calls_can_be_made_to_stop_taint(write, run_cli):
    write(
        "tool.py",
        """
        import os
        import sys

        from thirdparty import normalise

        os.system("ls " + normalise(sys.argv[1]))
        """,
    )
    (finding,) = _findings(run_cli)
    assert finding["rule_id"] == "SR901"
    assert finding["confidence"] == "medium"  # through a call secreview cannot see into
    write("pyproject.toml", "[tool.secreview]\npropagate-unknown-calls = false\n")
    (finding,) = _findings(run_cli)
    assert (finding["rule_id"], finding["confidence"]) == ("SR202", "low")


def test_a_cwe_that_is_not_a_number_is_a_config_error(write, run_cli):
    err = _config_error(
        write,
        run_cli,
        """
        [tool.secreview.models]
        [[tool.secreview.models.sanitizer]]
        call = ["myapp.clean"]
        cleans = ["sqli"]
        """,
    )
    assert "`cleans` takes CWE numbers such as 918, not 'sqli'" in err


def test_a_source_trusted_for_a_cwe_reaches_only_the_other_sinks(write, run_cli):
    """The company's service directory says where each service is: where a request goes may
    come from it, but what a shell runs may not."""
    write(
        "ops/sync.py",
        """
        import os

        import requests

        from ops.directory import lookup


        def sync(name):
            entry = lookup(name)
            requests.post(entry["url"] + "/sync", timeout=10)
            os.system("logger synced " + entry["label"])
        """,
    )
    write("ops/__init__.py", "")
    write("ops/directory.py", "def lookup(name):\n    return {}\n")
    write(
        "pyproject.toml",
        """
        [tool.secreview.models]
        [[tool.secreview.models.source]]
        name = ["ops.directory.lookup"]
        kind = "remote"
        trusted_for = [918]
        """,
    )
    found = [(f["rule_id"], f["line"]) for f in _findings(run_cli) if f["rule_id"][2] == "9"]
    assert found == [("SR901", 12)]
