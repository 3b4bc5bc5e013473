"""Moving from Bandit or Ruff: their comments, their ids, their configuration files.

Every rule that covers a Bandit or Ruff check has a case below: a small piece of application
code that the rule flags, scanned with `# nosec <id>`, `# noqa: <code>` and unrelated ids of
either tool on the flagged line.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from secreview import equivalents
from secreview.analysis import ScanOptions, ScanResult, scan
from secreview.config import load_config
from secreview.rules import all_rules, find_rule, foreign_id_map
from secreview.rules.base import Rule
from secreview.rules_doc import equivalents_markdown, rules_markdown, with_equivalents_table

ROOT = Path(__file__).parent.parent


@dataclass(frozen=True)
class Case:
    rule: str
    bandit: str  # the Bandit id whose comment must hide the finding
    ruff: str  # the Ruff code, or "" when Ruff has no such check
    code: str  # `{c}` marks the flagged line, where the comment goes


FLASK = """
        from flask import Flask, request

        app = Flask(__name__)
"""  # indented like the cases it starts

CASES = [
    Case("SR101", "B105", "S105", """
        import psycopg2

        DB_PASSWORD = "Tr0ub4dor-billing"{c}

        def connect():
            return psycopg2.connect(host="db", user="billing", password=DB_PASSWORD)
    """),
    Case("SR102", "B105", "S105", """
        REPORTS_JWT = "{jwt}"{c}
    """),
    Case("SR103", "B105", "S105", FLASK + """
        app.secret_key = "9f2c4e7a1b8d3f6e0a5c9b2d7e4f1a8c"{c}
    """),
    Case("SR201", "B602", "S602", """
        import subprocess

        def archive(folder):
            subprocess.run(f"tar czf /srv/backup.tgz {folder}", shell=True){c}
    """),
    Case("SR202", "B605", "S605", """
        import os

        def reachable(host):
            return os.system("ping -c 1 " + host) == 0{c}
    """),
    Case("SR203", "B606", "S606", """
        import os

        def hand_over(program, args):
            os.execvp(program, [program, *args]){c}
    """),
    Case("SR204", "B608", "S608", """
        def find_user(cursor, name):
            cursor.execute("SELECT id, email FROM users WHERE name = '%s'" % name){c}
            return cursor.fetchone()
    """),
    Case("SR205", "B608", "S608", """
        def count_rows(cursor, table):
            cursor.execute(f"SELECT count(*) FROM {table}"){c}
            return cursor.fetchone()[0]
    """),
    Case("SR206", "B307", "S307", """
        def evaluate(expression):
            return eval(expression){c}
    """),
    Case("SR301", "B301", "S301", """
        import pickle

        def restore(blob):
            return pickle.loads(blob){c}
    """),
    Case("SR302", "B506", "S506", """
        import yaml

        def read_settings(path):
            with open(path) as handle:
                return yaml.load(handle, Loader=yaml.Loader){c}
    """),
    Case("SR303", "B614", "", """
        import torch

        def load_checkpoint(path):
            return torch.load(path, weights_only=False){c}
    """),
    Case("SR304", "B320", "S320", """
        from lxml import etree

        PARSER = etree.XMLParser(resolve_entities=True){c}
    """),
    Case("SR402", "B321", "S321", """
        import ftplib

        def upload(path):
            session = ftplib.FTP("files.example.org"){c}
            session.login("reports", "reports")
            with open(path, "rb") as handle:
                session.storbinary("STOR report.csv", handle)
    """),
    Case("SR403", "B501", "S501", """
        import requests

        def fetch_status(url):
            return requests.get(url, verify=False, timeout=10).json(){c}
    """),
    Case("SR404", "B502", "S502", """
        import ssl

        def legacy_context():
            return ssl.SSLContext(ssl.PROTOCOL_TLSv1){c}
    """),
    Case("SR405", "B324", "S324", """
        import hashlib

        def hash_password(password):
            return hashlib.md5(password.encode()).hexdigest(){c}
    """),
    Case("SR406", "B304", "S304", """
        from Crypto.Cipher import DES

        def encrypt(key, data):
            return DES.new(key, DES.MODE_ECB).encrypt(data){c}
    """),
    Case("SR407", "B505", "S505", """
        from cryptography.hazmat.primitives.asymmetric import rsa

        def new_signing_key():
            return rsa.generate_private_key(public_exponent=65537, key_size=1024){c}
    """),
    Case("SR408", "B311", "S311", """
        import random

        def new_reset_code():
            reset_code = random.randint(100000, 999999){c}
            return reset_code
    """),
    Case("SR501", "B306", "S306", """
        import tempfile

        def scratch_file():
            return tempfile.mktemp(suffix=".csv"){c}
    """),
    Case("SR502", "B103", "S103", """
        import os

        def publish(path):
            os.chmod(path, 0o777){c}
    """),
    Case("SR503", "B202", "S202", """
        import tarfile

        def unpack(archive, dest):
            with tarfile.open(archive) as bundle:
                bundle.extractall(dest){c}
    """),
    Case("SR601", "B110", "S110", """
        import json

        def load_cache(path):
            try:
                with open(path) as handle:
                    return json.load(handle)
            except Exception:{c}
                pass
    """),
    Case("SR603", "B101", "S101", FLASK + """
        @app.route("/admin/purge", methods=["POST"])
        def purge():
            assert request.args.get("confirm") == "yes"{c}
            return "purged"
    """),
    Case("SR701", "B704", "S704", """
        from markupsafe import Markup

        def greeting(name):
            return Markup(f"<p>Hello {name}</p>"){c}
    """),
    Case("SR703", "B701", "S701", FLASK + """
        import jinja2

        MAILS = jinja2.Environment(loader=jinja2.FileSystemLoader("mails")){c}
    """),
    Case("SR707", "B104", "S104", FLASK + """
        if __name__ == "__main__":
            app.run(host="0.0.0.0", port=8080){c}
    """),
    Case("SR708", "B113", "S113", """
        import requests

        def exchange_rates():
            return requests.get("https://rates.example.org/latest").json(){c}
    """),
    Case("SR724", "B201", "S201", FLASK + """
        if __name__ == "__main__":
            app.run(port=8080, debug=True){c}
    """),
    Case("SR801", "B613", "", """
        def can_delete(role):
            level = "user\u202e \u2066# admin\u2069 \u2066"{c}
            return role == level
    """),
    Case("SR901", "B602", "S602", FLASK + """
        import subprocess

        @app.route("/ping")
        def ping():
            host = request.args["host"]
            return subprocess.run("ping -c 1 " + host, shell=True).stdout{c}
    """),
    Case("SR902", "B608", "S608", FLASK + """
        import sqlite3

        @app.route("/orders")
        def orders():
            db = sqlite3.connect("shop.db")
            customer = request.args["customer"]
            rows = db.execute(f"SELECT * FROM orders WHERE customer = '{customer}'"){c}
            return {"orders": rows.fetchall()}
    """),
    Case("SR903", "B202", "S202", """
        import os
        import tarfile

        def unpack_reports(archive, dest):
            with tarfile.open(archive) as bundle:
                for member in bundle.getmembers():
                    target = os.path.join(dest, member.name)
                    with open(target, "wb") as out:{c}
                        out.write(bundle.extractfile(member).read())
    """),
    Case("SR904", "B307", "S307", FLASK + """
        @app.route("/calc")
        def calc():
            return str(eval(request.args["expr"])){c}
    """),
    Case("SR905", "B301", "S301", FLASK + """
        import pickle

        @app.route("/session", methods=["POST"])
        def restore_session():
            state = pickle.loads(request.get_data()){c}
            return {"user": state["user"]}
    """),
    Case("SR906", "B704", "S704", FLASK + """
        from markupsafe import Markup

        @app.route("/hello")
        def hello():
            return Markup("<h1>Hello " + request.args["name"] + "</h1>"){c}
    """),
    Case("SR909", "B310", "S310", FLASK + """
        import urllib.request

        @app.route("/preview")
        def preview():
            with urllib.request.urlopen(request.args["url"], timeout=5) as page:{c}
                return page.read()
    """),
    Case("SR910", "B320", "S320", FLASK + """
        from lxml import etree

        @app.route("/import", methods=["POST"])
        def import_feed():
            feed = etree.fromstring(request.get_data()){c}
            return {"items": len(feed)}
    """),
    Case("SR930", "B311", "S311", FLASK + """
        import random

        from flask import make_response

        @app.route("/login", methods=["POST"])
        def login():
            response = make_response("welcome")
            response.set_cookie("remember", str(random.getrandbits(64)), secure=True, httponly=True){c}
            return response
    """),
]  # fmt: skip


def _signed_token() -> str:
    """A JSON Web Token for the SR102 case, made here so that no token sits in this file."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    header = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = part(json.dumps({"sub": "reports", "scope": "export"}).encode())
    signature = part(hashlib.sha256(f"{header}.{claims}".encode()).digest())
    return f"{header}.{claims}.{signature}"


