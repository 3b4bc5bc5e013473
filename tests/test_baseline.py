"""Baselines: record today's findings, hide them later, notice new and changed ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secreview.analysis import analyze_source
from secreview.baseline import load_baseline
from secreview.cli import main
from secreview.fingerprint import fingerprints, normalised_code

LEGACY = """\
import hashlib
import subprocess


def hash_password(password):
    return hashlib.md5(password.encode()).hexdigest()


def run(cmd):
    return subprocess.run(cmd, shell=True)
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "legacy.py").write_text(LEGACY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def scan_findings(capsys, *extra: str) -> list[tuple[str, int]]:
    code, out, _ = cli(capsys, "scan", ".", "-f", "json", *extra)
    return [(f["rule_id"], f["line"]) for f in json.loads(out)["findings"]]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_create_writes_sorted_stable_indented_json(project, capsys):
    code, _, err = cli(capsys, "baseline", "create")
    assert code == 0 and "recorded 2 findings" in err
    path = project / ".secreview-baseline.json"
    first = path.read_text(encoding="utf-8")
    data = json.loads(first)
    assert data["version"] == 1 and data["paths"] == ["."]
    entries = data["findings"]
    assert entries == sorted(entries, key=lambda e: (e["path"], e["scope"], e["rule"]))
    for entry in entries:
        assert list(entry) == ["fingerprint", "rule", "cwe", "path", "scope", "message"]
        assert entry["path"] == "app/legacy.py"
        assert "line" not in entry  # line numbers would churn the file on every edit
    assert {(e["cwe"], e["scope"]) for e in entries} == {(328, "hash_password"), (78, "run")}
    assert first.startswith("{\n  ") and first.endswith("}\n")
    assert cli(capsys, "baseline", "create")[0] == 0
    assert path.read_text(encoding="utf-8") == first  # stable: same findings, same bytes


def test_scan_with_baseline_hides_known_findings(project, capsys):
    assert len(scan_findings(capsys)) == 2
    cli(capsys, "baseline", "create", "-o", "known.json")
    code, out, err = cli(capsys, "scan", ".", "--baseline", "known.json")
    assert code == 0 and "0 findings" in out
    assert "2 known finding(s) hidden by known.json" in err


def test_moving_code_down_keeps_it_baselined(project, capsys):
    cli(capsys, "baseline", "create")
    legacy = project / "app" / "legacy.py"
    edit(
        legacy, "import hashlib\n", '"""Legacy helpers."""\n\n# more lines above\nimport hashlib\n'
    )
    edit(legacy, "def run(cmd):\n", "def other():\n    return 1\n\n\ndef run(cmd):\n")
    edit(legacy, "(cmd, shell=True)", "(cmd,  shell=True)  # reformatted, with a comment")
    assert scan_findings(capsys, "--baseline", ".secreview-baseline.json") == []


def test_changing_the_flagged_code_makes_it_new(project, capsys):
    cli(capsys, "baseline", "create")
    legacy = project / "app" / "legacy.py"
    edit(legacy, "subprocess.run(cmd, shell=True)", "subprocess.call(cmd, shell=True)")
    found = scan_findings(capsys, "--baseline", ".secreview-baseline.json")
    assert [rule for rule, _ in found] == ["SR201"]
    assert (
        found[0][1] == LEGACY.splitlines().index("    return subprocess.run(cmd, shell=True)") + 1
    )


def test_a_new_finding_in_the_same_file_is_shown(project, capsys):
    cli(capsys, "baseline", "create")
    legacy = project / "app" / "legacy.py"
    legacy.write_text(
        legacy.read_text()
        + "\n\ndef hash_token(token):\n    return hashlib.sha1(token).hexdigest()\n"
    )
    found = scan_findings(capsys, "--baseline", ".secreview-baseline.json")
    assert len(found) == 1 and found[0][1] == 14


def test_baseline_works_from_another_directory(project, capsys, monkeypatch):
    cli(capsys, "baseline", "create")
    monkeypatch.chdir(project / "app")
    code, out, _ = cli(capsys, "scan", ".", "--baseline", "../.secreview-baseline.json")
    assert code == 0 and "0 findings" in out


def test_update_drops_fixed_findings_and_adds_nothing_unless_asked(project, capsys):
    cli(capsys, "baseline", "create")
    legacy = project / "app" / "legacy.py"
    edit(legacy, "hashlib.md5(password", "hashlib.sha256(password")  # fixed
    edit(legacy, "subprocess.run(cmd, shell=True)", "subprocess.call(cmd, shell=True)")  # new
    code, _, err = cli(capsys, "baseline", "update")
    assert code == 0
    assert "kept 0, dropped 2 fixed, added 0" in err and "1 new finding not added" in err
    assert load_baseline(project / ".secreview-baseline.json").entries == []
    code, _, err = cli(capsys, "baseline", "update", "--add-new")
    assert "added 1" in err
    (entry,) = load_baseline(project / ".secreview-baseline.json").entries
    assert (entry.rule, entry.cwe, entry.scope) == ("SR201", 78, "run")
    assert scan_findings(capsys, "--baseline", ".secreview-baseline.json") == []


def test_update_keeps_the_recorded_paths(project, capsys):
    (project / "other").mkdir()
    (project / "other" / "x.py").write_text("import os\nos.system(input())\n")
    cli(capsys, "baseline", "create", "app")
    data = json.loads((project / ".secreview-baseline.json").read_text())
    assert data["paths"] == ["app"] and len(data["findings"]) == 2
    code, _, err = cli(capsys, "baseline", "update", "--add-new")
    assert "kept 2, dropped 0 fixed, added 0" in err  # other/ was not part of it


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"version": 1, "findings": [', "invalid JSON at line"),
        ("[]", "top level is not an object"),
        ('{"version": 7, "findings": []}', "version 7"),
        ('{"version": 1}', "no `findings` list"),
        ('{"version": 1, "findings": [{"rule": "SR201"}]}', "finding 0 has no fingerprint"),
        ('{"version": 1, "findings": [{"fingerprint": "x", "cwe": "many"}]}', "malformed"),
        (b"\xff\xfe\x00garbage", "cannot read the baseline"),
    ],
)
def test_corrupt_baseline_is_a_one_line_error(project, capsys, content, words):
    path = project / "broken.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    for command in (["scan", "."], ["diff"]):
        code, out, err = cli(capsys, *command, "--baseline", "broken.json")
        assert code == 2
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("secreview: error: broken.json")
        assert words in lines[0] and "Traceback" not in err
    code, _, err = cli(capsys, "baseline", "update", "-o", "broken.json")
    assert code == 2 and words in err


