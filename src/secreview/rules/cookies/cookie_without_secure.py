"""CWE-614: cookies sent without the Secure attribute."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.cookies._shared import (
    FLAG_CALL_LEAVES,
    SECURE_SETTINGS,
    Cookie,
    FlagRule,
    holds,
    site_verdict,
)
from secreview.rules.web._shared import add_keyword_fix


class CookieWithoutSecure(FlagRule, Rule):
    """Sets a cookie without the Secure attribute, so browsers also send it over plain HTTP.

    ## What it does
    Finds cookies set without `secure=True`: `set_cookie()` and `set_signed_cookie()` of
    Flask/Werkzeug, Django, Starlette/FastAPI, aiohttp, WebOb, Bottle and Tornado responses
    (Falcon's `set_cookie` is Secure unless told otherwise), and morsels of a cookie jar
    (`response.cookies[name] = value`, an `http.cookies.SimpleCookie`) whose `"secure"` flag
    is never set in the same function. It also finds the settings that turn Secure off for
    the framework's own cookies when they are set to a false constant:
    `SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE`, `REMEMBER_COOKIE_SECURE` (Flask-Login) and
    `JWT_COOKIE_SECURE` (flask-jwt-extended), in a Django settings module, a config class, or
    Flask's `app.config[...] =`, `app.config.update(...)` and `from_mapping(...)`; and
    aiohttp_session storages created with `secure=False`.

    Severity follows what the cookie holds: medium for a session id, a token or a credential
    (judged by its value: a variable named as a secret, `secrets.token_urlsafe()`,
    `jwt.encode()`, a signer's `dumps()`; then, by its name: `session`, `auth_token`,
    `user_id`), low for anything else. A flag that is not a constant (`secure=request.is_secure`,
    a setting) is trusted; a cookie being deleted (an empty value that expires at once) is
    not reported. A setting in a module for development (`settings/dev.py`,
    `local_settings.py`, a `DevelopmentConfig` class, under `if os.environ...`) is reported at
    low severity, and the finding says why. Test code is skipped.

    ## Why is this bad?
    A cookie without Secure is sent on every request to the site, `http://` ones included. A
    single plain-HTTP request (a link, an image, a redirect before HSTS applies) on a
    network someone can watch hands them the cookie; for a session cookie that is the
    account.

    ## Example
    ```python
    @app.post("/login")
    def login():
        token = issue_session(request.form["user"], request.form["password"])
        response = make_response(redirect("/"))
        response.set_cookie("session", token, httponly=True)
        return response
    ```

    ## Use instead
    ```python
    @app.post("/login")
    def login():
        token = issue_session(request.form["user"], request.form["password"])
        response = make_response(redirect("/"))
        response.set_cookie("session", token, secure=True, httponly=True, samesite="Lax")
        return response
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/614.html
    - https://owasp.org/www-community/controls/SecureCookieAttribute
    - https://flask.palletsprojects.com/en/stable/security/#set-cookie-options
    - https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure
    """

    id = "SR721"
    slug = "cookie-without-secure"
    cwe = 614
    title = "Cookie set without the Secure attribute"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (ast.Call, ast.Assign)
    call_leaves = FLAG_CALL_LEAVES
    in_tests = "skip"
    flag = "secure"
    flag_settings = SECURE_SETTINGS
    exposure = "{what} is sent over plain http:// as well"

    def judge(self, cookie: Cookie) -> None:
        walker = self.walker
        state = cookie.secure.state
        if cookie.dynamic or cookie.deleting or state in ("true", "configured"):
            walker.examine(614, cookie.node, "cookie", site_verdict(cookie), cookie.what)
            return
        held = holds(walker, cookie.name, cookie.value)
        walker.examine(614, cookie.node, "cookie", "flagged", cookie.what)
        explicit = state == "false"
        severity = Severity.MEDIUM if held.sensitive else Severity.LOW
        if explicit:
            confidence = Confidence.HIGH
        elif held.sensitive:
            confidence = Confidence.HIGH if held.by_value else Confidence.MEDIUM
        else:
            confidence = Confidence.LOW
        how = "with secure=False" if explicit else "without secure=True"
        why = f" ({held.why})" if held.why else ""
        message = (
            f"`{cookie.what}` sets a cookie {how}{why}: browsers also send it over plain "
            "http://, where anyone on the network can read it"
        )
        if cookie.call is not None and cookie.secure.node is not None:
            fix = walker.replace_fix(cookie.secure.node, "True", "set secure=True")
        elif cookie.call is not None:
            fix = add_keyword_fix(walker, cookie.call, "secure=True", "pass secure=True")
        else:
            fix = Fix('set the morsel\'s flag: jar[name]["secure"] = True')
        walker.report(
            self,
            cookie.node,
            message,
            severity=severity,
            confidence=confidence,
            evidence="constant argument" if explicit else "default argument",
            fix=fix,
        )
