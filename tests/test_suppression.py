"""Inline suppressions: secreview's own comments and Bandit's `# nosec`, on any line of a statement."""

from __future__ import annotations

import json
import textwrap

from secreview.analysis import ScanOptions, analyze_source


def analyse(code: str, inline: bool = True):
    return analyze_source(textwrap.dedent(code), "app/jobs.py", options=ScanOptions(inline))


MULTILINE = """
    import subprocess

    def run(cmd):
        subprocess.run(
            cmd,
            shell=True,  {comment}
            check=True,
        )
"""


def test_comment_on_any_line_of_a_multiline_call_suppresses():
    result = analyse(MULTILINE.format(comment="# secreview: ignore[SR201] -- reviewed"))
    assert result.findings == []
    assert [(f.rule_id, kind) for f, kind in result.suppressed] == [("SR201", "secreview")]
    assert result.stale_suppressions == []


def test_cwe_suppression_and_nosec_with_bandit_ids():
    assert analyse(MULTILINE.format(comment="# secreview: ignore[CWE-78]")).findings == []
    result = analyse(MULTILINE.format(comment="# nosec B602"))
    assert result.findings == [] and result.suppressed[0][1] == "nosec"
    assert analyse(MULTILINE.format(comment="# nosec")).findings == []


def test_suppression_for_another_rule_does_not_hide_and_is_stale():
    result = analyse(MULTILINE.format(comment="# nosec B101"))
    assert [f.rule_id for f in result.findings] == ["SR201"]
    assert result.stale_suppressions == [(7, "# nosec B101")]


def test_comment_in_a_string_is_not_a_suppression():
    result = analyse("""
        import os

        def run(host):
            os.system("ping " + host + " # nosec")
    """)
    assert [f.rule_id for f in result.findings] == ["SR202"]


def test_comment_on_the_next_statement_does_not_apply():
    result = analyse("""
        import os

        def run(host):
            os.system("ping " + host)
            x = 1  # secreview: ignore[SR202]
    """)
    assert [f.line for f in result.findings] == [5]
    assert result.stale_suppressions == [(6, "# secreview: ignore[SR202]")]


def test_no_inline_ignore_shows_everything():
    result = analyse(MULTILINE.format(comment="# nosec"), inline=False)
    assert [f.rule_id for f in result.findings] == ["SR201"]


def test_cli_counts_suppressed_and_reports_stale(write, run_cli):
    write("jobs.py", MULTILINE.format(comment="# nosec B602"))
    write("other.py", "x = 1  # secreview: ignore[SR201]\n")
    code, out, err = run_cli("scan", ".", "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["counts"]["suppressed"] == 1
    assert report["stale_suppressions"] == [
        {"path": "other.py", "line": 1, "comment": "# secreview: ignore[SR201]"}
    ]
    assert "other.py:1: unused suppression" in err
    code, out, _ = run_cli("scan", ".")
    assert "1 suppressed" in out and "1 unused suppression" in out


PING_VIEW = """
    import subprocess

    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/ping")
    def ping():
        host = request.args.get("host", "localhost")
        return subprocess.check_output(
            "ping -c 1 " + host,
            shell=True,  {comment}
        )
"""


def test_one_defect_hidden_by_one_comment_is_counted_once():
    # Shown, the flow finding replaces the pattern finding of the same statement; hidden, the
    # two must not count as two suppressed defects.
    shown = analyse(PING_VIEW.format(comment=""))
    assert [(f.rule_id, f.cwe, f.line) for f in shown.findings] == [("SR901", 78, 12)]
    for comment in ("# nosec B602", "# noqa: S602", "# secreview: ignore[CWE-78]"):
        hidden = analyse(PING_VIEW.format(comment=comment))
        assert hidden.findings == []
        assert [(f.rule_id, f.line) for f, _ in hidden.suppressed] == [("SR901", 12)], comment
        assert hidden.stale_suppressions == []