def _unrelated(case: Case) -> tuple[str, str]:
    """A Bandit id and a Ruff code of checks that have nothing to do with the case's rule."""
    return ("B602", "S602") if case.rule == "SR603" else ("B101", "S101")


def _write_cases(root: Path, comment_for) -> dict[str, tuple[str, int]]:
    where = {}
    for case in CASES:
        text = textwrap.dedent(case.code).replace("{jwt}", _signed_token())
        line = text[: text.index("{c}")].count("\n") + 1
        comment = comment_for(case)
        path = root / f"{case.rule.lower()}.py"
        path.write_text(text.replace("{c}", f"  {comment}" if comment else ""), encoding="utf-8")
        where[case.rule] = (path.name, line)
    return where


VARIANTS = {
    "plain": lambda case: "",
    "nosec": lambda case: f"# nosec {case.bandit}",
    "noqa": lambda case: f"# noqa: {case.ruff}" if case.ruff else "",
    "unrelated-bandit": lambda case: f"# nosec {_unrelated(case)[0]}",
    "unrelated-ruff": lambda case: f"# noqa: {_unrelated(case)[1]}",
}


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, tuple[ScanResult, dict[str, tuple[str, int]]]]:
    """Every case scanned once per comment variant: one project per variant."""
    results = {}
    for name, comment_for in VARIANTS.items():
        root = tmp_path_factory.mktemp(name)
        where = _write_cases(root, comment_for)
        result = scan([root], load_config(root), ScanOptions(inline_ignores=True), jobs=1)
        results[name] = (result, where)
    return results


