"""The Markdown review: a valid CommonMark document whose text cannot be turned into markup by
the scanned code."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from secreview.reporters.markdown import code_span, escape, fenced, prose

PROJECT = {
    "svc/api.py": """\
        import subprocess

        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/ping")
        def ping():
            host = request.args["host"]
            return subprocess.check_output("ping -c 1 " + host, shell=True)
        """,
    "svc/tools.py": """\
        import os

        import requests


        def shout(text_):
            os.system("echo <script>alert(1)</script> [x](http://evil.example/) *" + text_)


        def status():
            return requests.get("http://status.partner.com/<script>alert(2)</script>", timeout=5)


        def fetch():
            try:
                return open("/srv/state").read()
            except Exception:
                pass
        """,
}


@pytest.fixture
def document(write, run_cli):
    for relpath, text in PROJECT.items():
        write(relpath, text)
    code, out, _err = run_cli("review", ".", "--format", "markdown")
    assert code == 1
    return out


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def flat(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from flat(token.children)


def test_valid_commonmark_with_the_sections(document):
    tokens = parser().parse(document)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == "Security review of `svc`"
    assert any(h.startswith("Findings: ") for h in headings)
    assert headings[-2:] == ["Checklist", "Conclusion"]
    assert any(t.type == "table_open" for t in tokens)
    assert any(t.type == "fence" and t.info == "python" for t in tokens)
    assert any(t.type == "ordered_list_open" for t in tokens)  # the data-flow trace


def test_scanned_code_cannot_add_markup(document):
    tokens = list(flat(parser().parse(document)))
    assert not [t for t in tokens if t.type in ("html_inline", "html_block")]
    links = [t.attrs.get("href") for t in tokens if t.type == "link_open"]
    assert links and all(str(h).startswith("https://cwe.mitre.org/") for h in links)
    assert not [t for t in tokens if t.type == "image"]
    html = parser().render(document)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # in the code block
    assert 'href="http://evil.example/"' not in html


def test_checklist_items(document):
    lines = [line for line in document.splitlines() if line.startswith("- **CWE-")]
    by_cwe = {line[4:].split(" ", 1)[0]: line for line in lines}
    assert by_cwe["CWE-78"] == (
        "- **CWE-78 OS command injection: defects found.** 2 process-execution calls examined "
        "(api.py:11; tools.py:7); both are defects."
    )
    # the categories with defects lead, the clean ones follow, each in the default order
    verdicts = [line.split(": ", 1)[1].split(".**", 1)[0] for line in lines]
    assert verdicts == sorted(verdicts, key=lambda v: v != "defects found")
    assert list(by_cwe)[:3] == ["CWE-78", "CWE-319", "CWE-388"]
    # no SQL here: one line names it with what secreview models for it, not as inapplicable
    assert "CWE-89" not in by_cwe
    nothing = [line for line in document.splitlines() if line.startswith("- Nothing to examine")]
    assert len(nothing) == 1
    assert (
        "CWE-89 SQL injection (SQL execution calls, and data flow into .execute(), " in (nothing[0])
    )
    assert (
        "; and not applicable: CWE-120 Buffer overflow (no ctypes or cffi imported" in (nothing[0])
    )
    assert document.index("- Nothing to examine") > document.index(lines[-1])
    html = parser().render(document)
    assert "<strong>CWE-388 Error handling: defects found.</strong>" in html
    assert "<code>http://status.partner.com/&lt;script&gt;alert(2)&lt;/script&gt;</code>" in html


def test_helpers():
    assert escape("a_b *c* <d> [e](f) & | ~") == "a\\_b \\*c\\* \\<d\\> \\[e\\](f) \\& \\| \\~"
    assert escape("see http://x.example and www.y.example") == (
        "see http\\://x.example and www\\.y.example"
    )
    assert code_span("a`b") == "`` a`b ``"
    assert code_span("plain") == "`plain`"
    assert fenced("x = '```'") == "````python\nx = '```'\n````"
    assert prose("run `ls *` now *") == "run `ls *` now \\*"
    rendered = parser().render(prose("`a` <b>"))
    assert rendered == "<p><code>a</code> &lt;b&gt;</p>\n"


def test_deterministic(write, run_cli):
    for relpath, text in PROJECT.items():
        write(relpath, text)
    assert run_cli("review", ".", "--format", "markdown") == run_cli(
        "review", ".", "--format", "markdown"
    )
