"""SR930: predictable values followed to the places a secret is used, through the real entry
points (a scan of a small project, and the review's checklist)."""

from __future__ import annotations

import json

from secreview.findings import Confidence, Severity

TOKENS = """\
    import random

    from flask import Flask, make_response, session

    app = Flask(__name__)


    def make_token():
        return "%032x" % random.getrandbits(128)


    def remember(user):
        token = make_token()
        user.remember_token = token


    @app.post("/login")
    def login():
        response = make_response("welcome")
        response.set_cookie("remember", make_token(), secure=True, httponly=True)
        return response


    @app.post("/mfa")
    def mfa():
        code = str(random.randint(100000, 999999))
        session["mfa_code"] = code
        return "sent"


    def backoff(attempt):
        return random.uniform(0, 2**attempt)
    """

SERVICE = """\
    import random

    from store import user_sessions


    def open_session(user_id):
        sid = f"{random.getrandbits(64):x}"
        sessions = {}
        sessions[sid] = user_id
        user_sessions[user_id] = sid
        return sid
    """


def _scan(run_cli) -> list[dict]:
    code, out, _err = run_cli("scan", ".", "-f", "json", "--confidence", "low", "--no-cache")
    assert code == 1
    return [f for f in json.loads(out)["findings"] if f["cwe"] == 330]


def _at(findings: list[dict], path: str, line: int) -> dict:
    found = [f for f in findings if f["path"].endswith(path) and f["line"] == line]
    assert len(found) == 1, [(f["rule_id"], f["path"], f["line"]) for f in findings]
    return found[0]


def test_severity_and_confidence_follow_the_use(write, run_cli):
    write("app.py", TOKENS)
    findings = _scan(run_cli)
    cookie = _at(findings, "app.py", 20)
    assert cookie["rule_id"] == "SR930"
    assert cookie["severity"] == Severity.HIGH.name.lower()
    assert cookie["confidence"] == Confidence.HIGH.name.lower()
    assert "the value of a cookie" in cookie["message"]
    session = _at(findings, "app.py", 27)
    assert (session["rule_id"], session["severity"]) == ("SR930", "high")
    # Stored under a secret's name in another statement than the one that made it: only the
    # name says it is a secret.
    stored = _at(findings, "app.py", 14)
    assert (stored["rule_id"], stored["severity"], stored["confidence"]) == (
        "SR930",
        "medium",
        "low",
    )
    # The helper's random call is the source of those flows: SR408 does not report it again,
    # and the retry delay is no secret.
    assert {(f["rule_id"], f["line"]) for f in findings} == {
        ("SR930", 20),
        ("SR930", 27),
        ("SR930", 14),
    }


def test_session_stores_known_by_their_names(write, run_cli):
    write("svc/service.py", SERVICE)
    findings = _scan(run_cli)
    table = _at(findings, "service.py", 9)  # sessions[sid]: the key is the session id
    assert (table["rule_id"], table["confidence"]) == ("SR930", "medium")
    assert "a table of sessions" in table["message"]
    by_user = _at(findings, "service.py", 10)  # user_sessions[user_id] = sid: the value is
    assert by_user["rule_id"] == "SR930"


def test_the_review_counts_the_uses_it_examined(write, run_cli):
    write("app.py", TOKENS)
    code, out, _err = run_cli("review", ".")
    assert code == 1
    line = next(x for x in out.splitlines() if x.startswith("CWE-330 Weak randomness:"))
    assert line.startswith("CWE-330 Weak randomness: defects found.")
    assert "3 are defects (app.py:14, 20, 27)" in line
    assert "1 is not used for security (app.py:32)" in line
