"""CWE-1004: session and credential cookies that scripts can read."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.cookies._shared import (
    FLAG_CALL_LEAVES,
    HTTPONLY_SETTINGS,
    Cookie,
    FlagRule,
    holds,
    site_verdict,
)
from secreview.rules.web._shared import add_keyword_fix


class CookieWithoutHttpOnly(FlagRule, Rule):
    """Sets a cookie that carries a session, a token or a credential without HttpOnly.

    ## What it does
    Finds cookies that hold a session id, a token or a credential and are set without
    `httponly=True` (the same `set_cookie()` calls and cookie-jar morsels as SR721), any
    cookie set with `httponly=False` explicitly, `SESSION_COOKIE_HTTPONLY` and
    `REMEMBER_COOKIE_HTTPONLY` set to a false constant, and aiohttp_session storages created
    with `httponly=False`.

    What the cookie holds is judged by its value first: a variable or attribute named as a
    secret (`access_token`, `session_key`, `sid`) or a value made by a call that makes tokens
    (`secrets.token_urlsafe()`, `jwt.encode()`, an itsdangerous or Django signer's `dumps()`,
    `uuid.uuid4()`, `create_access_token()`); such findings have high confidence. Failing that,
    by the cookie's name (`session`, `auth`, `token`, `remember_me`, `user_id`), at lower
    confidence. A cookie whose name says it holds a CSRF token is left alone: the
    double-submit pattern needs scripts to read it. A flag that is not a constant is trusted.
    Test code is skipped.

    ## Why is this bad?
    Without HttpOnly, `document.cookie` gives the cookie to any script on the page. One
    cross-site scripting flaw, or one compromised third-party script, is then enough to send
    the session or the token to the attacker, who can use it from anywhere until it expires.

    ## Example
    ```python
    async def login(request):
        token = jwt.encode({"sub": user.id}, SIGNING_KEY, algorithm="HS256")
        response = web.HTTPFound("/")
        response.set_cookie("auth", token, secure=True)
        return response
    ```

    ## Use instead
    ```python
    async def login(request):
        token = jwt.encode({"sub": user.id}, SIGNING_KEY, algorithm="HS256")
        response = web.HTTPFound("/")
        response.set_cookie("auth", token, secure=True, httponly=True, samesite="Lax")
        return response
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/1004.html
    - https://owasp.org/www-community/HttpOnly
    - https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-httponly
    """

    id = "SR722"
    slug = "cookie-without-httponly"
    cwe = 1004
    title = "Session or credential cookie readable by scripts (no HttpOnly)"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (ast.Call, ast.Assign)
    call_leaves = FLAG_CALL_LEAVES
    in_tests = "skip"
    flag = "httponly"
    flag_settings = HTTPONLY_SETTINGS
    exposure = "scripts on the page can read {what}"
    family = 614

    def judge(self, cookie: Cookie) -> None:
        walker = self.walker
        state = cookie.httponly.state
        if cookie.dynamic or cookie.deleting or state in ("true", "configured"):
            walker.examine(1004, cookie.node, "cookie", site_verdict(cookie), cookie.what)
            return
        held = holds(walker, cookie.name, cookie.value)
        explicit = state == "false"
        if held.kind == "csrf" or (not held.sensitive and not explicit):
            verdict = "csrf-cookie" if held.kind == "csrf" else site_verdict(cookie)
            if verdict == "flagged":
                verdict = "not-sensitive-cookie"
            walker.examine(1004, cookie.node, "cookie", verdict, cookie.what)
            return
        walker.examine(1004, cookie.node, "cookie", "flagged", cookie.what)
        if not held.sensitive:
            severity, confidence = Severity.LOW, Confidence.LOW
        elif held.by_value:
            severity = Severity.MEDIUM
            confidence = Confidence.HIGH
        else:
            severity = Severity.MEDIUM
            confidence = Confidence.MEDIUM if explicit else Confidence.LOW
        how = "with httponly=False" if explicit else "without httponly=True"
        why = f" ({held.why})" if held.why else ""
        message = (
            f"`{cookie.what}` sets a cookie {how}{why}: any script on the page can read it "
            "through document.cookie, so one XSS flaw leaks it"
        )
        if cookie.call is not None and cookie.httponly.node is not None:
            fix = walker.replace_fix(cookie.httponly.node, "True", "set httponly=True")
        elif cookie.call is not None:
            fix = add_keyword_fix(walker, cookie.call, "httponly=True", "pass httponly=True")
        else:
            fix = Fix('set the morsel\'s flag: jar[name]["httponly"] = True')
        walker.report(
            self,
            cookie.node,
            message,
            severity=severity,
            confidence=confidence,
            evidence=(
                "value flow" if held.by_value else "cookie name" if held.sensitive else "flag"
            ),
            fix=fix,
        )
