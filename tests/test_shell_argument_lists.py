"""An argument list is not shell injection unless it runs a shell on a command string: only
that string, in each shell's own syntax for it, is a CWE-78 sink."""

from __future__ import annotations

import pytest

from secreview.analysis import analyze_source

VIEW = """\
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/jobs")
def start_job():
    target = request.form["target"]
    subprocess.run({argv}, check=True)
    return "started"
"""


def _flows(argv: str) -> list[tuple[str, int, int]]:
    result = analyze_source(VIEW.format(argv=argv), "jobs/views.py")
    return [(f.rule_id, f.cwe, f.line) for f in result.findings if f.rule_id.startswith("SR9")]


@pytest.mark.parametrize(
    "argv",
    [
        '["sh", "-c", "make " + target]',
        '("/bin/bash", "-lc", f"make {target}")',
        '["bash", "-o", "pipefail", "-e", "-c", "make " + target + " | tee log"]',
        '["/usr/bin/zsh", "-ec", "make %s" % target]',
        '["cmd.exe", "/c", "build.bat " + target]',
        '["C:\\\\Windows\\\\System32\\\\cmd.exe", "/C", "build.bat " + target]',
        '["powershell", "-Command", "Build-Target " + target]',
        '["pwsh.exe", "-c", "Build-Target " + target]',
    ],
)
def test_the_command_string_of_a_shell_is_a_sink(argv: str):
    assert _flows(argv) == [("SR901", 78, 11)]


@pytest.mark.parametrize(
    "argv",
    [
        '["make", target]',  # no shell at all
        '["sh", "/srv/bin/build.sh", target]',  # a script file, the value its argument
        '["sh", "-c", \'make "$1"\', "build", target]',  # the value is $1, never parsed
        '["bash", "-c"]',  # no command string
        '["sh", "-x", target]',  # a script named by the value: not shell parsing of it
        '["python3", "-c", "import sys; print(sys.argv[1])", target]',  # not a shell
    ],
)
def test_other_argument_lists_are_not_shell_injection(argv: str):
    assert _flows(argv) == []
