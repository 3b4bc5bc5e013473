"""The review: findings most severe first, a checklist whose every verdict is backed by the
sites the analysis examined, a conclusion; the same input gives the same text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from secreview.analysis import scan
from secreview.config import ConfigError, config_from_table, load_config
from secreview.review import (
    BELOW_THRESHOLDS,
    DEFECTS_FOUND,
    NO_DEFECTS,
    NOT_APPLICABLE,
    NOTHING_MODELLED,
    build_review,
)
from secreview.review.model import common_directory, format_sites, project_name

# -- the projects ----------------------------------------------------------------------------------
SAFE_SHOP = {
    "shop/__init__.py": "",
    "shop/db.py": """\
        import sqlite3


        def connect(path):
            return sqlite3.connect(path)


        def find_user(conn, user_id):
            return conn.execute("SELECT id, name FROM users WHERE id = ?", (user_id,)).fetchone()


        def list_users(conn, limit):
            return conn.execute("SELECT id, name FROM users LIMIT ?", (limit,)).fetchall()


        def count_users(conn):
            return conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
        """,
    "shop/app.py": """\
        import logging
        import os
        import subprocess

        from flask import Flask, jsonify, request

        from shop import db

        LOG = logging.getLogger(__name__)
        app = Flask(__name__)
        app.config["SECRET_KEY"] = os.environ["SHOP_SECRET_KEY"]


        @app.route("/users/<int:user_id>")
        def user(user_id):
            conn = db.connect("shop.db")
            return jsonify(db.find_user(conn, user_id))


        @app.route("/users")
        def users():
            conn = db.connect("shop.db")
            limit = int(request.args.get("limit", "20"))
            return jsonify(db.list_users(conn, limit))


        @app.route("/version")
        def version():
            try:
                out = subprocess.run(["git", "describe", "--tags"], capture_output=True, check=True)
            except subprocess.CalledProcessError:
                LOG.exception("git describe failed")
                return jsonify({"version": "unknown"})
            return jsonify({"version": out.stdout.decode().strip()})
        """,
    "tests/test_app.py": """\
        import pytest

        from shop.app import app


        @pytest.fixture
        def client():
            app.config["TESTING"] = True
            return app.test_client()


        def test_users(client):
            assert client.get("/users").status_code == 200
        """,
}

VULNERABLE_SHOP = {
    "shop/app.py": """\
        import logging
        import os
        import sqlite3
        import subprocess

        from flask import Flask, jsonify, request

        LOG = logging.getLogger(__name__)
        app = Flask(__name__)
        app.config["SECRET_KEY"] = "dev-secret-key-9f8e7d6c5b4a"
        ADMIN_PASSWORD = "Winter2024!"


        def get_db():
            return sqlite3.connect(os.environ.get("SHOP_DB", "shop.db"))


        @app.route("/products/<int:product_id>")
        def product(product_id):
            row = get_db().execute("SELECT id, name FROM products WHERE id = ?", (product_id,)).fetchone()
            return jsonify(row)


        @app.route("/search")
        def search():
            term = request.args.get("q", "")
            query = "SELECT id, name FROM products WHERE name LIKE '%" + term + "%'"
            return jsonify(get_db().execute(query).fetchall())


        @app.route("/export")
        def export():
            name = request.args["name"]
            subprocess.run("tar czf /srv/exports/" + name + ".tgz /srv/data", shell=True, check=True)
            return jsonify({"ok": True})


        @app.route("/stats")
        def stats():
            try:
                count = get_db().execute("SELECT COUNT(*) FROM products").fetchone()[0]
            except Exception:
                pass
            try:
                return jsonify({"count": count})
            except Exception:
                LOG.exception("stats failed")
                raise
        """,
}

# The seed scenario: an OpenStack-style functional test module. Fixtures, a fake notifier,
# fake credentials in setUp, exception handling; no shell, no SQL.
OPENSTACK_FUNCTIONAL_TEST = {
    "nova/tests/functional/test_servers_notifications.py": '''\
        """Functional tests for server action notifications."""

        import fixtures
        from oslo_log import log as logging
        from oslo_utils import uuidutils

        from nova import exception
        from nova.tests import fixtures as nova_fixtures
        from nova.tests.functional import integrated_helpers
        from nova.tests.unit import fake_notifier

        LOG = logging.getLogger(__name__)


        class ServerNotificationTestCase(integrated_helpers._IntegratedTestBase):
            api_major_version = "v2.1"
            ADMIN_PASSWORD = "fake-admin-pass"

            def setUp(self):
                super().setUp()
                self.useFixture(nova_fixtures.NeutronFixture(self))
                self.notifier = self.useFixture(fixtures.MockPatch(
                    "nova.rpc.get_notifier", side_effect=fake_notifier.get_notifier))
                fake_notifier.stub_notifier(self)
                self.addCleanup(fake_notifier.reset)
                self.api.set_credentials(username="admin", password="secrete")
                self.token = "fake-token-1234567890"

            def _create_server(self, name="test-server"):
                server = {
                    "name": name,
                    "imageRef": uuidutils.generate_uuid(),
                    "flavorRef": "1",
                    "adminPass": self.ADMIN_PASSWORD,
                }
                return self.api.post_server({"server": server})

            def test_create_server_notification(self):
                server = self._create_server()
                self._wait_for_state_change(server, "ACTIVE")
                self.assertEqual(2, len(fake_notifier.VERSIONED_NOTIFICATIONS))

            def test_delete_missing_server(self):
                try:
                    self.api.delete_server(uuidutils.generate_uuid())
                except exception.InstanceNotFound:
                    LOG.info("server already gone")
                except Exception:
                    LOG.exception("unexpected failure deleting server")
                    raise

            def test_rebuild_notification(self):
                server = self._create_server()
                try:
                    self.api.post_server_action(server["id"], {"rebuild": {"imageRef": "x"}})
                except Exception as exc:
                    self.fail("rebuild failed: %s" % exc)
                self.assertIn("instance.rebuild.start", fake_notifier.event_types())
        ''',
}

ELEVEN = (
    "CWE-798",
    "CWE-78",
    "CWE-89",
    "CWE-319",
    "CWE-377",
    "CWE-388",
    "CWE-829",
    "CWE-778",
    "CWE-321",
    "CWE-120",
    "CWE-79",
    "CWE-284",
)


def make(write, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        write(relpath, text)


def checklist(output: str) -> dict[str, str]:
    """The checklist lines of a review, by their CWE, in their order."""
    section = output.split("\nChecklist\n", 1)[1].split("\nConclusion\n", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("CWE-")]
    return {line.split(" ", 1)[0]: line for line in lines}


def nothing_line(output: str) -> str:
    """The one line of the checklist that names the categories with nothing to examine."""
    section = output.split("\nChecklist\n", 1)[1].split("\nConclusion\n", 1)[0]
    found = [line for line in section.splitlines() if line.startswith("Nothing to examine in ")]
    assert len(found) == 1, section
    return found[0]


def nothing_to_examine(output: str) -> dict[str, str]:
    """The categories of that line, by CWE, with what the line says of them."""
    line = nothing_line(output)
    modelled, _, inapplicable = line.partition("; and not applicable: ")
    out = {cwe: NOTHING_MODELLED for cwe in re.findall(r"\bCWE-\d+\b", modelled)}
    out.update({cwe: NOT_APPLICABLE for cwe in re.findall(r"\bCWE-\d+\b", inapplicable)})
    return out


def verdict(line: str) -> str:
    match = re.match(r"CWE-\d+ [^:]+: ([a-z ]+)\.", line)
    assert match, line
    return match.group(1)


# -- the safe Flask project --------------------------------------------------------------------------
def test_safe_flask_project_checklist(write, run_cli):
    make(write, SAFE_SHOP)
    code, out, _err = run_cli("review", ".")
    assert code == 0
    lines = checklist(out)
    # examined categories only, in the default order; the rest on one line
    assert list(lines) == [
        "CWE-78",
        "CWE-89",
        "CWE-778",
        "CWE-321",
        "CWE-79",
        "CWE-284",
        "CWE-117",
        "CWE-209",
        "CWE-352",
        "CWE-532",
        "CWE-838",
    ]
    assert all(verdict(line) == NO_DEFECTS for line in lines.values())
    assert lines["CWE-89"] == (
        "CWE-89 SQL injection: no defects found. 3 SQL execution sites examined: "
        "2 pass parameters separately (shop/db.py:9, 13) and 1 runs a constant query "
        "(shop/db.py:17)."
    )
    assert lines["CWE-78"] == (
        "CWE-78 OS command injection: no defects found. 1 process-execution call examined "
        "(shop/app.py:30); it passes an argument list without a shell."
    )
    assert lines["CWE-321"] == (
        "CWE-321 Hard-coded cryptographic keys: no defects found. 1 framework secret key "
        "examined (shop/app.py:11); it reads the environment."
    )
    assert lines["CWE-778"] == (
        "CWE-778 Insufficient logging: no defects found. 1 exception handler examined "
        "(shop/app.py:31); it logs the error."
    )
    empty = nothing_to_examine(out)
    assert len(empty) == 32 and nothing_line(out).startswith("Nothing to examine in 32 ")
    # secreview has no model of them here: that is not evidence they cannot apply
    assert empty["CWE-388"] == empty["CWE-377"] == empty["CWE-798"] == NOTHING_MODELLED
    assert "CWE-388 Error handling (catch-all exception handlers)" in nothing_line(out)
    assert "CWE-377 Insecure temporary files (temporary files, /tmp paths)" in nothing_line(out)
    # pure Python without ctypes cannot overflow a buffer; no assert, no CWE-617
    assert empty["CWE-120"] == empty["CWE-617"] == NOT_APPLICABLE
    assert (
        "CWE-120 Buffer overflow (no ctypes or cffi imported: Python strings and lists are "
        "bounds-checked)" in nothing_line(out)
    )
    assert set(empty).isdisjoint(lines)
    assert "Findings: no defects found" in out
    assert "Code:     Flask application (3 files), pytest test module (1 file)" in out
    assert "Reviewed: 4 files (1 of them test code), 64 lines" in out


def test_review_is_deterministic(write, run_cli):
    make(write, SAFE_SHOP)
    make(write, VULNERABLE_SHOP | {"shop/app2.py": VULNERABLE_SHOP["shop/app.py"]})
    first = run_cli("review", ".")
    second = run_cli("review", ".")
    assert first == second
    for fmt in ("markdown", "html"):
        assert run_cli("review", ".", "--format", fmt) == run_cli("review", ".", "--format", fmt)


def test_review_format_of_scan_is_the_review(write, run_cli):
    make(write, SAFE_SHOP)
    assert run_cli("scan", ".", "--format", "review")[1] == run_cli("review", ".")[1]


# -- the vulnerable Flask app ------------------------------------------------------------------------
def test_vulnerable_flask_app_findings_and_verdicts(write, run_cli):
    make(write, VULNERABLE_SHOP)
    code, out, _err = run_cli("review", ".")
    assert code == 1
    headings = re.findall(r"^\[\d+\] (CWE-\d+) .* at (\S+)$", out, re.MULTILINE)
    assert headings == [  # most severe first
        ("CWE-89", "app.py:28"),
        ("CWE-78", "app.py:34"),
        ("CWE-321", "app.py:10"),
        ("CWE-798", "app.py:11"),
        ("CWE-390", "app.py:42"),
    ]
    lines = checklist(out)
    assert lines["CWE-89"] == (
        "CWE-89 SQL injection: defects found. 3 SQL execution sites examined: 1 is a defect "
        "(app.py:28), 1 passes parameters separately (app.py:20) and 1 runs a constant query "
        "(app.py:41)."
    )
    assert lines["CWE-78"] == (
        "CWE-78 OS command injection: defects found. 1 process-execution call examined "
        "(app.py:34); it is a defect."
    )
    assert lines["CWE-778"] == (
        "CWE-778 Insufficient logging: defects found. 2 exception handlers examined: "
        "1 swallows the error silently (app.py:42) and 1 re-raises or exits (app.py:46)."
    )
    assert lines["CWE-388"] == (
        "CWE-388 Error handling: defects found. 2 catch-all exception handlers examined: "
        "1 is a defect (app.py:42) and 1 re-raises or exits (app.py:46)."
    )
    assert lines["CWE-798"] == (
        "CWE-798 Hard-coded credentials: defects found. 1 credential-named value examined "
        "(app.py:11); it is a defect."
    )
    assert lines["CWE-321"] == (
        "CWE-321 Hard-coded cryptographic keys: defects found. 1 framework secret key examined "
        "(app.py:10); it is a defect."
    )
    # categories with defects first, then those examined and clean, each in the default order
    assert list(lines)[:7] == [
        "CWE-798",
        "CWE-78",
        "CWE-89",
        "CWE-388",
        "CWE-778",
        "CWE-321",
        "CWE-79",
    ]
    assert [verdict(line) for line in lines.values()][5:7] == [DEFECTS_FOUND, NO_DEFECTS]
    assert nothing_to_examine(out)["CWE-319"] == NOTHING_MODELLED
    assert verdict(lines["CWE-284"]) == NO_DEFECTS
    assert out.startswith("Security review of shop/app.py\n")  # one file: the file
    # the data-flow trace and the conclusion
    assert "      source  app.py:26  flask.request.args.get() (remote input)" in out
    assert "      sink    app.py:28  an SQL statement: get_db().execute(query)" in out
    conclusion = out.split("\nConclusion\n", 1)[1]
    assert "5 defects (2 critical, 1 high, 1 medium and 1 low) in 6 categories." in conclusion
    assert "The most important is CWE-89 SQL injection at app.py:28 (critical" in conclusion


# -- the seed scenario -------------------------------------------------------------------------------
def test_openstack_functional_test_module(write, run_cli):
    make(write, OPENSTACK_FUNCTIONAL_TEST)
    code, out, _err = run_cli("review", ".")
    assert code == 0, out
    assert "Findings: no defects found" in out
    assert "Code:     OpenStack functional test module (1 file)" in out
    assert "Reviewed: 1 file, 58 lines; all test code" in out
    lines = checklist(out)
    empty = nothing_to_examine(out)
    expected = {
        "CWE-798": NO_DEFECTS,
        "CWE-78": NOTHING_MODELLED,
        "CWE-89": NOTHING_MODELLED,
        "CWE-319": NOTHING_MODELLED,
        "CWE-377": NOTHING_MODELLED,
        "CWE-388": NO_DEFECTS,
        "CWE-829": NOTHING_MODELLED,
        "CWE-778": NO_DEFECTS,
        "CWE-321": NOTHING_MODELLED,
        "CWE-120": NOT_APPLICABLE,
        "CWE-79": NOTHING_MODELLED,
        "CWE-284": NOTHING_MODELLED,
    }
    assert {cwe: verdict(lines[cwe]) if cwe in lines else empty[cwe] for cwe in ELEVEN} == (
        expected
    )
    assert list(lines) == ["CWE-798", "CWE-388", "CWE-778", "CWE-117", "CWE-532", "CWE-838"]
    assert len(out.splitlines()) <= 25  # the one line replaces 33 "not applicable" lines
    assert all(verdict(line) != DEFECTS_FOUND for line in lines.values())
    f = "test_servers_notifications.py"
    assert lines["CWE-798"] == (
        "CWE-798 Hard-coded credentials: no defects found. 4 credential-named values examined: "
        f"1 is computed at run time ({f}:34), 2 are test data ({f}:26, 27) and 1 is empty or a "
        f"placeholder ({f}:17)."
    )
    assert lines["CWE-778"] == (
        "CWE-778 Insufficient logging: no defects found. 3 exception handlers examined: "
        f"1 logs the error ({f}:46), 1 re-raises or exits ({f}:48) and 1 handles the error "
        f"({f}:56)."
    )
    assert lines["CWE-388"] == (
        "CWE-388 Error handling: no defects found. 2 catch-all exception handlers examined: "
        f"1 re-raises or exits ({f}:48) and 1 handles the error ({f}:56)."
    )
    line = nothing_line(out)
    # what secreview models for the category, from its rules and from the data-flow models
    assert (
        "CWE-78 OS command injection (process-execution calls, and data flow into subprocess, "
        "os, " in line
    )
    assert "CWE-89 SQL injection (SQL execution calls, and data flow into .execute(), " in line
    assert (
        "CWE-284 Improper access control (Flask, FastAPI, Starlette and Django route views, "
        "REST framework permissions, CORS settings)" in line
    )
    assert "Paths are relative to nova/tests/functional/." in out
    # the file reviewed names the review
    assert out.startswith(
        "Security review of nova/tests/functional/test_servers_notifications.py\n"
    )


# -- what the review could not see -------------------------------------------------------------------
def test_conclusion_names_files_that_failed_to_parse(write, run_cli):
    make(write, SAFE_SHOP)
    write("shop/broken.py", "def f(:\n    pass\n")
    code, out, _err = run_cli("review", ".", "--quiet")
    assert code == 0
    conclusion = out.split("\nConclusion\n", 1)[1]
    assert "The review could not see: 1 file that could not be fully analysed " in conclusion
    assert "shop/broken.py:1 (syntax-error)" in conclusion
    assert "Not analysed:" in out


def test_conclusion_names_flows_leaving_the_scanned_tree(write, run_cli):
    write(
        "lib/runner.py",
        """\
        import os


        def run(command):
            os.system("nice " + command)
        """,
    )
    _code, out, _err = run_cli("review", ".")
    assert checklist(out)["CWE-78"] == (
        "CWE-78 OS command injection: defects found. 1 process-execution call examined "
        "(runner.py:5); it is a defect."
    )
    conclusion = out.split("\nConclusion\n", 1)[1]
    assert "what callers outside the scanned code pass to 1 sink (runner.py:5)" in conclusion


# -- configuration ---------------------------------------------------------------------------------
def test_review_cwes_chooses_the_checklist(write, run_cli):
    make(write, SAFE_SHOP)
    write(
        "pyproject.toml", '[tool.secreview]\nreview-cwes = ["CWE-89", "CWE-77", 390, "CWE-9999"]\n'
    )
    _code, out, _err = run_cli("review", ".")
    lines = checklist(out)
    assert list(lines) == ["CWE-89", "CWE-78"]
    assert nothing_to_examine(out) == {"CWE-388": NOTHING_MODELLED}
    assert "\nNot reviewed: CWE-9999 CWE-9999 (no rule of secreview checks this category).\n" in (
        out
    )


def test_review_cwes_is_validated():
    with pytest.raises(ConfigError, match="review-cwes entries must look like 'CWE-89'"):
        config_from_table({"review-cwes": ["SQL"]}, None)
    with pytest.raises(ConfigError, match="did you mean 'review-cwes'"):
        config_from_table({"review-cwe": ["CWE-89"]}, None)
    assert config_from_table({"review-cwes": ["CWE-89", "78"]}, None).review_cwes == [89, 78]


def test_deselected_categories_are_not_reviewed(write, run_cli):
    make(write, SAFE_SHOP)
    _code, out, _err = run_cli("review", ".", "--select", "CWE-89")
    lines = checklist(out)
    assert verdict(lines["CWE-89"]) == NO_DEFECTS
    assert list(lines) == ["CWE-89"]
    assert "\nNot reviewed: CWE-798 Hard-coded credentials (its rules (SR101, SR102" in out
    assert "; CWE-78 OS command injection (its rules (SR201, SR202, SR203, SR901" in out


def test_suppressed_and_test_code_sites_are_said_so(write, run_cli):
    write(
        "tools/ping.py",
        """\
        import os


        def ping(host):
            os.system("ping -c 1 " + host)  # secreview: ignore[CWE-78] -- host is validated
        """,
    )
    write(
        "tests/test_ping.py",
        """\
        import os


        def test_ping(host):
            os.system("ping -c 1 " + host)
        """,
    )
    _code, out, _err = run_cli("review", ".", "--include-tests")
    line = checklist(out)["CWE-78"]
    assert "has a finding suppressed inline (tools/ping.py:5)" in line
    assert line.startswith("CWE-78 OS command injection: defects found.")  # the test's finding
    assert "tests/test_ping.py:5" in line


# -- the model -------------------------------------------------------------------------------------
def test_sites_are_named_compactly():
    sites = [("db.py", 40), ("db.py", 52), ("db.py", 77), ("app.py", 3)]
    assert format_sites(sites) == "db.py:40, 52, 77; app.py:3"
    many = [("a.py", n) for n in range(1, 12)]
    assert format_sites(many) == "a.py:1, 2, 3, 4, 5, 6, 7, 8 and 3 more"
    assert format_sites([("a.py", 0), ("b.py", 0)]) == "a.py; b.py"


def test_common_directory():
    assert common_directory(["src/pkg/a.py", "src/pkg/sub/b.py"]) == "src/pkg"
    assert common_directory(["a.py", "pkg/b.py"]) == ""
    assert common_directory(["/abs/a.py", "rel/b.py"]) == ""


def test_build_review_from_the_api(tmp_path: Path, write):
    make(write, VULNERABLE_SHOP)
    config = load_config(tmp_path)
    result = scan([tmp_path], config, jobs=1)
    review = build_review(result, config)
    assert review == build_review(result, config)
    assert [f.finding.severity for f in review.findings] == sorted(
        (f.finding.severity for f in review.findings), reverse=True
    )
    by_cwe = {entry.cwe: entry for entry in review.checklist}
    assert by_cwe[89].verdict == DEFECTS_FOUND and by_cwe[89].examined == 3
    assert by_cwe[89].defects == 1
    assert {entry.verdict for entry in review.checklist} <= {
        DEFECTS_FOUND,
        NO_DEFECTS,
        NOTHING_MODELLED,
        NOT_APPLICABLE,
    }
    assert [entry.section for entry in review.checklist] == sorted(
        entry.section for entry in review.checklist
    )
    assert review.header.kinds == (("Flask application", 1),)


# -- the progress bar --------------------------------------------------------------------------------
def test_progress_bar_is_silent_when_stderr_is_not_a_terminal(write, run_cli, monkeypatch):
    import secreview.cli as cli

    def no_bar():  # would draw on stderr
        raise AssertionError("progress bar started although stderr is not a terminal")

    monkeypatch.setattr(cli, "_progress_bar", no_bar)
    for index in range(70):
        write(f"pkg/m{index:02d}.py", f"VALUE = {index}\n")
    code, out, err = run_cli("review", ".", "--jobs", "1")
    assert code == 0 and err == ""
    assert "Reviewed: 70 files, 70 lines; no test code" in out


# -- titles, thresholds ----------------------------------------------------------------------------
def test_title_names_the_project(write, run_cli, tmp_path):
    make(write, SAFE_SHOP)
    _code, out, _err = run_cli("review", ".")
    assert out.startswith(f"Security review of {tmp_path.name}\n")  # the directory's name
    write("setup.cfg", "[metadata]\nname = corner-shop\n")
    assert run_cli("review", ".")[1].startswith("Security review of corner-shop\n")
    write("pyproject.toml", '[project]\nname = "shop-api"\nversion = "1.0"\n')
    assert run_cli("review", ".")[1].startswith("Security review of shop-api\n")
    _code, out, _err = run_cli("review", "shop/db.py")
    assert out.startswith("Security review of shop/db.py\n")


def test_project_name_survives_broken_files(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "setup.cfg").write_bytes(b"[metadata]\nname = \xff\xfe\n")
    assert project_name(tmp_path) == ""
    assert project_name(tmp_path / "missing") == ""


def test_findings_below_the_thresholds_are_not_called_clean(write, run_cli):
    write(
        "tools/ping.py",
        """\
        import subprocess


        def ping(host):
            return subprocess.run(["ping", "-c", "1", host]).returncode


        def run(command):
            return subprocess.run(command, shell=True).returncode
        """,
    )
    _code, out, _err = run_cli("review", ".", "--severity", "critical")
    line = checklist(out)["CWE-78"]
    assert verdict(line) == BELOW_THRESHOLDS
    assert "no defects found" not in line
    assert "is flagged, but below the configured thresholds (ping.py:9)" in line
    assert next(iter(checklist(out))) == "CWE-78"  # with the categories that have findings
    conclusion = out.split("\nConclusion\n", 1)[1]
    assert "No finding in 1 file reaches the configured thresholds." in conclusion
    assert "are not shown clean either: CWE-78 OS command injection." in conclusion
    assert "No defects found" not in out
    assert "\nFindings: no defects at the configured thresholds\n" in out


def test_access_control_of_an_openstack_api_is_not_called_inapplicable(write, run_cli):
    write(
        "compute/api/flavors.py",
        '''\
        """The flavors API: listing is open to every project, changes need the admin policy."""

        import webob

        from compute.api import wsgi
        from compute import policy


        class FlavorsController(wsgi.Controller):
            def index(self, req):
                context = req.environ["compute.context"]
                context.can(policy.FLAVOR_LIST)
                return {"flavors": self._list(context)}

            @wsgi.response(202)
            def delete(self, req, id):
                context = req.environ["compute.context"]
                context.can(policy.FLAVOR_DELETE, target={"project_id": context.project_id})
                self._delete(context, id)
                return webob.Response(status_int=202)
        ''',
    )
    _code, out, _err = run_cli("review", ".")
    assert nothing_to_examine(out)["CWE-284"] == NOTHING_MODELLED
    assert (
        "CWE-284 Improper access control (Flask, FastAPI, Starlette and Django route views, "
        "REST framework permissions, CORS settings)" in nothing_line(out)
    )
    assert "not applicable" not in nothing_line(out).split("; and not applicable: ")[0]


def test_buffer_overflow_applies_once_ctypes_is_imported(write, run_cli):
    write(
        "native/clock.py",
        """\
        import ctypes

        LIBC = ctypes.CDLL("libc.so.6")


        def monotonic_ns():
            return LIBC.clock_gettime_ns(1)
        """,
    )
    _code, out, _err = run_cli("review", ".")
    assert nothing_to_examine(out)["CWE-120"] == NOTHING_MODELLED
    assert "CWE-120 Buffer overflow (ctypes memory operations)" in nothing_line(out)
