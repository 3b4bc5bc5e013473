from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class OpenRedirect(FlowRule):
    """Untrusted input chooses where a redirect leads.

    ## What it does
    Follows request data (typically a `next`, `return_to` or `url` parameter) through
    assignments, string building and helper functions to the target of a redirect:
    `flask.redirect()`, Django's `redirect()` / `HttpResponseRedirect()` /
    `HttpResponsePermanentRedirect()`, Starlette's `RedirectResponse()`, aiohttp's `HTTPFound()`
    and the other `HTTP3xx` redirects, WebOb's and Pyramid's `HTTPFound(location=...)`, and a
    `Location` header sent with `send_header()`.

    Not reported: input appended after text that already fixes the site (`"/orders/" + order_id`,
    `f"https://{DOMAIN}/u/{name}"`, `"?page=" + page`), values checked with Django's
    `url_has_allowed_host_and_scheme()`, `url_for()` and `reverse()` results, `quote_plus()` /
    `urlencode()` output, values checked against an allow-list, URLs whose parsed host is
    compared with a fixed set (`urlsplit(url).netloc in ALLOWED`) or whose host and scheme are
    both checked empty (`if parts.netloc or parts.scheme: reject`), and the path or URL of the
    request itself (`request.url`, `request.path`, Django's `request.get_full_path()`), which lead
    back to the same site.

    ## Why is this bad?
    A link on the application's own domain that forwards to any site is a phishing tool: the
    victim sees a trusted host, logs in, and lands on a look-alike page that asks again. With
    OAuth flows the redirect can also carry tokens away. Only remote input counts. In test code
    the finding is lowered.

    ## Example
    ```python
    from flask import Flask, redirect, request

    app = Flask(__name__)

    @app.route("/login", methods=["POST"])
    def login():
        ...
        return redirect(request.args.get("next", "/"))
    ```

    ## Use instead
    ```python
    from urllib.parse import urlsplit

    @app.route("/login", methods=["POST"])
    def login():
        ...
        target = request.args.get("next", "/")
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
            target = "/"
        return redirect(target)
    ```
    In Django, use `url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})`.

    ## References
    - https://cwe.mitre.org/data/definitions/601.html
    - https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
    """

    id = "SR908"
    slug = "open-redirect"
    cwe = 601
    title = "Untrusted input chooses a redirect target"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    fix = (
        "redirect only to paths on the same site (a single leading '/', no scheme or host), "
        "check absolute URLs with url_has_allowed_host_and_scheme(), or map the input to a "
        "fixed set of targets"
    )
