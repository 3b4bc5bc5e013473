from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule
from secreview.templates import TEMPLATE_OUTPUT


class TemplateUnescapedOutput(FlowRule):
    """Request data reaches a template variable that the template prints without escaping.

    ## What it does
    Reads the Jinja2 and Django template files of the project (`.html`, `.htm`, `.jinja`,
    `.jinja2`, `.j2` and `.txt` below a `templates` directory) and finds what they print
    unescaped: `{{ x|safe }}` (and `|safeseq`), and every `{{ x }}` inside
    `{% autoescape false %}` (Jinja2) or `{% autoescape off %}` (Django) that no escaping
    filter (`|e`, `|escape`, `|forceescape`, `|tojson`, …) covers. It then follows request
    data through the Python code to the calls that render those templates by a constant name
    and fill the variable: Flask's `render_template("page.html", x=...)`, Django's
    `render(request, "page.html", {"x": ...})`, `TemplateResponse`, `render_to_string`,
    `aiohttp_jinja2.render_template("page.html", request, {"x": ...})`, the dict a handler
    decorated with `@aiohttp_jinja2.template("page.html")` returns, Starlette's and FastAPI's
    `templates.TemplateResponse(request, "page.html", {"x": ...})` (also with `name=` and
    `context=`, and in the older order `TemplateResponse("page.html", {"request": request,
    ...})`), and a Jinja2 environment's `env.get_template("page.html").render(x=...)` (or
    `.render({"x": ...})`, also through a local holding the template). When that environment
    was made in the module without `autoescape` (or with a false constant: Jinja2 then escapes
    nothing, which SR703 reports at the `Environment(...)`), every `{{ x }}` of the template
    prints `x` raw, not only the ones marked `|safe`. Loop variables
    (`{% for c in comments %}{{ c.text|safe }}`), `{% with %}` and `{% set %}` are followed back
    to the variable the view passes, and so are the templates a page extends or includes.

    The finding points into the template file, at the `{{ ... }}`; its trace is the Python
    flow, ending at the render call. An unescaped output that reads the request itself
    (`{{ request.args.q|safe }}`, `{{ request.GET.next }}` in an autoescape-off block: Flask,
    Django and aiohttp_jinja2 put `request` in the template's context) is reported without a
    flow. `.txt` templates (e-mail bodies and subjects, plain-text exports) are read for what
    they include but are not HTML: their outputs are not reported. A `|safe` on a variable
    that no request data reaches is
    not reported: marking trusted HTML (rendered Markdown, a CMS block an administrator wrote)
    as safe is what the filter is for. Only remote input counts. In test code it is lowered.

    ## Why is this bad?
    Autoescaping is what keeps request data from becoming markup. `|safe` and an
    autoescape-off block turn it off for that value: a `<script>` in it runs in the victim's
    browser on the application's origin, with the user's session.

    ## Example
    ```python
    from flask import Flask, render_template, request

    app = Flask(__name__)

    @app.route("/profile")
    def profile():
        return render_template("profile.html", bio=request.args.get("bio", ""))
    ```
    with `templates/profile.html`:
    ```html
    <div class="bio">{{ bio|safe }}</div>
    ```

    ## Use instead
    ```html
    <div class="bio">{{ bio }}</div>
    ```
    When the value must carry some markup, clean it in the view (`bleach.clean(bio)`) and mark
    only the cleaned result as safe.

    ## References
    - https://cwe.mitre.org/data/definitions/79.html
    - https://jinja.palletsprojects.com/en/stable/templates/#html-escaping
    - https://docs.djangoproject.com/en/stable/ref/templates/builtins/#autoescape
    """

    id = "SR931"
    slug = "template-unescaped-output"
    cwe = 79
    title = "Request data printed unescaped by a template"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    concepts = frozenset({TEMPLATE_OUTPUT})
    fix = (
        "remove `|safe` (or the autoescape-off block) so the template escapes the value; if "
        "it must carry markup, sanitise it in the view (bleach.clean()) before marking it safe"
    )
