"""The HTML review opened in a real headless browser: it renders, and shows the findings.

Needs Chromium (`chromium` from the distribution's packages; .ci/run installs it). Without a
browser on the machine the test is skipped with the reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

BROWSER = (
    shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
)

VIEWS = """
    import subprocess
    import sqlite3

    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/ping")
    def ping():
        host = request.args["host"]
        return subprocess.check_output("ping -c 1 " + host, shell=True)


    @app.route("/orders")
    def orders():
        conn = sqlite3.connect("shop.db")
        customer = request.args["customer"]
        return str(conn.execute(f"SELECT * FROM orders WHERE customer = '{customer}'").fetchall())
    """


def _browser(*args: str, tmp: Path) -> subprocess.CompletedProcess[bytes]:
    assert BROWSER is not None
    return subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp / 'profile'}",
            *args,
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine (.ci/run installs it)")
def test_review_renders_in_a_browser_with_its_findings(write, run_cli, tmp_path):
    write("shop/views.py", VIEWS)
    code, out, _ = run_cli("scan", "shop", "--format", "json")
    expected = sorted((f["rule_id"], f["line"]) for f in json.loads(out)["findings"])
    assert [rule for rule, _ in expected] == ["SR901", "SR902"]
    run_cli("review", "shop", "--format", "html", "--output", "review.html")
    page = (tmp_path / "review.html").as_uri()

    shot = tmp_path / "review.png"
    done = _browser("--window-size=1280,1600", f"--screenshot={shot}", page, tmp=tmp_path)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-500:]
    image = shot.read_bytes()
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(image) > 20_000  # a rendered page, not a blank one

    dom = _browser("--dump-dom", page, tmp=tmp_path).stdout.decode()
    assert len(re.findall(r'<article class="finding[" ]', dom)) == len(expected)
    assert 'id="shown">2<' in dom  # the filter script ran and counts both findings
    for rule, line in expected:
        assert rule in dom
        assert f"views.py:{line}" in dom
