"""The GitHub, GitLab and Gerrit outputs, checked against their documented shapes."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import jsonschema
import pytest

from secreview.analysis import ScanResult, scan
from secreview.cli import main
from secreview.config import Config
from secreview.findings import Finding, Severity
from secreview.reporters import FORMATS, gerrit, github, gitlab
from tests.gitrepo import ENV, SAFE_PING, UNSAFE_PING, line_of, make_repo, needs_git

SCHEMA = Path(__file__).parent / "schemas" / "gitlab-sast-report.schema.json"

VIEWS = """\
import subprocess

import requests
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/run")
def run():
    subprocess.run("echo " + request.args.get("name", ""), shell=True)
    return "ok"


def load_settings(path):
    with open(path) as handle:
        return yaml.load(handle)


def read(path):
    try:
        return open(path).read()
    except:
        return None


def fetch(url):
    return requests.get(url).text
"""


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    # a file name with characters that GitHub's property syntax must escape
    (tmp_path / "app" / "views,v1:final.py").write_text(VIEWS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


@pytest.fixture
def result(project) -> ScanResult:
    return scan([Path(".")], Config(root=project.resolve()))


def by_rule(result: ScanResult) -> dict[str, Finding]:
    return {f.rule_id: f for f in result.findings}


def test_all_formats_are_registered():
    assert {"github", "gitlab", "gerrit"} <= set(FORMATS)


# -- GitHub Actions workflow commands -------------------------------------------------------
COMMAND = re.compile(r"^::(?P<level>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props: dict[str, str] = {}
    for item in (match.group("props") or "").split(","):
        if item:
            key, _, value = item.partition("=")
            assert "," not in value and ":" not in value
            props[key] = unescape(value)
    return match.group("level"), props, unescape(match.group("message"))


def test_github_escaping():
    assert github.escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert github.escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"
    line = github.command("warning", "x%\ny", file="a:b,c.py", line=3, col=None)
    assert line == "::warning file=a%3Ab%2Cc.py,line=3::x%25%0Ay"
    assert github.command("notice", "plain") == "::notice::plain"


def test_github_commands_line_by_line(result, capsys):
    github.render(result, out := _Stream(), False)
    lines = out.text.splitlines()
    findings = result.findings
    commands = [parse_command(line) for line in lines if line.startswith("::")]
    assert len(commands) == len(findings)
    levels = {Severity.CRITICAL: "error", Severity.HIGH: "error"}
    levels.update({Severity.MEDIUM: "warning", Severity.LOW: "notice"})
    for (level, props, message), finding in zip(commands, findings, strict=True):
        assert level == levels[finding.severity]
        assert props["file"] == "app/views,v1:final.py"
        assert int(props["line"]) == finding.line
        assert int(props["endLine"]) == finding.end_line
        assert int(props["col"]) == finding.col + 1
        assert props["title"].startswith(f"{finding.rule_id} CWE-{finding.cwe} [")
        assert set(props) <= {"file", "line", "endLine", "col", "endColumn", "title"}
        assert message.startswith(finding.message)
        if finding.fix is not None:
            assert f"\nFix: {finding.fix.description}" in message
    assert {c[0] for c in commands} >= {"error", "notice"}
    assert lines[-1].startswith(f"secreview: {len(findings)} findings (")
    assert all("\n" not in line and "\r" not in line for line in lines)


def test_github_diagnostics_are_warnings(project, capsys):
    (project / "app" / "broken.py").write_text("def f(:\n")
    code = main(["scan", ".", "-f", "github", "-q"])
    out = capsys.readouterr().out
    level, props, message = parse_command(
        next(line for line in out.splitlines() if "broken.py" in line)
    )
    assert level == "warning" and props["file"] == "app/broken.py"
    assert props["title"].startswith("secreview: ")
    assert code == 1


# -- GitLab SAST report ----------------------------------------------------------------------
def test_gitlab_report_validates_against_the_schema(result):
    report = gitlab.build(result)
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(report, schema)
    assert report["scan"]["type"] == "sast" and report["scan"]["status"] == "success"
    vulns = report["vulnerabilities"]
    assert len(vulns) == len(result.findings)
    assert len({v["id"] for v in vulns}) == len(vulns)
    severities = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}
    for vuln, finding in zip(vulns, result.findings, strict=True):
        assert vuln["severity"] == severities[str(finding.severity)]
        location = {"file": finding.path, "start_line": finding.line, "end_line": finding.end_line}
        if finding.scope:
            location["method"] = finding.scope
        assert vuln["location"] == location
        rule_id, cwe = vuln["identifiers"]
        assert rule_id == {
            "type": "secreview_rule_id",
            "name": f"secreview {finding.rule_id} {finding.slug}",
            "value": finding.rule_id,
        }
        assert cwe == {
            "type": "cwe",
            "name": f"CWE-{finding.cwe}",
            "value": str(finding.cwe),
            "url": f"https://cwe.mitre.org/data/definitions/{finding.cwe}.html",
        }
        assert vuln["description"].startswith(finding.message)
    assert gitlab.build(result)["vulnerabilities"][0]["id"] == vulns[0]["id"]  # stable ids


def test_gitlab_report_from_the_command_line(project, capsys):
    code = main(["scan", ".", "-f", "gitlab", "-o", "gl-sast-report.json"])
    report = json.loads((project / "gl-sast-report.json").read_text())
    jsonschema.validate(report, json.loads(SCHEMA.read_text()))
    assert code == 1 and len(report["vulnerabilities"]) == 4


def test_gitlab_schema_rejects_a_broken_report(result):
    report = gitlab.build(result)
    report["vulnerabilities"][0]["identifiers"] = []
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, json.loads(SCHEMA.read_text()))


# -- Gerrit ReviewInput ------------------------------------------------------------------------
REVIEW_INPUT = {
    "message",
    "tag",
    "labels",
    "comments",
    "robot_comments",
    "drafts",
    "draft_ids_to_publish",
    "notify",
    "notify_details",
    "omit_duplicate_comments",
    "on_behalf_of",
    "reviewers",
    "ready",
    "work_in_progress",
    "add_to_attention_set",
    "remove_from_attention_set",
    "ignore_automatic_attention_set_rules",
    "response_format_options",
}
COMMENT_INPUT = {
    "id",
    "path",
    "side",
    "parent",
    "line",
    "range",
    "in_reply_to",
    "updated",
    "message",
    "tag",
    "unresolved",
    "fix_suggestions",
}
ROBOT_COMMENT_INPUT = (COMMENT_INPUT - {"unresolved"}) | {
    "robot_id",
    "robot_run_id",
    "url",
    "properties",
}
COMMENT_RANGE = {"start_line", "start_character", "end_line", "end_character"}


def check_range(value: dict) -> None:
    assert set(value) == COMMENT_RANGE
    assert all(isinstance(v, int) and v >= 0 for v in value.values())
    assert value["start_line"] >= 1
    assert (value["start_line"], value["start_character"]) <= (
        value["end_line"],
        value["end_character"],
    )


def check_review_input(review: dict, robot: bool = True) -> list[dict]:
    assert set(review) <= REVIEW_INPUT
    assert "labels" not in review  # no votes by default
    assert isinstance(review["message"], str) and review["message"]
    assert review["tag"].startswith("autogenerated:")
    key = "robot_comments" if robot else "comments"
    assert set(review) & {"robot_comments", "comments"} == {key}
    comments: list[dict] = []
    for path, entries in review[key].items():
        assert isinstance(path, str) and isinstance(entries, list) and entries
        for entry in entries:
            assert set(entry) <= (ROBOT_COMMENT_INPUT if robot else COMMENT_INPUT)
            if robot:
                assert entry["robot_id"] == "secreview"
                assert isinstance(entry["robot_run_id"], str) and entry["robot_run_id"]
                assert entry["url"].startswith("https://")
                assert all(
                    isinstance(k, str) and isinstance(v, str)
                    for k, v in entry["properties"].items()
                )
            assert isinstance(entry["line"], int) and entry["line"] >= 1
            assert isinstance(entry["message"], str)
            if "range" in entry:
                check_range(entry["range"])
                assert entry["line"] == entry["range"]["end_line"]
            for fix in entry.get("fix_suggestions", []):
                assert set(fix) == {"description", "replacements"}
                assert isinstance(fix["description"], str)
                for replacement in fix["replacements"]:
                    assert set(replacement) == {"path", "range", "replacement"}
                    assert replacement["path"] == path
                    check_range(replacement["range"])
                    assert isinstance(replacement["replacement"], str)
            comments.append(entry | {"path": path})
    return comments


def test_gerrit_review_input_shape(result, monkeypatch):
    monkeypatch.setenv("SECREVIEW_RUN_ID", "build-42")
    review = gerrit.build(result)
    comments = check_review_input(review)
    findings = by_rule(result)
    assert len(comments) == len(result.findings)
    assert {c["robot_run_id"] for c in comments} == {"build-42"}
    yaml_comment = next(c for c in comments if c["properties"]["rule_id"] == "SR302")
    finding = findings["SR302"]
    assert yaml_comment["range"] == {
        "start_line": finding.line,
        "start_character": finding.col,
        "end_line": finding.end_line,
        "end_character": finding.end_col,
    }
    (fix,) = yaml_comment["fix_suggestions"]
    (replacement,) = fix["replacements"]
    assert replacement["replacement"] == "yaml.safe_load(handle)"
    edit = finding.fix.edits[0]
    assert replacement["range"] == {
        "start_line": edit.line,
        "start_character": edit.col,
        "end_line": edit.end_line,
        "end_character": edit.end_col,
    }
    flow = next(c for c in comments if c["properties"]["rule_id"] == "SR901")
    assert "fix_suggestions" not in flow  # the fix is in words only
    assert "Data flow:" in flow["message"]
    assert flow["properties"]["cwe"] == "CWE-78"
    assert review["message"].startswith("secreview: 4 findings")


def test_gerrit_plain_comments_for_newer_gerrit(result, monkeypatch):
    monkeypatch.setenv("SECREVIEW_GERRIT_COMMENTS", "human")
    comments = check_review_input(gerrit.build(result), robot=False)
    assert all("robot_id" not in c for c in comments)
    assert any(c.get("fix_suggestions") for c in comments)


def test_gerrit_from_the_command_line(project, capsys):
    code = main(["scan", ".", "-f", "gerrit"])
    review = json.loads(capsys.readouterr().out)
    check_review_input(review)
    assert code == 1


def test_gerrit_no_findings(tmp_path, monkeypatch, capsys):
    (tmp_path / "ok.py").write_text("print('hello')\n")
    monkeypatch.chdir(tmp_path)
    assert main(["scan", ".", "-f", "gerrit"]) == 0
    review = json.loads(capsys.readouterr().out)
    assert review["message"] == "secreview: no findings."
    assert review["robot_comments"] == {}


# -- the formats on a change: comments go on the changed lines -------------------------------
@needs_git
def test_diff_formats_anchor_on_the_changed_line(tmp_path, monkeypatch, capsys):
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"):
        monkeypatch.setenv(key, ENV[key])
    repo = make_repo(tmp_path / "project")
    extra = '\n\ndef archive(name):\n    return subprocess.run("tar czf /tmp/a.tgz " + name, shell=True)\n'
    repo.write({"app/tools.py": repo.read("app/tools.py") + extra})
    repo.commit("archive helper")
    view = textwrap.dedent(
        """

        @app.route("/archive")
        def archive():
            return {"rc": tools.archive(request.args["name"]).returncode}
        """
    )
    repo.write({"app/web.py": repo.read("app/web.py") + view})
    monkeypatch.chdir(repo.root)
    changed_line = line_of(repo.read("app/web.py"), "tools.archive(")
    sink_line = line_of(repo.read("app/tools.py"), "tar czf")

    assert main(["diff", "-f", "github"]) == 1
    level, props, message = parse_command(capsys.readouterr().out.splitlines()[0])
    assert (level, props["file"], int(props["line"])) == ("error", "app/web.py", changed_line)
    assert f"(sink at app/tools.py:{sink_line})" in message

    assert main(["diff", "-f", "gerrit"]) == 1
    review = json.loads(capsys.readouterr().out)
    (comment,) = check_review_input(review)
    assert (comment["path"], comment["line"]) == ("app/web.py", changed_line)
    assert "range" not in comment and f"app/tools.py:{sink_line}" in comment["message"]
    assert "in this change" in review["message"]

    assert main(["diff", "-f", "gitlab"]) == 1
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, json.loads(SCHEMA.read_text()))
    (vuln,) = report["vulnerabilities"]
    assert vuln["location"]["file"] == "app/tools.py"  # the report names the real location


@needs_git
def test_resolved_findings_in_github_and_gerrit(tmp_path, monkeypatch, capsys):
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"):
        monkeypatch.setenv(key, ENV[key])
    repo = make_repo(tmp_path / "project")
    repo.replace("app/tools.py", SAFE_PING, UNSAFE_PING)
    repo.commit("vulnerable")
    line = line_of(repo.read("app/tools.py"), "shell=True")
    repo.replace("app/tools.py", UNSAFE_PING, SAFE_PING)
    monkeypatch.chdir(repo.root)
    assert main(["diff", "-f", "github"]) == 0
    out = capsys.readouterr().out
    notice = next(line for line in out.splitlines() if "resolved" in line)
    level, props, message = parse_command(notice)
    assert level == "notice" and message.startswith(f"resolved: CWE-78 at app/tools.py:{line}")
    assert main(["diff", "-f", "gerrit"]) == 0
    review = json.loads(capsys.readouterr().out)
    assert f"resolved: CWE-78 at app/tools.py:{line} (SR901)" in review["message"]


class _Stream:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)


# -- shipped integration files -------------------------------------------------------------------
ROOT = Path(__file__).parent.parent


def test_pre_commit_manifest():
    yaml = pytest.importorskip("yaml")
    hooks = {
        hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    for hook in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(hook)  # what pre-commit requires
        assert hook["language"] == "python" and hook["language_version"] == "python3"
        assert hook["types_or"] == ["python", "jupyter"]
    # The default hook reviews the change with the whole project around it.
    assert hooks["secreview"]["entry"] == "secreview diff"
    assert hooks["secreview"]["pass_filenames"] is False
    assert hooks["secreview-project"]["entry"] == "secreview scan ."
    assert hooks["secreview-project"]["pass_filenames"] is False
    assert hooks["secreview-files"]["entry"] == "secreview scan"
    assert hooks["secreview-files"]["pass_filenames"] is True


def test_ci_examples_never_install_secreview_by_name():
    """The name is not published on the package index: installing it by name would run
    whatever someone else registered."""
    for page in [
        ROOT / "README.md",
        *sorted((ROOT / "docs").rglob("*.md")),
        *sorted((ROOT / "docs").rglob("*.yml")),
    ]:
        for line in page.read_text(encoding="utf-8").splitlines():
            command = line.split("#")[0]
            assert not re.search(r"pip install +(-U +)?secreview\b", command), (
                f"{page.name}: {line}"
            )


def test_pre_commit_entry_scans_the_files_it_is_given(tmp_path, monkeypatch, capsys):
    (tmp_path / "staged.py").write_text("import os\n\n\ndef f(c):\n    os.system(c)\n")
    (tmp_path / "other.py").write_text("import os\n\n\ndef g(c):\n    os.system(c)\n")
    monkeypatch.chdir(tmp_path)
    assert main(["scan", "staged.py", "-f", "json"]) == 1
    assert {f["path"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"staged.py"}


def test_github_actions_example():
    yaml = pytest.importorskip("yaml")
    text = (ROOT / "docs" / "examples" / "github-actions.yml").read_text()
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["secreview"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "--format sarif" in runs and "--format github" in runs
    assert "secreview diff" in runs
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    assert workflow["permissions"]["security-events"] == "write"
    body = text[text.index("name: secreview") :].strip()
    assert body in (ROOT / "docs" / "code-review.md").read_text()  # the docs show it as shipped