def test_missing_baseline_file(project, capsys):
    code, _, err = cli(capsys, "scan", ".", "--baseline", "nope.json")
    assert code == 2 and "baseline file not found" in err
    code, _, err = cli(capsys, "baseline", "update")
    assert code == 2 and "secreview baseline create" in err


# -- fingerprints ---------------------------------------------------------------------------------
def test_normalised_code_keeps_string_contents():
    assert normalised_code("f(a,  b)  # note") == normalised_code("f(a, b)")
    assert normalised_code('get("http://h/#" + x)') != normalised_code('get("http://h/#x" + x)')
    assert normalised_code('run("rm  -rf " + d)') != normalised_code('run("rm -rf " + d)')
    assert normalised_code("call(a,\n     b") == "call(a,b"  # a statement cut short


def test_identical_findings_in_one_scope_are_told_apart():
    text = "import os\n\n\ndef f(a):\n    os.system(a)\n    os.system(a)\n"
    findings = analyze_source(text, "app/m.py").findings
    prints = fingerprints(findings)
    assert len(findings) == 2 and len(set(prints.values())) == 2


def test_flow_findings_name_their_scope_like_pattern_findings():
    text = (
        "import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n\n"
        "subprocess.run(request.args.get('c'), shell=True)\n\n"
        "@app.route('/x')\ndef view():\n    subprocess.run(request.args.get('c'), shell=True)\n"
    )
    flows = [f for f in analyze_source(text, "app/m.py").findings if f.rule_id == "SR901"]
    assert [(f.line, f.scope) for f in flows] == [(5, ""), (9, "view")]


def test_findings_reported_after_the_walk_name_their_enclosing_scope():
    """Some rules judge a handler or a view only once the module is read (SR602 reports from
    end_module); their findings must still carry the function or class they stand in, or a
    baseline could not tell two of them in one file apart."""
    source = """\
import logging


class Poller:
    def poll(self, fetch):
        while True:
            try:
                fetch()
            except:
                logging.exception("poll failed")


def main_loop(step):
    try:
        step()
    except BaseException:
        logging.exception("step failed")
"""
    findings = [f for f in analyze_source(source, "worker.py").findings if f.rule_id == "SR602"]
    assert [(f.line, f.scope) for f in findings] == [(9, "Poller.poll"), (16, "main_loop")]


def test_findings_read_from_the_source_text_name_their_enclosing_scope():
    """Rules that read the source text before the walk (confusable identifiers, hidden
    bidirectional characters) report before any scope is known; their findings still name the
    function or class they stand in, and a def's own line stands in the scope around it."""
    source = (
        "class Gate:\n"
        "    def check(self, token):\n"
        "        \u0430ccess_granted = token == 'open'\n"
        "        return \u0430ccess_granted\n"
        "\n"
        "\n"
        "def v\u0435rify_token(token):\n"
        "    return token\n"
    )
    findings = [f for f in analyze_source(source, "gate.py").findings if f.rule_id == "SR802"]
    assert [(f.line, f.scope) for f in findings] == [(3, "Gate.check"), (7, "")]
