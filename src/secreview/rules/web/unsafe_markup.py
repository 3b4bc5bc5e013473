"""CWE-79: strings marked as safe HTML although they contain unescaped values."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.parsing.names import BindingKind
from secreview.rules.base import leaves_of
from secreview.rules.deserialization._shared import TrackingRule
from secreview.rules.sql_injection._shared import comes_from_outside
from secreview.rules.web._shared import (
    backticked,
    from_request,
    has_literal_text,
    imports_any,
    interpolation,
    is_escaping_call,
    one_line,
    unescaped_parts,
)

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# Calls that mark their first argument as safe HTML: (argument position, keyword name).
MARKING_CALLS: dict[str, tuple[int, str]] = {
    "markupsafe.Markup": (0, "base"),
    "flask.Markup": (0, "base"),
    "jinja2.Markup": (0, "base"),
    "jinja2.utils.Markup": (0, "base"),
    "django.utils.safestring.mark_safe": (0, "s"),
    "django.utils.html.mark_safe": (0, "s"),
    "django.utils.safestring.SafeString": (0, "s"),
    "django.utils.safestring.SafeText": (0, "s"),
}
# format_html's format string is trusted; the arguments are escaped.
FORMAT_CALLS: dict[str, tuple[int, str]] = {
    "django.utils.html.format_html": (0, "format_string"),
    "django.utils.html.format_html_join": (1, "format_string"),
}


_PACKAGES = frozenset({"markupsafe", "flask", "jinja2", "django", "quart"})
# How many assignments back a local is followed to see whether its value comes from outside.
_MAX_DEPTH = 4


class UnsafeMarkup(TrackingRule):
    """Marks a string as safe HTML although it contains values that were not escaped.

    ## What it does
    Finds `markupsafe.Markup(x)` (also imported from `flask` or `jinja2`) and Django's
    `mark_safe(x)` / `SafeString(x)` whose argument is not a constant, and Django's
    `format_html()` / `format_html_join()` whose *format string* is built with an f-string,
    `%`, `+` or `.format()`. A string built from constants and escaped values
    (`escape(name)`, `conditional_escape(...)`, `bleach.clean(...)`, a rendered template, a
    translated constant such as `_("Select all")`, also through the local assigned it) is
    fine, and so are the safe APIs themselves: `Markup("<b>{}</b>").format(name)` and
    `format_html("<b>{}</b>", name)` escape their arguments.

    ## Why is this bad?
    Templates escape every value unless it is marked safe. Marking a string that contains user
    data as safe turns that data into HTML and script: stored or reflected cross-site scripting.

    Markup written here around values that are not escaped (an f-string, `%` or `.format()`
    with HTML text of its own), or a value read straight from the request, is reported with
    high severity when one of those values reads the request or a parameter of the function
    (also through the locals it was assigned from); markup around values the function makes
    from its own state (CSS classes from a configured list, a method's result) is low, the
    message saying that no value comes from outside. A plain variable, a parameter the function forwards, or pieces joined
    without markup of their own (`"".join(rendered_rows)`) usually hold HTML escaped where it
    was built: they are reported with low severity and low confidence, the message saying that
    no flow from the request was found. A proven flow from the request is reported by SR906.
    The module that defines the marking function (Django's `django.utils.safestring`,
    `markupsafe`) is not reported for its own calls.
    In test code the finding is lowered to low severity: tests build markup from their own data.

    ## Example
    ```python
    from django.utils.safestring import mark_safe

    def user_link(user):
        return mark_safe(f'<a href="/u/{user.id}">{user.display_name}</a>')
    ```

    ## Use instead
    ```python
    from django.utils.html import format_html

    def user_link(user):
        return format_html('<a href="/u/{}">{}</a>', user.id, user.display_name)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/79.html
    - https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html
    - https://markupsafe.palletsprojects.com/en/stable/escaping/
    """

    id = "SR701"
    slug = "unsafe-markup"
    cwe = 79
    title = "Unescaped value marked as safe HTML"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    call_leaves = leaves_of(MARKING_CALLS, FORMAT_CALLS)
    in_tests = "lower"

    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        if not imports_any(walker, _PACKAGES):
            return
        name = walker.call_name(node)
        if name is None:
            return
        if name in MARKING_CALLS:
            position, keyword = MARKING_CALLS[name]
            self._marking(node, name, walker.argument(node, position, keyword))
        elif name in FORMAT_CALLS:
            position, keyword = FORMAT_CALLS[name]
            self._format(node, name, walker.argument(node, position, keyword))

    def _marking(self, node: ast.Call, name: str, value: ast.expr | None) -> None:
        walker = self.walker
        short = name.rsplit(".", 1)[-1]
        if _implements(walker, name):
            # The module that defines the marking API (or re-exports it): its own calls are
            # how the API works; what matters is what its callers pass.
            walker.examine(79, node, "safe-markup", "implementation", f"{short}() inside itself")
            return
        if value is None or walker.is_constant(value):
            walker.examine(79, node, "safe-markup", "constant", f"{short}() of a constant")
            return
        if is_escaping_call(walker, value):
            walker.examine(79, node, "safe-markup", "escaped", f"{short}() of escaped markup")
            return
        built = interpolation(value)
        if built is not None:
            how, parts = built
            raw = unescaped_parts(walker, parts)
            if not raw:
                walker.examine(79, node, "safe-markup", "escaped", f"{short}() of escaped parts")
                return
            walker.examine(79, node, "safe-markup", "flagged", f"{short}() of {how}")
            if has_literal_text(walker, value) or any(from_request(walker, p) for p in raw):
                if not any(self._outside(p) for p in raw):
                    # Markup around values the function makes from its own state: worth a
                    # look, not a change by default; SR906 reports a proven flow.
                    walker.report(
                        self,
                        node,
                        f"{short}() marks a string built with {how} from "
                        f"{backticked(walker, raw)} as safe HTML; none of them comes from the "
                        "request or the function's caller, so check that they were escaped "
                        "where they were made",
                        severity=Severity.LOW,
                        confidence=Confidence.LOW,
                        evidence="markup built here, no value from outside found",
                        fix=_fix(short),
                    )
                    return
                # HTML written here around values that are not escaped: the classic mistake.
                walker.report(
                    self,
                    node,
                    f"{short}() marks a string built with {how} from "
                    f"{backticked(walker, raw)} as safe HTML, so the inserted values are not "
                    "escaped",
                    confidence=Confidence.HIGH,
                    evidence="markup built here around unescaped values",
                    fix=_fix(short),
                )
                return
            # Pieces joined without markup of their own: typically HTML rendered (and
            # escaped) elsewhere, put together here.
            walker.report(
                self,
                node,
                f"{short}() marks a string joined with {how} from {backticked(walker, raw)} "
                "as safe HTML; no markup is written here and no flow from the request was "
                "found, so check that the pieces were escaped where they were built",
                severity=Severity.LOW,
                confidence=Confidence.LOW,
                evidence="non-constant pieces, no markup of its own, no flow found",
                fix=_fix(short),
            )
            return
        walker.examine(79, node, "safe-markup", "flagged", f"{short}() of a variable")
        if from_request(walker, value):
            walker.report(
                self,
                node,
                f"{short}() marks `{one_line(walker, value)}`, read from the request, as safe "
                "HTML: whoever sends the request writes the page's HTML and script",
                confidence=Confidence.HIGH,
                evidence="argument read from the request",
                fix=_fix(short),
            )
            return
        parameter = _parameter(walker, value)
        where = (
            f"`{parameter}` is a parameter of the function, so its callers decide what it holds"
            if parameter
            else "no flow from the request to it was found"
        )
        walker.report(
            self,
            node,
            f"{short}() marks `{one_line(walker, value)}` as safe HTML; {where}: check that it "
            "is escaped or sanitised before",
            severity=Severity.LOW,
            confidence=Confidence.LOW,
            evidence="non-constant argument, no flow from the request found",
            fix=_fix(short),
        )

    def _format(self, node: ast.Call, name: str, template: ast.expr | None) -> None:
        walker = self.walker
        short = name.rsplit(".", 1)[-1]
        built = interpolation(template) if template is not None else None
        if template is None or walker.is_constant(template) or built is None:
            walker.examine(79, node, "safe-markup", "parameterised", f"{short}() format string")
            return
        how, parts = built
        raw = unescaped_parts(walker, parts)
        if not raw:
            walker.examine(79, node, "safe-markup", "escaped", f"{short}() of escaped parts")
            return
        walker.examine(79, node, "safe-markup", "flagged", f"{short}() format string by {how}")
        walker.report(
            self,
            node,
            f"{short}() gets a format string built with {how} from {backticked(walker, raw)}: "
            "values interpolated into the format string are not escaped",
            confidence=Confidence.HIGH,
            evidence="non-constant argument",
            fix=Fix(
                f"pass a constant format string to {short}() and the values as its arguments: "
                f'{short}("<b>{{}}</b>", value)'
            ),
        )

    def _outside(self, expr: ast.AST, depth: int = 0) -> bool:
        """Whether `expr` reads the request or a parameter of the function, directly or
        through the locals it was assigned from."""
        walker = self.walker
        if comes_from_outside(walker, expr) or from_request(walker, expr):  # type: ignore[arg-type]
            return True
        if depth >= _MAX_DEPTH:
            return False
        for inner in ast.walk(expr):
            if isinstance(inner, ast.Name) and inner.id not in ("self", "cls"):
                value = self.values.value_of(inner)
                if value is not None and value is not expr and self._outside(value, depth + 1):
                    return True
        return False


def _implements(walker: Walker, name: str) -> bool:
    """Whether the module being read is the one that defines `name`."""
    return bool(walker.module_name) and walker.module_name == name.rpartition(".")[0]


def _parameter(walker: Walker, value: ast.expr) -> str | None:
    """The parameter `value` is, or wraps in `str()`: the function forwards what it was given."""
    if isinstance(value, ast.Call) and walker.call_name(value) == "str" and len(value.args) == 1:
        value = value.args[0]
    if isinstance(value, ast.Name):
        binding = walker.names.lookup(value.id)
        if binding is not None and binding.kind is BindingKind.PARAMETER:
            return value.id
    return None


def _fix(short: str) -> Fix:
    if short in {"mark_safe", "SafeString", "SafeText"}:
        return Fix(
            'build the HTML with django.utils.html.format_html("<b>{}</b>", value), which '
            "escapes each value, or escape() the values before mark_safe()"
        )
    return Fix(
        'build the HTML with Markup("<b>{}</b>").format(value) (Markup.format escapes its '
        "arguments) or escape() each value before wrapping it in Markup"
    )