def _at(findings, path: str, line: int, rule: str):
    return [
        f for f in findings if Path(f.path).name == path and f.line == line and f.rule_id == rule
    ]


def test_every_rule_with_a_bandit_or_ruff_equivalent_has_a_case():
    covered = {r.id for r in all_rules() if equivalents.ids_of_rule(r.id) != ((), ())}
    assert {case.rule for case in CASES} == covered


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_the_rule_fires_without_a_comment(case, scans):
    result, where = scans["plain"]
    path, line = where[case.rule]
    found = _at(result.findings, path, line, case.rule)
    assert found, [(f.rule_id, f.line) for f in result.findings if Path(f.path).name == path]
    assert found[0].cwe == find_rule(case.rule).cwe
    assert case.rule in equivalents.rules_for(case.bandit)
    assert not case.ruff or case.rule in equivalents.rules_for(case.ruff)


HIDING = [(case, "nosec") for case in CASES] + [(case, "noqa") for case in CASES if case.ruff]


@pytest.mark.parametrize(("case", "variant"), HIDING, ids=[f"{c.rule}-{v}" for c, v in HIDING])
def test_nosec_and_noqa_hide_the_finding(case, variant, scans):
    result, where = scans[variant]
    path, line = where[case.rule]
    assert not _at(result.findings, path, line, case.rule)
    hidden = [(f.rule_id, kind) for f, kind in result.suppressed if Path(f.path).name == path]
    assert (case.rule, variant) in hidden
    assert not [s for s in result.stale_suppressions if Path(s[0]).name == path]


@pytest.mark.parametrize("variant", ["unrelated-bandit", "unrelated-ruff"])
@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_an_unrelated_id_does_not_hide_it_and_is_unused(case, variant, scans):
    result, where = scans[variant]
    path, line = where[case.rule]
    assert _at(result.findings, path, line, case.rule)
    assert (line, VARIANTS[variant](case)) in [
        (s[1], s[2]) for s in result.stale_suppressions if Path(s[0]).name == path
    ]


