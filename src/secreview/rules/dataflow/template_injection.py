from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class ServerSideTemplateInjection(FlowRule):
    """Untrusted input becomes part of a template's source.

    ## What it does
    Follows request data through assignments, string building, containers and helper functions
    to the *source* of a template: `flask.render_template_string()`, `jinja2.Template()`,
    `Environment.from_string()` (also `app.jinja_env.from_string()`) and Django's
    `Template()`. Values passed in the render context (`render_template_string(SRC, name=name)`)
    are data, not template source, and are not reported.

    ## Why is this bad?
    The template engine executes what is in the source: `{{ 7*7 }}` prints 49, and Jinja2
    expressions walk from any object to `os.popen`. Whoever controls the source runs code on the
    server. Only remote input counts. This finding replaces SR702 at the same call. In test code
    it is lowered.

    ## Example
    ```python
    from flask import Flask, render_template_string, request

    app = Flask(__name__)

    @app.route("/greet")
    def greet():
        name = request.args.get("name", "guest")
        return render_template_string("<p>Hello " + name + "</p>")
    ```

    ## Use instead
    ```python
    @app.route("/greet")
    def greet():
        return render_template_string("<p>Hello {{ name }}</p>", name=request.args.get("name", "guest"))
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/1336.html
    - https://portswigger.net/research/server-side-template-injection
    - https://jinja.palletsprojects.com/en/stable/sandbox/
    """

    id = "SR907"
    slug = "server-side-template-injection"
    cwe = 1336
    related_cwes = (94,)
    title = "Untrusted input reaches the source of a template"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    supersedes = ("SR702",)
    fix = (
        "keep the template constant and pass the values in the render context "
        "(render_template_string(SOURCE, name=name)); let users pick templates only from a "
        "fixed set of files"
    )
