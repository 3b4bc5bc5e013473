"""CWE-1336: templates compiled from a non-constant source (server-side template injection)."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.parsing.names import BindingKind
from secreview.rules.base import leaves_of
from secreview.rules.deserialization._shared import TrackingRule
from secreview.rules.web._shared import (
    backticked,
    from_request,
    imports_any,
    interpolation,
    literal,
    one_line,
)

# Callables that compile their argument as a template: (position, keyword) of the source.
TEMPLATE_SOURCES: dict[str, tuple[int, str]] = {
    "flask.render_template_string": (0, "source"),
    "flask.templating.render_template_string": (0, "source"),
    "quart.render_template_string": (0, "source"),
    "jinja2.Template": (0, "source"),
    "jinja2.environment.Template": (0, "source"),
    "django.template.Template": (0, "template_string"),
    "django.template.base.Template": (0, "template_string"),
    "mako.template.Template": (0, "text"),
    "tornado.template.Template": (0, "template_string"),
    "chameleon.PageTemplate": (0, "body"),
}
# Frameworks whose environments have a `from_string()` method.
_FROM_STRING_HINTS = frozenset({"jinja2", "flask", "quart", "django", "sanic", "aiohttp_jinja2"})
# Reading a template from a file or a package resource: the developer's template, not input.
_FILE_READS = frozenset(
    {
        "pkgutil.get_data",
        "importlib.resources.read_text",
        "importlib_resources.read_text",
        "pkg_resources.resource_string",
    }
)
# Jinja2's sandbox: templates compiled in it cannot reach attributes or calls that escape it.
_SANDBOXES = frozenset(
    {"jinja2.sandbox.SandboxedEnvironment", "jinja2.sandbox.ImmutableSandboxedEnvironment"}
)
_READ_METHODS = frozenset({"read", "read_text", "read_bytes", "get_data", "get_source"})


_PACKAGES = frozenset({p.partition(".")[0] for p in TEMPLATE_SOURCES} | _FROM_STRING_HINTS)


class TemplateInjection(TrackingRule):
    """Compiles a template whose source is not a constant: server-side template injection.

    ## What it does
    Finds `flask.render_template_string(src)`, `jinja2.Template(src)`,
    `<environment>.from_string(src)`, `django.template.Template(src)`,
    `mako.template.Template(src)` and `tornado.template.Template(src)` whose template source is
    not a constant. A source built with an f-string, `%`, `+` or `.format()` is reported with
    high confidence (the classic `render_template_string(f"<h1>Hello {name}</h1>")`), and so
    is a source read straight from the request. A plain variable (a parameter the function
    forwards, as a template engine's own `from_string()` does, or a template a loader holds) is
    reported with low severity and low confidence, the message saying that no flow from the
    request was found; SR907 reports a proven flow. Templates read from files or package resources
    (`open(path).read()`, `pkgutil.get_data(...)`, directly or through a local variable) are
    not reported, nor are templates compiled by an environment made with Jinja2's
    `SandboxedEnvironment`, whose templates cannot reach code outside the sandbox.

    ## Why is this bad?
    Data inserted into a template's *source* is executed by the template engine. `{{ 7*7 }}`
    turns into 49, and Jinja2 expressions can walk from any object to `os.popen`: whoever controls
    the text runs code on the server. Values belong in the render context, where they are
    only displayed (and escaped).
    In test code the finding is lowered to low severity: tests compile templates from their
    own strings.

    ## Example
    ```python
    from flask import render_template_string, request

    @app.route("/hello")
    def hello():
        name = request.args.get("name", "world")
        return render_template_string(f"<h1>Hello {name}!</h1>")
    ```

    ## Use instead
    ```python
    from flask import render_template_string, request

    @app.route("/hello")
    def hello():
        name = request.args.get("name", "world")
        return render_template_string("<h1>Hello {{ name }}!</h1>", name=name)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/1336.html
    - https://cwe.mitre.org/data/definitions/79.html
    - https://portswigger.net/research/server-side-template-injection
    """

    id = "SR702"
    slug = "template-injection"
    cwe = 1336
    related_cwes = (79, 94)
    title = "Template compiled from a non-constant source"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    call_leaves = leaves_of(TEMPLATE_SOURCES) | {"from_string"}
    in_tests = "lower"

    def _origin(self, source: ast.expr) -> str | None:
        """ "read from the request" / "read from the database" when the source, or the local
        it was built in (`source = "{% load x %}" + request.POST["snippet"]`), says so."""
        walker = self.walker
        candidates = [source]
        root = _root(source)
        resolved = self.values.resolve(root)
        if resolved is not root:
            candidates.append(resolved)
        for candidate in candidates:
            if from_request(walker, candidate):
                return "read from the request"
        if any(_stored(c) for c in candidates[1:]):
            return "read from the database"
        return None

    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        if not imports_any(walker, _PACKAGES):
            return
        name = walker.call_name(node)
        if name in TEMPLATE_SOURCES:
            position, keyword = TEMPLATE_SOURCES[name]
            source = walker.argument(node, position, keyword)
            label = name
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "from_string"
            and walker.framework_hints & _FROM_STRING_HINTS
        ):
            source = walker.argument(node, 0, "source")
            label = f"{one_line(walker, node.func.value, 30)}.from_string"
            if name is not None and name.rpartition(".")[0] in _SANDBOXES:
                walker.examine(1336, node, "template-compilation", "sandboxed", f"{label}()")
                return
        else:
            return
        if source is None or walker.is_constant(source):
            walker.examine(1336, node, "template-compilation", "constant", f"{label}()")
            return
        if _read_from_file(walker, self.values.resolve(source)):
            walker.examine(1336, node, "template-compilation", "file-content", f"{label}()")
            return
        built = interpolation(source)
        raw = [p for p in built[1] if not literal(walker, p)] if built is not None else []
        if built is not None and not raw:
            walker.examine(1336, node, "template-compilation", "constant", f"{label}()")
            return
        walker.examine(1336, node, "template-compilation", "flagged", f"{label}()")
        fix = Fix(
            "keep the template source constant (or load it from a file) and pass the values as "
            "render context: render_template_string('Hello {{ name }}', name=name)"
        )
        if built is not None:
            how = built[0]
            walker.report(
                self,
                node,
                f"{label}() compiles a template built with {how} from {backticked(walker, raw)}: "
                "the inserted text is executed as template code",
                confidence=Confidence.HIGH,
                evidence="non-constant argument",
                fix=fix,
            )
            return
        origin = self._origin(source)
        if origin is not None:
            walker.report(
                self,
                node,
                f"{label}() compiles a template whose source `{one_line(walker, source)}` is "
                f"{origin}: whoever writes it runs template code on the server",
                confidence=Confidence.HIGH if "request" in origin else Confidence.MEDIUM,
                evidence=f"argument {origin}",
                fix=fix,
            )
            return
        # A variable: a template engine's own loader or a `render_template_string(source)`
        # that forwards its parameter. SR907 reports a proven flow from the request.
        binding = walker.names.lookup(source.id) if isinstance(source, ast.Name) else None
        where = (
            f"`{source.id}` is a parameter of the function, so its callers decide what it holds"
            if binding is not None and binding.kind is BindingKind.PARAMETER
            else "no flow from the request to it was found"
        )
        walker.report(
            self,
            node,
            f"{label}() compiles a template whose source `{one_line(walker, source)}` is not a "
            f"constant; {where}: check that no user input reaches it",
            severity=Severity.LOW,
            confidence=Confidence.LOW,
            evidence="non-constant argument, no flow from the request found",
            fix=fix,
        )


def _root(expr: ast.expr) -> ast.expr:
    while isinstance(expr, ast.Attribute | ast.Subscript):
        expr = expr.value
    return expr


def _stored(expr: ast.expr) -> bool:
    """`Page.objects.get(...)`, `session.query(Page)...`: a row of the database."""
    for inner in ast.walk(expr):
        if isinstance(inner, ast.Attribute) and inner.attr in ("objects", "query"):
            return True
    return False


def _read_from_file(walker, source: ast.expr) -> bool:  # type: ignore[no-untyped-def]
    if not isinstance(source, ast.Call) or from_request(walker, source):
        return False  # `request.get_data()` is not a file's content
    if walker.call_name(source) in _FILE_READS:
        return True
    func = source.func
    if isinstance(func, ast.Attribute):
        if func.attr in _READ_METHODS:
            return True
        if func.attr == "decode" and isinstance(func.value, ast.Call):
            return _read_from_file(walker, func.value)
    return False
