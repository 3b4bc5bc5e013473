"""The HTML review: one self-contained page, filters, marked code, traces, and nothing from the
scanned code can add markup or script to it."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

EVIL_NAME = "<img src=x onerror=alert(1)>.py"
EVIL_LINE = 'os.system("echo </script><script>alert(1)</script>" + host)'

PROJECT = {
    "app/views.py": """\
        import subprocess

        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/ping")
        def ping():
            host = request.args["host"]
            return subprocess.check_output("ping -c 1 " + host, shell=True)
        """,
    f"app/{EVIL_NAME}": f"""\
        import os


        def run(host):
            {EVIL_LINE}
        """,
    "app/settings.py": 'PASSWORD = "Tr0ub4dor&3-production"\n',
}


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


@pytest.fixture
def page(write, run_cli):
    for relpath, text in PROJECT.items():
        write(relpath, text)
    code, out, _err = run_cli("review", ".", "--format", "html", "--quiet")
    assert code == 1
    return out


def parse(text: str) -> Collector:
    collector = Collector()
    collector.feed(text)
    collector.close()
    return collector


def test_scanned_code_and_file_names_cannot_inject_markup(page):
    assert "<script>alert(1)" not in page
    assert "</script><script>" not in page
    assert "<img" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;.py" in page
    doc = parse(page)
    assert [tag for tag, _ in doc.tags].count("script") == 1
    assert "img" not in {tag for tag, _ in doc.tags}
    for tag, attrs in doc.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)


def test_self_contained(page):
    doc = parse(page)
    for tag, attrs in doc.tags:
        assert "src" not in attrs, (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert tag == "a" and href.startswith("https://cwe.mitre.org/"), (tag, href)
        assert tag not in ("link", "iframe", "object", "embed", "img")
    assert "url(" not in page and "@import" not in page


def test_script_is_allowed_by_hash_only(page):
    doc = parse(page)
    policy = next(
        attrs["content"]
        for tag, attrs in doc.tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    )
    digest = base64.b64encode(hashlib.sha256(doc.scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy


def test_filters_summary_and_checklist(page):
    doc = parse(page)
    boxes = [a["value"] for t, a in doc.tags if t == "input" and a.get("name") == "severity"]
    assert boxes == ["critical", "high", "medium", "low"]
    options = [a["value"] for t, a in doc.tags if t == "option"]
    assert "" in options and "78" in options and "89" in options
    findings = [a for t, a in doc.tags if t == "article"]
    assert {a["data-severity"] for a in findings} >= {"critical", "high"}
    assert any("78" in a["data-cwes"].split() for a in findings)
    assert 'id="summary"' in page and 'id="checklist"' in page and 'id="conclusion"' in page
    assert "addEventListener('change', apply)" in doc.scripts[0]
    row = re.search(r'<tr data-cwes="[^"]*\b78\b[^"]*">.*?</tr>', page)
    assert row and "defects found" in row.group(0)


def test_code_is_marked_and_traced(page):
    # the flagged line is marked, with context around it read back from the file
    assert re.search(
        r'<tr class="flagged"><td class="n">11</td><td>\s+return subprocess\.check_output', page
    )
    assert '<tr><td class="n">10</td>' in page
    # the trace of the data-flow finding
    assert '<span class="kind">source</span> <code>views.py:10</code>' in page
    assert '<span class="kind">sink</span> <code>views.py:11</code>' in page


def test_deterministic(write, run_cli):
    for relpath, text in PROJECT.items():
        write(relpath, text)
    first = run_cli("review", ".", "--format", "html", "--quiet")
    assert first == run_cli("review", ".", "--format", "html", "--quiet")


def test_scan_html_to_a_file(write, run_cli, tmp_path):
    for relpath, text in PROJECT.items():
        write(relpath, text)
    code, out, _err = run_cli("scan", ".", "--format", "html", "-o", "review.html", "--quiet")
    assert code == 1 and out == ""
    text = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")


def test_findings_grouped_by_cwe_then_file_and_collapsible(page):
    groups = re.findall(
        r'<details class="group cwe" open data-cwes="(\d+)"><summary><span class="cwe-id">'
        r"CWE-(\d+)</span> ([^<]+) <span",
        page,
    )
    assert [(cwe, title) for cwe, _, title in groups] == [
        ("78", "OS command injection"),
        ("798", "Hard-coded credentials"),
    ]
    cwe78 = page.split('data-cwes="78"><summary>', 1)[1].split('<details class="group cwe"')[0]
    files = re.findall(r'<details class="group file" open><summary><code>([^<]+)</code>', cwe78)
    assert files == ["&lt;img src=x onerror=alert(1)&gt;.py", "views.py"]
    assert cwe78.count('<article class="finding"') == 2
    assert re.findall(r'<span class="count">([^<]+)</span>', cwe78) == [
        "2 findings: 1 critical, 1 high",
        "1 finding: 1 high",
        "1 finding: 1 critical",
    ]
    # the filter hides a group whose findings are all hidden
    assert "group.querySelector('.finding:not(.hidden)')" in parse(page).scripts[0]


def test_checklist_defects_first_and_one_line_for_nothing_to_examine(page):
    table = page.split('<table class="checklist">', 1)[1].split("</table>", 1)[0]
    verdicts = re.findall(r'<td class="verdict [a-z]+">([^<]+)</td>', table)
    assert verdicts[:2] == ["defects found", "defects found"]
    assert verdicts == sorted(verdicts, key=lambda v: v != "defects found")
    assert "not applicable" not in verdicts and "nothing that secreview models" not in verdicts
    empty = re.search(
        r'<details class="empty" id="empty"><summary>Nothing to examine in (\d+) categories: '
        r"(.*?)</summary><ul>(.*?)</ul></details>",
        page,
        re.S,
    )
    assert empty
    named = re.findall(r'<span class="cwe-id">CWE-(\d+)</span>', empty.group(2))
    assert len(named) == int(empty.group(1)) and "89" in named and "120" in named
    assert (
        '<li><span class="cwe-id">CWE-89 SQL injection</span>: nothing that secreview models. '
        "Nothing that secreview models in the reviewed code; it models SQL execution calls"
    ) in empty.group(3)
    assert (
        '<li><span class="cwe-id">CWE-120 Buffer overflow</span>: not applicable. No ctypes or '
        "cffi imported"
    ) in empty.group(3)


def test_cwe_ids_never_wrap(page):
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert re.search(r"\.cwe-id, table\.checklist td:first-child \{ white-space: nowrap; \}", style)
    assert '<span class="cwe-id">CWE-78</span>' in page


def test_large_projects_show_files_closed(write, run_cli):
    for index in range(12):
        write(f"jobs/job{index:02d}.py", "import os\n\n\ndef run(cmd):\n    os.system(cmd)\n")
    _code, page, _err = run_cli("review", ".", "--format", "html", "--quiet")
    group = page.split('<details class="group cwe" open data-cwes="78">', 1)[1]
    assert group.count('<details class="group file"><summary>') == 12  # closed: 12 > 10
    assert '<details class="group file" open>' not in group
