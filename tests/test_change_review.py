"""The review of a change (`secreview diff -f review/markdown/html`): it names the change, says
what the change introduces and resolves, and shows the defects that were there before it as
such, never as "no defects"."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from secreview.cli import main
from tests.gitrepo import ENV, Repo, line_of, make_repo, needs_git

pytestmark = needs_git

# A shop whose search builds SQL from the request and whose ping runs a shell command.
SHOP = {
    "shop/__init__.py": "",
    "shop/views.py": """\
        import sqlite3
        import subprocess

        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/search")
        def search():
            term = request.args["q"]
            conn = sqlite3.connect("shop.db")
            rows = conn.execute("SELECT name FROM items WHERE name = '" + term + "'").fetchall()
            return {"items": [row[0] for row in rows]}


        @app.route("/ping")
        def ping():
            host = request.args["host"]
            return subprocess.check_output("ping -c 1 " + host, shell=True)
        """,
}
UNSAFE_QUERY = """conn.execute("SELECT name FROM items WHERE name = '" + term + "'")"""
SAFE_QUERY = """conn.execute("SELECT name FROM items WHERE name = ?", (term,))"""


@pytest.fixture(autouse=True)
def _git_env(monkeypatch):
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"):
        monkeypatch.setenv(key, ENV[key])
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def repo(tmp_path) -> Repo:
    repo = make_repo(tmp_path / "project", SHOP)
    repo.replace("shop/views.py", UNSAFE_QUERY, SAFE_QUERY)  # the fix, not yet committed
    return repo


def run(repo: Repo, capsys, monkeypatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(repo.root)
    code = main(["diff", *args])
    out, _err = capsys.readouterr()
    return code, out


def lines_of(repo: Repo) -> tuple[int, int]:
    text = repo.read("shop/views.py")
    return line_of(text, "conn.execute("), line_of(text, "shell=True")


def test_text_review_of_a_fix_names_what_it_resolves_and_what_was_there(repo, capsys, monkeypatch):
    sql_line, shell_line = lines_of(repo)
    code, out = run(repo, capsys, monkeypatch, "-f", "review")
    assert code == 0  # the change introduces nothing
    assert out.startswith("Security review of HEAD..working tree\n")
    assert re.search(
        r"^Change: +HEAD \([0-9a-f]+\) -> working tree, 1 Python file changed$", out, re.M
    )
    assert "\nIntroduced by this change: no defects\n" in out
    resolved = out.split("\nResolved by this change: 1 defect\n", 1)[1]
    assert resolved.splitlines()[1].startswith(
        f"[1] CWE-89 SQL injection at views.py:{sql_line} (critical, high confidence, SR902): "
    )
    before = out.split("\nPresent before this change, in the files it touches: 1 defect\n")[1]
    assert before.splitlines()[1].startswith(
        f"[1] CWE-78 OS command injection at views.py:{shell_line} (critical, high confidence, "
        "SR901): "
    )
    checklist = out.split("\nChecklist\n", 1)[1].split("\nConclusion\n", 1)[0]
    lines = {line.split(" ", 1)[0]: line for line in checklist.splitlines() if line[:4] == "CWE-"}
    assert list(lines)[:2] == ["CWE-78", "CWE-89"]
    assert lines["CWE-78"] == (
        "CWE-78 OS command injection: defects present before this change. 1 process-execution "
        f"call examined (views.py:{shell_line}); it is a defect present before this change."
    )
    assert lines["CWE-89"] == (
        "CWE-89 SQL injection: no defects found. 1 SQL execution site examined "
        f"(views.py:{sql_line}); it passes parameters separately. The change resolves 1 "
        f"finding here (views.py:{sql_line}, before the change)."
    )
    assert "below the configured thresholds" not in out
    conclusion = out.split("\nConclusion\n----------\n", 1)[1]
    assert conclusion.startswith(
        f"The change introduces no defects. It resolves CWE-89 SQL injection at "
        f"views.py:{sql_line} (SR902). 1 defect was present before this change in the files it "
        f"touches and is still there: CWE-78 OS command injection at views.py:{shell_line} "
        "(critical, SR901)."
    )


def test_markdown_review_of_a_fix(repo, capsys, monkeypatch):
    sql_line, shell_line = lines_of(repo)
    _code, out = run(repo, capsys, monkeypatch, "-f", "markdown")
    assert out.startswith("# Security review of `HEAD..working tree`\n")
    assert "| Result | no new defects, 1 resolved, 1 present before this change |" in out
    assert "\n## Introduced by this change: no defects\n" in out
    assert (
        f"## Resolved by this change: 1 defect\n\n- **CWE-89 SQL injection** at "
        f"`views.py:{sql_line}` (critical, high confidence, `SR902`): "
    ) in out
    assert (
        "## Present before this change, in the files it touches: 1 defect\n\n"
        f"- **CWE-78 OS command injection** at `views.py:{shell_line}` (critical, high "
        "confidence, `SR901`): "
    ) in out
    assert (
        "- **CWE-78 OS command injection: defects present before this change.** "
        f"1 process-execution call examined (views.py:{shell_line}); it is a defect present "
        "before this change."
    ) in out
    # the old wording: a critical shell injection called clean
    assert not re.search(r"CWE-78 OS command injection: no defects found", out)


def test_html_review_of_a_fix(repo, capsys, monkeypatch):
    sql_line, shell_line = lines_of(repo)
    _code, out = run(repo, capsys, monkeypatch, "-f", "html")
    assert "<title>Security review of HEAD..working tree</title>" in out
    resolved = re.search(r'<h2 id="resolved">(.*?)</h2>\s*<ul class="brief">(.*?)</ul>', out, re.S)
    assert resolved and resolved.group(1) == "Resolved by this change: 1 defect"
    assert f"SQL injection at <code>views.py:{sql_line}</code>" in resolved.group(2)
    before = re.search(r'<h2 id="before">(.*?)</h2>\s*<ul class="brief">(.*?)</ul>', out, re.S)
    assert before and "OS command injection at <code>views.py:" in before.group(2)
    assert f"views.py:{shell_line}" in before.group(2)
    row = re.search(r'<tr data-cwes="[^"]*\b78\b[^"]*">.*?</tr>', out)
    assert row and "defects present before this change" in row.group(0)
    HTMLParser().feed(out)  # well-formed enough to parse


def test_patch_review_is_named_after_the_patch(repo, capsys, monkeypatch, tmp_path):
    patch = tmp_path / "parameterise-search.patch"
    patch.write_text(repo.git("diff"), encoding="utf-8")
    repo.git("checkout", "--", "shop/views.py")  # the patch is not applied yet
    _code, out = run(repo, capsys, monkeypatch, "--patch", str(patch), "-f", "review")
    assert out.startswith("Security review of parameterise-search.patch\n")
    assert "\nResolved by this change: 1 defect\n" in out


def test_committed_range_names_the_review(repo, capsys, monkeypatch):
    repo.commit("parameterise the search")
    repo.write(
        {"shop/admin.py": "import os\n\n\ndef purge(path):\n    os.system('rm -rf ' + path)\n"}
    )
    repo.commit("purge")
    _code, out = run(repo, capsys, monkeypatch, "HEAD~2..HEAD", "-f", "review")
    assert out.startswith("Security review of HEAD~2..HEAD\n")
    assert "\nIntroduced by this change: 1 defect\n" in out
    assert "[1] CWE-78 OS command injection at admin.py:5" in out
    assert "\nResolved by this change: 1 defect\n" in out
    conclusion = out.split("\nConclusion\n----------\n", 1)[1]
    assert conclusion.startswith("1 defect introduced by the change (1 ")