def test_a_bandit_id_hides_the_pattern_and_the_flow_finding_of_one_call(scans):
    """B602 on a shell call fed by request data: SR201 and SR901 both go."""
    result, where = scans["nosec"]
    path, line = where["SR901"]
    hidden = {f.rule_id for f, _ in result.suppressed if Path(f.path).name == path}
    assert {"SR901"} <= hidden
    plain, _ = scans["plain"]
    shown = {f.rule_id for f in plain.findings if Path(f.path).name == path and f.line == line}
    assert shown <= hidden


# -- comment forms ---------------------------------------------------------------------------
SHELL = """
    import subprocess

    def run(cmd):
        subprocess.run(
            cmd,
            shell=True,{c}
            check=True,
        )
"""


def _scan_one(tmp_path: Path, comment: str, inline: bool = True) -> ScanResult:
    (tmp_path / "jobs.py").write_text(
        textwrap.dedent(SHELL).replace("{c}", f"  {comment}" if comment else ""), encoding="utf-8"
    )
    return scan([tmp_path], load_config(tmp_path), ScanOptions(inline_ignores=inline), jobs=1)


@pytest.mark.parametrize(
    "comment",
    [
        "# nosec B602",
        "# nosec: B602,B607",
        "# nosec B607, B602 -- cmd comes from the job table",
        "# nosec subprocess_popen_with_shell_equals_true",
        "# NOSEC",
        "# nosec reviewed by ops",
        "# noqa: S602",
        "# noqa:S602,S608",
        "# noqa: E501, S602",
        "# noqa: S602  # nosec B602",
        "# secreview: ignore[B602]",
    ],
)
def test_comment_forms_that_hide_a_finding(tmp_path, comment):
    result = _scan_one(tmp_path, comment)
    assert result.findings == []
    assert [f.rule_id for f, _ in result.suppressed] == ["SR201"]
    assert result.stale_suppressions == []


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa",  # Ruff users write it for style rules: it must not hide security findings
        "# NOQA",
        "# noqa: E501",
        "# ruff: noqa: S602",  # file-level in Ruff; not a line suppression here
        "# nosec B404",  # a Bandit check with no secreview equivalent
        "# noqa: S607, S404",
    ],
)
def test_comments_that_hide_nothing_and_are_not_reported_unused(tmp_path, comment):
    result = _scan_one(tmp_path, comment)
    assert [(f.rule_id, f.line) for f in result.findings] == [("SR201", 5)]
    assert result.suppressed == []
    assert result.stale_suppressions == []


def test_no_inline_ignore_shows_what_nosec_and_noqa_hide(tmp_path):
    result = _scan_one(tmp_path, "# noqa: S602  # nosec B602", inline=False)
    assert [f.rule_id for f in result.findings] == ["SR201"]


def test_an_id_in_a_string_is_not_a_comment(tmp_path):
    (tmp_path / "ping.py").write_text(
        'import os\n\ndef ping(host):\n    os.system("ping " + host + " # noqa: S605")\n',
        encoding="utf-8",
    )
    result = scan([tmp_path], load_config(tmp_path), ScanOptions(), jobs=1)
    assert [(f.rule_id, f.line) for f in result.findings] == [("SR202", 4)]


# -- the table -------------------------------------------------------------------------------
def test_the_table_names_only_existing_rules_and_each_id_once():
    known = {r.id for r in all_rules()}
    seen: set[str] = set()
    for check in equivalents.CHECKS:
        assert set(check.rules) | set(check.nearest) <= known, check
        assert not (check.rules and check.nearest), check
        assert check.rules or check.note, f"{check.ids}: say why nothing covers it"
        for foreign_id in check.ids:
            assert foreign_id not in seen
            seen.add(foreign_id)
        assert not check.ruff or check.ruff[1:] == check.bandit[1:] or check.bandit == "B704"


def test_the_table_is_the_only_place_of_the_mapping():
    assert not hasattr(Rule, "bandit_ids")
    assert not [r.id for r in all_rules() if "bandit_ids" in vars(r)]


