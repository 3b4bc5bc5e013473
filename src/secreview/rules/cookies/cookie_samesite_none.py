"""CWE-1275: SameSite=None without Secure."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Severity
from secreview.rules.base import Rule
from secreview.rules.common import is_truthy
from secreview.rules.cookies._shared import (
    JARS,
    SAMESITE_SETTINGS,
    SETTERS,
    Cookie,
    CookieRule,
    site_verdict,
)
from secreview.rules.web._shared import add_keyword_fix


class CookieSameSiteNone(CookieRule, Rule):
    """Sets a cookie with `SameSite=None` but without Secure.

    ## What it does
    Finds cookies set with `samesite="None"` (any case) whose `secure` flag is not true: the
    `set_cookie()` calls and cookie-jar morsels SR721 reads, and the settings
    `SESSION_COOKIE_SAMESITE`, `CSRF_COOKIE_SAMESITE`, `REMEMBER_COOKIE_SAMESITE` and
    `JWT_COOKIE_SAMESITE` set to `"None"` in a module that does not set the matching
    `*_COOKIE_SECURE` to true. Test code is skipped.

    ## Why is this bad?
    `SameSite=None` asks the browser to send the cookie with requests that other sites start:
    forms they post, images and frames they load. That is what cross-site request forgery
    needs. Browsers refuse `SameSite=None` without `Secure`, and then fall back to their
    default or drop the cookie, so the cookie either silently stops working or, in older
    browsers that ignore the rule, goes cross-site over plain HTTP.

    ## Example
    ```python
    response.set_cookie("embed_session", sid, samesite="None", httponly=True)
    ```

    ## Use instead
    ```python
    response.set_cookie("embed_session", sid, samesite="None", secure=True, httponly=True)
    # or, unless the cookie must be sent cross-site:
    response.set_cookie("embed_session", sid, samesite="Lax", secure=True, httponly=True)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/1275.html
    - https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#samesitesamesite-value
    - https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-samesite
    """

    id = "SR723"
    slug = "cookie-samesite-none"
    cwe = 1275
    title = "Cookie with SameSite=None but without Secure"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    node_types = (ast.Call, ast.Assign)
    call_leaves = frozenset(
        {*SETTERS, "update", "from_mapping", *(name.rpartition(".")[2] for name in JARS)}
    )
    in_tests = "skip"
    family = 614

    def judge(self, cookie: Cookie) -> None:
        walker = self.walker
        if not cookie.samesite_none or cookie.secure.state in ("true", "configured"):
            walker.examine(1275, cookie.node, "cookie", site_verdict(cookie), cookie.what)
            return
        walker.examine(1275, cookie.node, "cookie", "flagged", cookie.what)
        fix = (
            add_keyword_fix(walker, cookie.call, "secure=True", "pass secure=True")
            if cookie.call is not None and cookie.secure.node is None
            else walker.replace_fix(cookie.secure.node, "True", "set secure=True")
            if cookie.secure.node is not None
            else None
        )
        walker.report(
            self,
            cookie.node,
            f"`{cookie.what}` sets SameSite=None without Secure: browsers reject or downgrade "
            "the cookie, and older ones send it cross-site over plain http://",
            fix=fix,
        )

    def settings_done(self) -> None:
        walker = self.walker
        for name, secure_name in SAMESITE_SETTINGS.items():
            if name not in self.settings:
                continue
            value, statement, why = self.settings[name]
            text = walker.const_value(value)
            if not (isinstance(text, str) and text.strip().lower() == "none"):
                walker.examine(1275, statement, "cookie-setting", "enabled", name)
                continue
            secure = self.settings.get(secure_name)
            if secure is not None and is_truthy(walker, secure[0]) is not False:
                walker.examine(1275, statement, "cookie-setting", "enabled", name)
                continue
            walker.examine(1275, statement, "cookie-setting", "flagged", f'{name} = "None"')
            walker.report(
                self,
                statement,
                f'{name} is "None" but {secure_name} is not set to True in this module: '
                "browsers reject SameSite=None cookies without Secure"
                + (f"; {why}" if why else ""),
                severity=Severity.LOW if why else Severity.MEDIUM,
            )
