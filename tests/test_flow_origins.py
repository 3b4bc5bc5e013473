"""Where a flow starts and what its trace shows: a test's own values never start a production
trace, and an unpacked tuple's names each follow their own position of what was returned."""

from __future__ import annotations

from pathlib import Path

from secreview.analysis import analyze_source, scan
from secreview.config import Config

FIXTURES = Path(__file__).parent / "fixtures" / "rules" / "dataflow"

REPORTS = """\
import subprocess


def render_report(name):
    subprocess.run("report-tool --name " + name, shell=True)
"""

TEST_REPORTS = """\
from flask import Flask, request

from billing.reports import render_report

app = Flask(__name__)


@app.route("/fake-report")
def fake_report():
    render_report(request.args["name"])
    return "ok"


def test_report_renders():
    with app.test_request_context("/fake-report?name=march"):
        assert fake_report() == "ok"
"""

VIEWS = """\
from flask import Flask, request

from billing.reports import render_report

app = Flask(__name__)


@app.route("/report")
def report():
    render_report(request.args["name"])
    return "ok"
"""


def _project(root: Path, files: dict[str, str]) -> list:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "billing" / "__init__.py").write_text("", encoding="utf-8")
    result = scan([root], Config(root=root), jobs=1)
    return [f for f in result.findings if f.rule_id.startswith("SR9")]


def test_a_test_modules_request_does_not_start_a_production_trace(tmp_path):
    flows = _project(
        tmp_path,
        {"billing/reports.py": REPORTS, "billing/tests/test_reports.py": TEST_REPORTS},
    )
    assert [(f.rule_id, Path(f.path).name) for f in flows if "tests" not in f.path] == []


def test_a_production_view_still_reaches_the_same_sink(tmp_path):
    flows = _project(
        tmp_path,
        {
            "billing/reports.py": REPORTS,
            "billing/views.py": VIEWS,
            "billing/tests/test_reports.py": TEST_REPORTS,
        },
    )
    production = [f for f in flows if "tests" not in f.path]
    assert [(f.rule_id, f.cwe, Path(f.path).name, f.line) for f in production] == [
        ("SR901", 78, "reports.py", 5)
    ]
    finding = production[0]
    assert all("tests" not in step.path for step in finding.trace)
    assert Path(finding.trace[0].path).name == "views.py"


def test_an_unpacked_return_follows_its_own_position():
    text = (FIXTURES / "SR903_vulnerable_unpacked.py").read_text(encoding="utf-8")
    result = analyze_source(text, "mirror/views.py")
    (finding,) = [f for f in result.findings if f.rule_id == "SR903"]
    assert (finding.cwe, finding.line) == (22, 37)
    steps = [step.description for step in finding.trace if step.kind != "sink"]
    assert "assigned to `headers`" in steps
    assert not any("tmp_path" in step for step in steps)
    assert any("filename_from_headers" in step for step in steps)


STATIC = """\
import subprocess

from flask import Flask, request

app = Flask(__name__)


class Packager:
    @staticmethod
    def _build(label, command):
        subprocess.run(command, shell=True)
        return label

    def package(self, name):
        return self._build(name, "make dist")

    def package_with(self, name, command):
        return self._build(name, command)


@app.route("/package")
def package():
    return Packager().package(request.args["name"])


@app.route("/package-with")
def package_with():
    return Packager().package_with("nightly", request.args["command"])
"""


def test_a_staticmethod_called_through_self_keeps_its_arguments_in_place():
    result = analyze_source(STATIC, "packaging/views.py")
    flows = [(f.rule_id, f.cwe, f.line) for f in result.findings if f.rule_id.startswith("SR9")]
    assert flows == [("SR901", 78, 11)]
    (finding,) = [f for f in result.findings if f.rule_id == "SR901"]
    assert finding.trace[0].line == 28  # the command, not the label


SAFESTRING = '''\
class SafeString(str):
    """A string that is already safe for HTML."""


def mark_safe(s):
    if hasattr(s, "__html__"):
        return s
    return SafeString(s)
'''

ADMIN_VIEWS = """\
from django.http import HttpResponse
from django.utils.safestring import mark_safe


def search_banner(request):
    banner = mark_safe("<p>Results for " + request.GET["q"] + "</p>")
    return HttpResponse(banner)
"""


def test_a_modelled_sink_is_reported_where_it_is_called_not_in_its_own_body(tmp_path):
    """Scanning the framework itself: `mark_safe`'s body is the sink the models describe."""
    files = {
        "django/__init__.py": "",
        "django/http/__init__.py": "class HttpResponse:\n    def __init__(self, body=''):\n"
        "        self.body = body\n",
        "django/utils/__init__.py": "",
        "django/utils/safestring.py": SAFESTRING,
        "django/contrib/__init__.py": "",
        "django/contrib/search/__init__.py": "",
        "django/contrib/search/views.py": ADMIN_VIEWS,
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = scan([tmp_path], Config(root=tmp_path), jobs=1)
    flows = [
        (f.rule_id, f.cwe, Path(f.path).name, f.line)
        for f in result.findings
        if f.rule_id.startswith("SR9")
    ]
    assert flows == [("SR906", 79, "views.py", 6)]
