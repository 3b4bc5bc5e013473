from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class CrossSiteScripting(FlowRule):
    """Untrusted input is written into an HTML response without escaping.

    ## What it does
    Follows request data through assignments, string building, containers and helper functions
    to the body of an HTML response (`HttpResponse(...)`, `flask.Response(...)` and
    `make_response(...)` without a non-HTML content type, `HTMLResponse(...)`, `webob.Response`,
    aiohttp's `web.Response(..., content_type="text/html")`, and the text a Flask view returns,
    which Flask sends as `text/html`), or to text marked as safe HTML (`Markup(...)`,
    `mark_safe(...)`, the format string of `format_html()`).

    Of a Flask view's `(body, status, headers)` tuple, and of `make_response((body, headers))`,
    only the body is the page: request data sent in a header is not reflected into HTML. Views
    registered in an application factory (`def init_app(app):` then `@app.route(...)`) are
    views too, and so is request data read through a helper class that keeps the request
    (`self.request.form`). A FastAPI path operation's return value is JSON, unless its route
    says `response_class=HTMLResponse`. A page built with `+=`, f-strings, `%`, `.format()` or
    a list joined at the end is followed like any value.

    Clean: `html.escape()`, `markupsafe.escape()`, Django's `escape()` / `conditional_escape()`,
    `format_html()` arguments, `bleach.clean()`, templates rendered from files
    (`render_template`, `render`, `template.render(...)`), numbers, and allow-listed values.
    Responses with a JSON or plain-text content type are not HTML.

    ## Why is this bad?
    Markup in a reflected value runs as script in the victim's browser, on the application's
    origin: it reads the page, acts with the user's session, and steals what the page shows. Only
    remote input counts. This finding replaces SR701 at the same call. In test code it is
    lowered.

    ## Example
    ```python
    from django.http import HttpResponse

    def search(request):
        term = request.GET.get("q", "")
        return HttpResponse(f"<h1>Results for {term}</h1>")
    ```

    ## Use instead
    ```python
    from django.shortcuts import render

    def search(request):
        return render(request, "search.html", {"term": request.GET.get("q", "")})
    ```
    When HTML has to be built in code, use `format_html("<h1>Results for {}</h1>", term)`
    or `markupsafe.escape(term)`.

    ## References
    - https://cwe.mitre.org/data/definitions/79.html
    - https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html
    - https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html
    """

    id = "SR906"
    slug = "cross-site-scripting"
    cwe = 79
    title = "Untrusted input reaches an HTML response unescaped"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    supersedes = ("SR701",)
    fix = (
        "render the value through an autoescaping template, or escape it with "
        "markupsafe.escape() / django.utils.html.format_html() before it becomes HTML; send data "
        "as JSON with an application/json content type"
    )