def test_every_current_bandit_test_is_in_the_table():
    manager = pytest.importorskip("bandit.core.extension_loader").MANAGER
    tests = {p.plugin._test_id: p.name for p in manager.plugins}
    tests |= {test_id: entry["name"] for test_id, entry in manager.blacklist_by_id.items()}
    for test_id, name in tests.items():
        check = equivalents.lookup(test_id)
        assert check is not None and check.bandit_name == name, test_id
        assert equivalents.lookup(name) is check


def test_every_flake8_bandit_rule_of_ruff_is_in_the_table():
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        pytest.skip("ruff is not installed next to this interpreter")
    rules = json.loads(
        subprocess.run(
            [str(ruff), "rule", "--all", "--output-format", "json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    codes = {r["code"]: r["name"] for r in rules if r["linter"] == "flake8-bandit"}
    assert codes
    for code, name in codes.items():
        check = equivalents.lookup(code)
        assert check is not None and check.ruff_name == name, code


def test_the_map_of_comments_is_the_table():
    for check in equivalents.CHECKS:
        for foreign_id in check.ids:
            assert foreign_id_map().get(foreign_id, ()) == check.rules


def test_rules_listing_shows_each_rules_ids(run_cli):
    code, out, _ = run_cli("rules", "--format", "json")
    by_id = {r["id"]: r for r in json.loads(out)}
    assert by_id["SR901"]["bandit_ids"] == ["B602", "B603", "B604", "B605"]
    assert by_id["SR901"]["ruff_codes"] == ["S602", "S603", "S604", "S605"]
    assert by_id["SR303"]["ruff_codes"] == [] and by_id["SR303"]["bandit_ids"] == ["B614"]
    code, out, _ = run_cli("rules")
    line = next(x for x in out.splitlines() if x.split()[:1] == ["SR304"])
    assert "B313-B320 S313-S320" in line
    code, out, _ = run_cli("rules", "--format", "markdown")
    assert "| B602, B603, B604, B605 | S602, S603, S604, S605 |" in out
    assert "replaces Bandit B602, B604; Ruff S602, S604" in out


def test_the_docs_carry_the_current_table():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown()
    page = (ROOT / "docs" / "migration.md").read_text(encoding="utf-8")
    assert page == with_equivalents_table(page), (
        "docs/migration.md is stale: run `python -m secreview.rules_doc`"
    )
    assert equivalents_markdown() in page
    assert "docs/migration.md" in (ROOT / "README.md").read_text(encoding="utf-8")


# -- explain and selection through the command line ------------------------------------------
@pytest.mark.parametrize("key", ["B602", "s602", "subprocess_popen_with_shell_equals_true"])
def test_explain_a_bandit_or_ruff_id(run_cli, key):
    code, out, err = run_cli("explain", key)
    assert code == 0, err
    first = out.splitlines()[0]
    assert "is covered by SR201, SR901" in first
    assert "SR201 subprocess-shell-injection" in out and "SR901 command-injection" in out
    assert "SR602" not in out  # Bandit's B602 has nothing to do with our bare-except rule


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("B404", ["Bandit B404 (import_subprocess)", "nearest: SR201, SR901"]),
        ("S612", ["Ruff S612 (logging-config-insecure-listen)", "no secreview equivalent"]),
        ("B999", ["B999 is not a Bandit test"]),
    ],
)
def test_explain_an_id_without_equivalent(run_cli, key, words):
    code, out, err = run_cli("explain", key)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    for word in words:
        assert word in err


@pytest.fixture
def project(write):
    write(
        "svc/shell.py",
        """
        import subprocess

        def archive(folder):
            subprocess.run(f"tar czf /srv/backup.tgz {folder}", shell=True)
    """,
    )
    write(
        "svc/db.py",
        """
        def find_user(cursor, name):
            cursor.execute("SELECT id FROM users WHERE name = '%s'" % name)
    """,
    )
    write(
        "svc/hashes.py",
        """
        import hashlib

        def hash_password(password):
            return hashlib.md5(password.encode()).hexdigest()
    """,
    )


def _rules_found(out: str) -> list[tuple[str, str, int]]:
    return sorted(
        (f["rule_id"], Path(f["path"]).name, f["line"]) for f in json.loads(out)["findings"]
    )


def test_select_and_ignore_take_bandit_and_ruff_ids(run_cli, project):
    code, out, err = run_cli("scan", "svc", "--format", "json", "--select", "B602,S608")
    assert code == 1, err
    assert _rules_found(out) == [("SR201", "shell.py", 5), ("SR204", "db.py", 3)]
    code, out, err = run_cli(
        "scan", "svc", "--format", "json", "--ignore", "S608", "--ignore", "B324"
    )
    assert _rules_found(out) == [("SR201", "shell.py", 5)]


def test_select_in_the_configuration_takes_them_too(run_cli, project, write):
    write(
        "pyproject.toml",
        """
        [tool.secreview]
        select = ["B324", "S602"]

        [tool.secreview.per-file-ignores]
        "svc/hashes.py" = ["S324"]
    """,
    )
    code, out, err = run_cli("scan", "svc", "--format", "json")
    assert _rules_found(out) == [("SR201", "shell.py", 5)]


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_id_that_covers_nothing_is_a_usage_error(run_cli, project, option):
    code, out, err = run_cli("scan", "svc", option, "B404")
    assert code == 2
    assert err.strip() == (
        "secreview: error: command line: "
        f"{option[2:]}: Bandit B404 (import_subprocess) has no secreview equivalent: secreview "
        "reports what a program does with a module, not its import; nearest: SR201, SR901"
    )


def test_an_id_that_covers_nothing_in_the_file_is_a_configuration_error(run_cli, project, write):
    write("pyproject.toml", '[tool.secreview]\nignore = ["S612"]\n')
    code, out, err = run_cli("scan", "svc")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "ignore: Ruff S612 (logging-config-insecure-listen) has no secreview equivalent" in err


# -- secreview migrate -----------------------------------------------------------------------
def _migrated(run_cli, *args: str) -> tuple[dict, str, str]:
    """The migrated table, the printed text, and its comments joined back into sentences."""
    code, out, err = run_cli("migrate", *args)
    assert code == 0, err
    return tomllib.loads(out)["tool"]["secreview"], out, re.sub(r"\n#\s+", " ", out)


def _scan_with(run_cli, write, toml_text: str) -> list[tuple[str, str, int]]:
    write("secreview.toml", toml_text)
    code, out, err = run_cli("scan", "svc", "--format", "json", "--config", "secreview.toml")
    assert code in (0, 1), err
    return _rules_found(out)


def test_migrate_a_dot_bandit_file(run_cli, write, project):
    write(
        ".bandit",
        """
        [bandit]
        exclude = ./build,./svc/vendor/
        skips = B303,B324,B404,B603
        targets = svc
    """,
    )
    table, out, prose = _migrated(run_cli)
    assert table["ignore"] == ["SR405"]
    assert table["exclude"] == ["build", "svc/vendor"]
    assert "select" not in table
    assert "Bandit B404 (import_subprocess): no secreview equivalent" in prose
    assert "B603 (subprocess_without_shell_equals_true) is skipped, but SR901 stays on" in prose
    assert "'targets' not carried over" in prose
    assert _scan_with(run_cli, write, out) == [("SR201", "shell.py", 5), ("SR204", "db.py", 3)]


def test_migrate_tool_bandit_in_pyproject(run_cli, write, project):
    write(
        "pyproject.toml",
        """
        [project]
        name = "svc"

        [tool.bandit]
        tests = ["B602", "B608", "B404"]
        skips = ["B608"]
        exclude_dirs = ["tests"]

        [tool.bandit.assert_used]
        skips = ["*_test.py", "**/test_*.py"]
    """,
    )
    table, out, prose = _migrated(run_cli, "pyproject.toml")
    assert table["select"] == ["SR201", "SR901"]
    assert table["exclude"] == ["tests"]
    assert table["per-file-ignores"] == {"*_test.py": ["SR603"], "test_*.py": ["SR603"]}
    assert "run only without `select`: SR104, SR105" in prose
    assert '"SR201",  # B602' in out
    assert _scan_with(run_cli, write, out) == [("SR201", "shell.py", 5)]


def test_migrate_a_bandit_yaml_file(run_cli, write, project):
    pytest.importorskip("yaml")
    write(
        "bandit.yaml",
        """
        # the file given to `bandit -c`
        skips: [B101, B303, B324]
        exclude_dirs:
          - docs
        hardcoded_tmp_directory:
          tmp_dirs: [/tmp, /var/tmp]
    """,
    )
    table, out, prose = _migrated(run_cli, "bandit.yaml")
    assert table["ignore"] == ["SR405", "SR603"]
    assert table["exclude"] == ["docs"]
    assert "the options of Bandit B108 (hardcoded_tmp_directory) not carried over" in prose
    assert _scan_with(run_cli, write, out) == [("SR201", "shell.py", 5), ("SR204", "db.py", 3)]


def test_migrate_ruff_lint_settings(run_cli, write, project):
    write(
        "pyproject.toml",
        """
        [tool.ruff]
        line-length = 100

        [tool.ruff.lint]
        select = ["E", "F", "S", "SIM"]
        ignore = ["S101", "S603", "S6"]
        extend-select = ["S608"]

        [tool.ruff.lint.per-file-ignores]
        "svc/hashes.py" = ["S303", "S324", "E501"]
        "scripts/**" = ["S"]
        "svc/shell.py" = ["S404"]
    """,
    )
    table, out, prose = _migrated(run_cli)
    # S6 ignores S601-S612, but S608 is named and more specific: it stays on, as in Ruff.
    assert table["ignore"] == ["SR201", "SR202", "SR203", "SR603", "SR901"]
    assert table["per-file-ignores"] == {"scripts/*": ["SR*"], "svc/hashes.py": ["SR405"]}
    assert "Ruff S610 (django-extra) is skipped, but SR204, SR205, SR902 stay on" in prose
    assert "Ruff S404 (suspicious-subprocess-import): no secreview equivalent" in prose
    assert _scan_with(run_cli, write, out) == [("SR204", "db.py", 3)]


def test_migrate_a_ruff_select_of_a_few_codes(run_cli, write, project):
    write("ruff.toml", '[lint]\nselect = ["F", "S324"]\n')
    table, out, prose = _migrated(run_cli, "ruff.toml")
    assert table["select"] == ["SR405"]
    assert _scan_with(run_cli, write, out) == [("SR405", "hashes.py", 5)]


def test_migrate_writes_only_a_new_file_when_asked(run_cli, write, tmp_path):
    write(".bandit", "[bandit]\nskips = B101\n")
    before = (tmp_path / ".bandit").read_text()
    code, out, err = run_cli("migrate", "-o", "secreview.toml")
    assert code == 0 and out == ""
    assert tomllib.loads((tmp_path / "secreview.toml").read_text())["tool"]["secreview"] == {
        "ignore": ["SR603"]
    }
    assert (tmp_path / ".bandit").read_text() == before
    code, out, err = run_cli("migrate", "-o", "secreview.toml")
    assert code == 2 and "already exists; not overwritten" in err


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (".bandit", "[bandit\nskips = B101\n", ".bandit: not a valid INI file"),
        (".bandit", "[flake8]\nmax-line-length = 100\n", ".bandit: no [bandit] section"),
        ("pyproject.toml", "[tool.bandit\n", "pyproject.toml: not valid TOML"),
        ("pyproject.toml", "[project]\nname = 'x'\n", "no [tool.bandit] or [tool.ruff] table"),
        ("bandit.yaml", "skips: [B101\n", "bandit.yaml: not valid YAML: line"),
        ("bandit.yaml", "- B101\n", "a Bandit configuration is a mapping"),
        ("pyproject.toml", "[tool.bandit]\nskips = 3\n", "skips must be a list of strings"),
    ],
)
def test_migrate_a_bad_file_is_a_one_line_error(run_cli, write, name, text, message):
    if name.endswith(".yaml"):
        pytest.importorskip("yaml")
    write(name, text)
    code, out, err = run_cli("migrate", name)
    assert code == 2 and out == ""
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert message in err


def test_migrate_with_nothing_to_read(run_cli):
    code, out, err = run_cli("migrate")
    assert code == 2 and "no Bandit or Ruff configuration here" in err
    code, out, err = run_cli("migrate", "missing.yaml")
    assert code == 2 and "missing.yaml: file not found" in err
