"""Command-line conventions users bring from Ruff and Bandit: --exit-zero and --fail-on none,
the concise format, help on every option, the summary on stderr with -o, FORCE_COLOR and
NO_COLOR, and a documentation link for every finding in every format that has room for one."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from secreview import doc_links as doc_links_module
from secreview.cli import build_parser
from secreview.doc_links import DocLinks, doc_links, rule_anchor
from secreview.rules import all_rules
from tests.gitrepo import ENV, SAFE_PING, UNSAFE_PING, make_repo, needs_git

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = Path(__file__).parent / "schemas"

SHELL_VIEW = """\
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args["host"]
    return subprocess.check_output("ping -c 1 " + host, shell=True)
"""
# subprocess.check_output(...) is on line 11, its first character in column 12.
CONCISE_LINE = (
    "app/views.py:11:12: SR901 [CWE-78] critical/high flask.request.args (remote input, "
    "app/views.py:10) reaches a command line run by the shell in "
    "`subprocess.check_output('ping -c 1 ' + host, shell=True)`"
)
MIRROR = "https://wiki.example.org/secreview/rules/{rule}?name={slug}"


@pytest.fixture(autouse=True)
def _no_colour_variables(monkeypatch):
    for name in ("FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def shell_view(write):
    write("app/views.py", SHELL_VIEW)


def _mirror(write) -> None:
    write("pyproject.toml", f'[tool.secreview]\ndocs-url = "{MIRROR}"\n')


# -- exit codes ---------------------------------------------------------------------------------
def test_exit_zero_reports_findings_and_exits_0(shell_view, run_cli):
    assert run_cli("scan", "app")[0] == 1
    code, out, _ = run_cli("scan", "app", "--exit-zero")
    assert code == 0
    assert "SR901" in out and "CWE-78" in out


def test_exit_zero_still_exits_2_on_usage_and_configuration_errors(shell_view, run_cli, write):
    code, _, err = run_cli("scan", "app", "--exit-zero", "--severity", "urgent")
    assert code == 2 and "urgent" in err
    write("pyproject.toml", "[tool.secreview]\nfail-on = 'sometimes'\n")
    code, _, err = run_cli("scan", "app", "--exit-zero")
    assert code == 2 and "fail-on must be one of low, medium, high, critical, none" in err


def test_exit_zero_wins_over_strict(run_cli, write):
    write("app/broken.py", "def broken(:\n")
    assert run_cli("scan", "app", "--strict")[0] == 1
    assert run_cli("scan", "app", "--strict", "--exit-zero")[0] == 0


def test_fail_on_none_is_exit_zero_on_the_command_line_and_in_the_configuration(
    shell_view, run_cli, write
):
    assert run_cli("scan", "app", "--fail-on", "none")[0] == 0
    assert run_cli("scan", "app", "--fail-on", "NONE")[0] == 0
    write("pyproject.toml", '[tool.secreview]\nfail-on = "none"\n')
    assert run_cli("scan", "app")[0] == 0
    assert run_cli("scan", "app", "--fail-on", "low")[0] == 1  # the command line wins
    code, out, _ = run_cli("config")
    assert code == 0 and 'fail-on = "none"  # from' in out


@needs_git
def test_diff_takes_exit_zero_too(tmp_path, monkeypatch, capsys):
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"):
        monkeypatch.setenv(key, ENV[key])
    from secreview.cli import main

    repo = make_repo(tmp_path / "project")
    repo.replace("app/tools.py", SAFE_PING, UNSAFE_PING)
    monkeypatch.chdir(repo.root)
    assert main(["diff", "-f", "concise"]) == 1
    assert main(["diff", "-f", "concise", "--exit-zero"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^app/tools\.py:\d+:\d+: SR\d{3} \[CWE-78\] ", out, re.MULTILINE)


# -- the concise format ---------------------------------------------------------------------------
def test_concise_is_one_line_per_finding_then_the_summary(shell_view, run_cli):
    code, out, _ = run_cli("scan", "app", "--format", "concise")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == CONCISE_LINE
    assert len(lines) == 2
    assert re.fullmatch(
        r"1 finding \(1 critical\) in 1 file \(11 lines\) in \d+\.\d\ds\.", lines[1]
    )


def test_concise_lines_have_the_documented_shape(run_cli, write):
    write(
        "app/jobs.py",
        """\
        import os
        import pickle
        import random


        def run(cmd):
            os.system(cmd)


        def load(blob):
            return pickle.loads(blob)


        def reset_token():
            reset_token = random.getrandbits(64)
            return reset_token
        """,
    )
    code, out, _ = run_cli("scan", "app", "-f", "concise")
    findings = out.splitlines()[:-1]
    shape = re.compile(
        r"app/jobs\.py:(\d+):(\d+): (SR\d{3}) \[CWE-(\d+)\] "
        r"(low|medium|high|critical)/(low|medium|high) \S.*"
    )
    assert len(findings) >= 3
    for line in findings:
        assert shape.fullmatch(line), line
    data = json.loads(run_cli("scan", "app", "-f", "json")[1])["findings"]
    assert [shape.fullmatch(line).group(1, 2, 3, 4) for line in findings] == [
        (str(f["line"]), str(f["column"]), f["rule_id"], str(f["cwe"])) for f in data
    ]


def test_concise_with_colour_links_the_rule_id(shell_view, run_cli, write):
    _mirror(write)
    _, out, _ = run_cli("scan", "app", "-f", "concise", "--color", "always")
    assert "\x1b]8;" in out and "https://wiki.example.org/secreview/rules/SR901" in out
    _, plain, _ = run_cli("scan", "app", "-f", "concise")
    assert "\x1b" not in plain and "wiki.example.org" not in plain


# -- help -----------------------------------------------------------------------------------------
def _parsers(parser: argparse.ArgumentParser, name: str = "secreview"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {sub_name}")


def _options(parser: argparse.ArgumentParser):
    skipped = (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)
    return [a for a in parser._actions if not isinstance(a, skipped)]


def test_no_option_lacks_help():
    missing = [
        f"{name}: {'/'.join(action.option_strings) or action.dest}"
        for name, parser in _parsers(build_parser())
        for action in _options(parser)
        if not action.help or action.help == argparse.SUPPRESS
    ]
    assert not missing, missing


def test_help_lists_each_options_values_and_default():
    for name, parser in _parsers(build_parser()):
        text = "".join(parser.format_help().split())  # wrapped anyhow, hyphens included
        for action in _options(parser):
            help_text = parser._get_formatter()._expand_help(action)
            assert "".join(help_text.split()) in text, (name, action.dest)
            for choice in action.choices or ():
                assert str(choice) in help_text, (name, action.dest, choice)
            if action.default not in (None, False, []) and action.nargs != 0:
                assert "default" in help_text, (name, action.dest)


@pytest.mark.parametrize(
    "command", [["scan"], ["review"], ["diff"], ["baseline"], ["baseline", "create"]]
)
def test_commands_have_a_description_and_examples(command, run_cli):
    with pytest.raises(SystemExit) as exit_:
        run_cli(*command, "--help")
    assert exit_.value.code == 0
    parser = dict(_parsers(build_parser()))["secreview " + " ".join(command)]
    assert parser.description and parser.epilog and "examples:" in parser.epilog
    for example in re.findall(r"^  (secreview \S+)", parser.epilog, re.MULTILINE):
        assert example.split()[1] in ("scan", "review", "diff", "baseline")


def test_scan_help_through_the_installed_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "secreview", "scan", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "--exit-zero" in done.stdout and "concise" in done.stdout
    assert "examples:\n  secreview scan " in done.stdout  # kept as written, not re-wrapped


# -- the summary with -o --------------------------------------------------------------------------
@pytest.mark.parametrize("format", ["text", "concise", "json", "sarif", "gitlab", "github"])
def test_with_output_the_summary_goes_to_stderr(format, shell_view, run_cli, tmp_path):
    code, out, err = run_cli("scan", "app", "-f", format, "-o", "report.out")
    assert code == 1
    assert out == ""
    summary = [line for line in err.splitlines() if "Report written to" in line]
    assert len(summary) == 1
    assert re.fullmatch(
        r"secreview: 1 finding \(1 critical\) in 1 file \(11 lines\) in \d+\.\d\ds\. "
        r"Report written to report\.out\.",
        summary[0],
    )
    assert (tmp_path / "report.out").stat().st_size > 0


def test_the_review_formats_say_it_too_and_quiet_silences_it(shell_view, run_cli):
    _, _, err = run_cli("review", "app", "-f", "markdown", "-o", "review.md")
    assert "1 finding (1 critical)" in err and "Report written to review.md." in err
    _, _, quiet = run_cli("scan", "app", "-f", "json", "-o", "report.json", "-q")
    assert "Report written" not in quiet
    _, _, to_stdout = run_cli("scan", "app", "-f", "json")
    assert "Report written" not in to_stdout  # stdout has the report, summary and all


def test_a_report_file_gets_colour_only_when_asked(shell_view, run_cli, monkeypatch, tmp_path):
    monkeypatch.setenv("FORCE_COLOR", "1")
    run_cli("scan", "app", "-o", "plain.txt")
    assert "\x1b[" not in (tmp_path / "plain.txt").read_text()
    run_cli("scan", "app", "-o", "coloured.txt", "--color", "always")
    assert "\x1b[" in (tmp_path / "coloured.txt").read_text()


# -- FORCE_COLOR and NO_COLOR -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("environment", "option", "coloured"),
    [
        ({}, None, False),  # captured output is not a terminal
        ({"FORCE_COLOR": "1"}, None, True),
        ({"FORCE_COLOR": ""}, None, False),  # set but empty counts as unset
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, None, False),  # NO_COLOR first, as Python does
        ({"FORCE_COLOR": "1"}, "never", False),  # --color wins over both
        ({"NO_COLOR": "1"}, "always", True),
    ],
)
def test_colour_variables(environment, option, coloured, shell_view, run_cli, monkeypatch):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    args = ["scan", "app", *(["--color", option] if option else [])]
    for format in ("text", "concise"):
        out = run_cli(*args, "-f", format)[1]
        assert ("\x1b[" in out) is coloured, (format, out[:200])


def test_force_color_through_a_pipe(tmp_path):
    (tmp_path / "views.py").write_text(SHELL_VIEW, encoding="utf-8")
    env = {k: v for k, v in ENV.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    done = subprocess.run(
        [sys.executable, "-m", "secreview", "scan", "views.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "FORCE_COLOR": "1"},
        check=False,
    )
    assert done.returncode == 1 and "\x1b[" in done.stdout


# -- documentation links --------------------------------------------------------------------------
def _github_anchors(markdown: str) -> set[str]:
    """The ids GitHub gives the headings of a Markdown page."""
    anchors = set()
    for heading in re.findall(r"^#{1,6} (.+)$", markdown, re.MULTILINE):
        anchors.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return anchors


def test_every_rule_anchor_exists_in_the_rules_page():
    anchors = _github_anchors((ROOT / "docs" / "rules.md").read_text(encoding="utf-8"))
    missing = [r.id for r in all_rules() if rule_anchor(r.id, r.slug) not in anchors]
    assert not missing, missing


def test_a_template_places_the_rule_and_a_plain_url_gets_the_anchor():
    assert DocLinks(MIRROR).url("SR201", "subprocess-shell-injection") == (
        "https://wiki.example.org/secreview/rules/SR201?name=subprocess-shell-injection"
    )
    assert DocLinks("https://git.example.org/secreview/docs/rules.md").url(
        "SR204", "sql-injection"
    ) == ("https://git.example.org/secreview/docs/rules.md#sr204-sql-injection")
    assert DocLinks("https://x.example/{anchor}").url("SR101", "hardcoded-password") == (
        "https://x.example/sr101-hardcoded-password"
    )
    assert DocLinks(None).url("SR201", "subprocess-shell-injection") is None


def test_the_package_documentation_url_is_the_default(monkeypatch):
    monkeypatch.setattr(
        doc_links_module, "packaged_docs_url", lambda: "https://docs.example.org/rules.md"
    )
    assert doc_links().url("SR201", "subprocess-shell-injection") == (
        "https://docs.example.org/rules.md#sr201-subprocess-shell-injection"
    )


def test_from_a_checkout_the_default_is_its_rules_page(monkeypatch):
    monkeypatch.setattr(doc_links_module, "packaged_docs_url", lambda: None)
    url = doc_links().url("SR201", "subprocess-shell-injection")
    assert url == (ROOT / "docs" / "rules.md").as_uri() + "#sr201-subprocess-shell-injection"


def test_a_bad_docs_url_is_a_configuration_error(shell_view, run_cli, write):
    write("pyproject.toml", '[tool.secreview]\ndocs-url = "https://x.example/{id}"\n')
    code, _, err = run_cli("scan", "app")
    assert code == 2 and "docs-url has an unknown placeholder {id}" in err
    write("pyproject.toml", '[tool.secreview]\ndocs-url = "wiki/rules"\n')
    code, _, err = run_cli("scan", "app")
    assert code == 2 and "docs-url must start with https://" in err


def test_json_has_a_doc_url_for_every_finding(shell_view, run_cli, write):
    _, out, _ = run_cli("scan", "app", "-f", "json")
    (finding,) = json.loads(out)["findings"]
    assert finding["doc_url"].endswith("docs/rules.md#" + rule_anchor("SR901", finding["slug"]))
    _mirror(write)
    _, out, _ = run_cli("scan", "app", "-f", "json")
    (finding,) = json.loads(out)["findings"]
    assert finding["doc_url"] == (
        "https://wiki.example.org/secreview/rules/SR901?name=" + finding["slug"]
    )
    code, out, _ = run_cli("config")
    assert f'docs-url = "{MIRROR}"' in out


def test_text_has_a_docs_line_and_links_the_rule_id_in_colour(shell_view, run_cli, write):
    _mirror(write)
    _, out, _ = run_cli("scan", "app")
    docs = [line.strip() for line in out.splitlines() if line.strip().startswith("docs:")]
    assert docs == ["docs: https://wiki.example.org/secreview/rules/SR901?name=command-injection"]
    _, coloured, _ = run_cli("scan", "app", "--color", "always")
    assert "\x1b]8;" in coloured  # the rule id is a hyperlink


def test_text_without_any_page_names_the_explain_command(shell_view, run_cli, monkeypatch):
    # An installed package with no Documentation URL and no docs-url: nothing to link to.
    monkeypatch.setattr(doc_links_module, "packaged_docs_url", lambda: None)
    monkeypatch.setattr(doc_links_module, "checkout_docs_url", lambda: None)
    monkeypatch.setattr(doc_links_module, "generated_docs_url", lambda: None)
    _, out, _ = run_cli("scan", "app")
    docs = [line.strip() for line in out.splitlines() if line.strip().startswith("docs:")]
    assert docs == ["docs: secreview explain SR901"]


def test_an_installed_package_links_its_rules_reference(
    shell_view, run_cli, monkeypatch, tmp_path_factory
):
    # No docs-url, no Documentation URL, no checkout: the reference is written from the rules.
    home = tmp_path_factory.mktemp("cache-home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.setattr(doc_links_module, "packaged_docs_url", lambda: None)
    monkeypatch.setattr(doc_links_module, "checkout_docs_url", lambda: None)
    doc_links_module.generated_docs_url.cache_clear()
    try:
        _, out, _ = run_cli("scan", "app", "-f", "json")
    finally:
        doc_links_module.generated_docs_url.cache_clear()
    (finding,) = json.loads(out)["findings"]
    page, _, anchor = finding["doc_url"].partition("#")
    assert page.startswith((home / "secreview" / "docs").as_uri() + "/rules-")
    assert anchor == rule_anchor("SR901", finding["slug"]) == "sr901-command-injection"
    written = Path(page.removeprefix("file://")).read_text(encoding="utf-8")
    assert written == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "\n## SR901 command-injection\n" in written


def test_sarif_help_uri_is_the_rule_page_and_cwe_is_a_taxonomy(shell_view, run_cli, write):
    _mirror(write)
    _, out, _ = run_cli("scan", "app", "-f", "sarif")
    report = json.loads(out)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    run = report["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert all(
        r["helpUri"] == f"https://wiki.example.org/secreview/rules/{r['id']}?name={r['name']}"
        for r in rules
    )
    (taxonomy,) = run["taxonomies"]
    assert taxonomy["name"] == "CWE" and run["tool"]["driver"]["supportedTaxonomies"] == [
        {"name": "CWE", "index": 0}
    ]
    taxa = taxonomy["taxa"]
    shell = next(r for r in rules if r["id"] == "SR901")
    targets = [rel["target"] for rel in shell["relationships"]]
    assert targets[0]["id"] == "78"
    assert taxa[targets[0]["index"]]["helpUri"] == "https://cwe.mitre.org/data/definitions/78.html"
    assert {t["id"] for t in taxa} == {str(c) for r in all_rules() for c in r.all_cwes()}


def test_sarif_without_published_pages_links_the_cwe(shell_view, run_cli, monkeypatch):
    monkeypatch.setattr(doc_links_module, "packaged_docs_url", lambda: None)
    _, out, _ = run_cli("scan", "app", "-f", "sarif")
    rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    shell = next(r for r in rules if r["id"] == "SR901")
    assert shell["helpUri"] == "https://cwe.mitre.org/data/definitions/78.html"  # not file://


def test_gitlab_and_gerrit_link_the_rule_page(shell_view, run_cli, write):
    _mirror(write)
    _, out, _ = run_cli("scan", "app", "-f", "gitlab")
    report = json.loads(out)
    jsonschema.validate(
        report, json.loads((SCHEMAS / "gitlab-sast-report.schema.json").read_text("utf-8"))
    )
    (vulnerability,) = report["vulnerabilities"]
    rule, cwe = vulnerability["identifiers"]
    assert rule["url"] == "https://wiki.example.org/secreview/rules/SR901?name=command-injection"
    assert cwe["url"] == "https://cwe.mitre.org/data/definitions/78.html"
    _, out, _ = run_cli("scan", "app", "-f", "gerrit")
    (comment,) = json.loads(out)["robot_comments"]["app/views.py"]
    assert comment["url"] == "https://wiki.example.org/secreview/rules/SR901?name=command-injection"
    assert comment["properties"]["cwe_url"] == "https://cwe.mitre.org/data/definitions/78.html"
