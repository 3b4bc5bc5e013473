"""Cookies, sessions, debug mode and token checks: what the fixtures' `# expect:` comments
cannot say (severity by what a cookie holds, development settings, the review's evidence)."""

from __future__ import annotations

import textwrap

from secreview.analysis import analyze_source
from secreview.findings import Confidence, Severity


def _findings(text: str, path: str = "shop/views.py"):
    result = analyze_source(textwrap.dedent(text), path)
    return {(f.line, f.rule_id): f for f in result.findings}


VIEWS = """\
    import secrets

    from flask import Flask, make_response

    app = Flask(__name__)


    @app.post("/login")
    def login():
        sid = secrets.token_urlsafe(32)
        response = make_response("ok")
        response.set_cookie("shop", sid, httponly=True)
        response.set_cookie("theme", "dark", httponly=True)
        response.set_cookie("session", "pending", secure=True)
        return response
"""


def test_a_cookie_is_judged_by_its_value_then_by_its_name():
    found = _findings(VIEWS)
    by_value = found[(12, "SR721")]
    assert (by_value.cwe, by_value.severity, by_value.confidence) == (
        614,
        Severity.MEDIUM,
        Confidence.HIGH,
    )
    assert "secrets.token_urlsafe()" in by_value.message
    plain = found[(13, "SR721")]
    assert (plain.severity, plain.confidence) == (Severity.LOW, Confidence.LOW)
    by_name = found[(14, "SR722")]
    assert (by_name.cwe, by_name.severity, by_name.confidence) == (
        1004,
        Severity.MEDIUM,
        Confidence.LOW,
    )
    assert "its name `session`" in by_name.message
    assert (12, "SR722") not in found and (13, "SR722") not in found


def test_settings_for_development_are_reported_low_and_say_why():
    text = "DEBUG = True\nSESSION_COOKIE_SECURE = False\nALLOWED_HOSTS = ['localhost']\n"
    found = _findings(text, "shop/settings/dev.py")
    debug, cookie = found[(1, "SR724")], found[(2, "SR721")]
    assert debug.cwe == 215 and debug.severity is Severity.LOW
    assert cookie.severity is Severity.LOW
    assert "settings/dev.py" in debug.message and "for development" in cookie.message
    deployed = _findings(text, "shop/settings.py")
    assert deployed[(1, "SR724")].severity is Severity.MEDIUM
    assert deployed[(2, "SR721")].severity is Severity.MEDIUM


def test_a_debug_flag_under_an_environment_branch_is_low():
    text = """\
        import os
        from flask import Flask

        app = Flask(__name__)
        if os.environ.get("SHOP_ENV") == "development":
            app.config["DEBUG"] = True
    """
    finding = _findings(text)[(6, "SR724")]
    assert finding.severity is Severity.LOW and "set by the environment" in finding.message


def test_the_framework_defaults_are_not_reported(write, run_cli):
    write("django/__init__.py", "")
    write("django/conf/__init__.py", "")
    write(
        "django/conf/global_settings.py",
        "DEBUG = True\nSESSION_COOKIE_SECURE = False\nSESSION_COOKIE_HTTPONLY = False\n",
    )
    code, out, err = run_cli("scan", ".", "-f", "concise")
    assert code == 0 and "SR72" not in out, (out, err)


def test_the_review_names_the_cookies_it_examined(write, run_cli):
    write(
        "shop/views.py",
        textwrap.dedent(VIEWS)
        .replace("httponly=True)", "httponly=True, secure=True)")
        .replace("secure=True)\n    return", "secure=True, httponly=True)\n    return"),
    )
    code, out, err = run_cli("review", ".")
    line = next(line for line in out.splitlines() if line.startswith("CWE-614"))
    assert line == (
        "CWE-614 Cookie security: no defects found. 3 cookies examined "
        "(views.py:12, 13, 14); all are set Secure and HttpOnly."
    ), (line, err)
