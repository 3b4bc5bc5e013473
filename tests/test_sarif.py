"""SARIF 2.1.0 output, validated against the official schema (tests/schemas)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from secreview.rules import all_rules

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)

PROJECT = {
    "webapp/__init__.py": "",
    "webapp/views.py": """\
        from flask import Flask, request

        from webapp import tools

        app = Flask(__name__)


        @app.route("/archive")
        def archive():
            name = request.args["name"]
            return tools.compress(name)
        """,
    "webapp/tools.py": """\
        import subprocess

        import yaml


        def compress(name):
            command = "tar czf /srv/out/" + name + ".tgz /srv/data"
            return subprocess.check_output(command, shell=True)


        def load_settings(path):
            with open(path) as handle:
                return yaml.load(handle)
        """,
    "webapp/broken.py": "def broken(:\n    pass\n",
}


@pytest.fixture
def sarif(write, run_cli):
    for relpath, text in PROJECT.items():
        write(relpath, text)

    def _run(*extra: str) -> dict:
        code, out, _err = run_cli("scan", ".", "--format", "sarif", "--quiet", *extra)
        assert code == 1
        return json.loads(out)

    return _run


def validate(document: dict) -> None:
    jsonschema.Draft7Validator(SCHEMA).validate(document)


def test_valid_against_the_schema(sarif):
    document = sarif()
    validate(document)
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1


def test_driver_rules(sarif):
    run = sarif()["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "secreview"
    assert driver["version"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r.id for r in all_rules()]
    by_id = {r["id"]: r for r in rules}
    sql = by_id["SR204"]
    assert sql["name"] == "sql-injection"
    assert sql["shortDescription"]["text"] == "SQL text built from non-constant values"
    assert sql["fullDescription"]["text"]
    assert sql["help"]["text"] and sql["help"]["markdown"]
    assert sql["helpUri"] == "https://cwe.mitre.org/data/definitions/89.html"
    assert "security" in sql["properties"]["tags"]
    assert "external/cwe/cwe-89" in sql["properties"]["tags"]
    assert float(sql["properties"]["security-severity"]) >= 7.0
    assert "external/cwe/cwe-77" in by_id["SR201"]["properties"]["tags"]  # related CWEs too


def test_results_with_locations_and_code_flows(sarif):
    run = sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == {"SR901", "SR302"}
    flow = results["SR901"]
    assert rules[flow["ruleIndex"]]["id"] == "SR901"
    assert flow["level"] == "error"
    assert "reaches a command line run by the shell" in flow["message"]["text"]
    location = flow["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "webapp/tools.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 8
    assert location["region"]["startColumn"] == 12  # 1-based: `subprocess` starts at offset 11
    steps = flow["codeFlows"][0]["threadFlows"][0]["locations"]
    where = [
        (
            s["location"]["physicalLocation"]["artifactLocation"]["uri"],
            s["location"]["physicalLocation"]["region"]["startLine"],
            s["kinds"][0],
        )
        for s in steps
    ]
    assert where[0] == ("webapp/views.py", 10, "source")
    assert where[-1] == ("webapp/tools.py", 8, "sink")
    assert ("webapp/views.py", 11, "call") in where
    assert all(s["location"]["message"]["text"] for s in steps)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")


def test_fixes_for_mechanical_fixes(sarif):
    run = sarif()["runs"][0]
    yaml_result = next(r for r in run["results"] if r["ruleId"] == "SR302")
    change = yaml_result["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "webapp/tools.py"
    replacement = change["replacements"][0]
    assert replacement["deletedRegion"]["startLine"] == 13
    assert "safe_load" in replacement["insertedContent"]["text"]


def test_parse_failures_are_notifications(sarif):
    invocation = sarif()["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    assert len(notes) == 1
    note = notes[0]
    assert note["descriptor"]["id"] == "syntax-error"
    assert note["level"] == "warning"
    physical = note["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "webapp/broken.py"
    assert physical["region"]["startLine"] == 1


def test_fingerprints_survive_lines_moving(sarif, tmp_path):
    before = {r["ruleId"]: r["partialFingerprints"] for r in sarif()["runs"][0]["results"]}
    tools = tmp_path / "webapp" / "tools.py"
    tools.write_text("# moved down\n\n\n" + tools.read_text(encoding="utf-8"), encoding="utf-8")
    after_run = sarif()["runs"][0]
    after = {r["ruleId"]: r["partialFingerprints"] for r in after_run["results"]}
    assert before == after
    lines = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in after_run["results"]
    }
    assert lines == {"SR901": 11, "SR302": 16}


def test_suppressed_findings_are_marked(sarif, tmp_path):
    tools = tmp_path / "webapp" / "tools.py"
    text = tools.read_text(encoding="utf-8").replace(
        "yaml.load(handle)", "yaml.load(handle)  # secreview: ignore[SR302] -- trusted file"
    )
    tools.write_text(text, encoding="utf-8")
    document = sarif()
    validate(document)
    yaml_result = next(r for r in document["runs"][0]["results"] if r["ruleId"] == "SR302")
    assert yaml_result["suppressions"][0]["kind"] == "inSource"


def test_non_ascii_columns_are_utf16(write, run_cli):
    write("app.py", 'import os\n\n\ndef f(x):\n    é = "é"; os.system("ls " + x)\n')
    _code, out, _err = run_cli("scan", ".", "--format", "sarif")
    document = json.loads(out)
    validate(document)
    region = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    # `os.system` is at character 13 (0-based), byte 15: SARIF counts UTF-16 code units.
    assert region["startColumn"] == 14


def test_output_file(write, run_cli, tmp_path):
    for relpath, text in PROJECT.items():
        write(relpath, text)
    code, out, _err = run_cli("scan", ".", "--format", "sarif", "-o", "out.sarif", "--quiet")
    assert code == 1 and out == ""
    validate(json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8")))
