"""CWE-79: Jinja2 environments and Mako templates that do not escape HTML."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule, leaves_of
from secreview.rules.web._shared import add_keyword_fix, imports_any, one_line

JINJA_ENVIRONMENTS = frozenset(
    {"jinja2.Environment", "jinja2.environment.Environment", "jinja2.sandbox.SandboxedEnvironment"}
)
JINJA_TEMPLATES = frozenset({"jinja2.Template", "jinja2.environment.Template"})
# Setups that make a Jinja2 environment with autoescape on unless told otherwise.
ESCAPING_SETUPS = frozenset({"aiohttp_jinja2.setup"})
MAKO_TEMPLATES = frozenset(
    {"mako.template.Template", "mako.lookup.TemplateLookup", "mako.template.DefTemplate"}
)
# Web frameworks: in their modules a template is most likely HTML.
_WEB_HINTS = frozenset(
    {"flask", "django", "fastapi", "starlette", "aiohttp", "tornado", "pyramid", "bottle", "quart"}
)


_PACKAGES = frozenset({"jinja2", "mako", "aiohttp_jinja2"})
_DJANGO_BACKENDS = "django.template.backends."


class JinjaAutoescapeDisabled(Rule):
    """Creates a Jinja2 environment or template with HTML autoescaping off (Jinja2's default).

    ## What it does
    Finds `jinja2.Environment(...)` and `jinja2.Template(...)` created without `autoescape` or
    with a false constant `autoescape=False`, and Mako `Template(...)` / `TemplateLookup(...)`
    without `default_filters=["h"]` (or another list containing `"h"`). `autoescape=True`,
    `autoescape=select_autoescape(...)` and any non-constant value (a function, a setting) are
    fine. Flask's own environment escapes `.html` templates and is not concerned.
    `aiohttp_jinja2.setup(app, ..., autoescape=False)` (its default is on) and a Django
    `TEMPLATES` entry whose `OPTIONS` say `"autoescape": False` (for the Django and the Jinja2
    backends alike) turn escaping off for every template of the application and are reported
    too. Which values then reach a template unescaped is SR931's to follow, for
    `{% autoescape off %}` blocks and `|safe` in the template files themselves.

    A `jinja2.Template` whose source is not a constant is reported by SR702 only. In modules
    without a web framework, a `jinja2.Template` whose source contains no HTML is not reported
    and an `Environment` is reported with low confidence: rendering configuration files or
    e-mails as text does not need escaping.

    ## Why is this bad?
    Jinja2 and Mako do not escape anything unless told to. Every `{{ value }}` in an HTML
    template is then inserted as raw HTML, and any value an attacker can influence becomes
    cross-site scripting.
    Test code is skipped: a test environment renders fixtures, not pages users see.

    ## Example
    ```python
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader("templates"))
    ```

    ## Use instead
    ```python
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/79.html
    - https://jinja.palletsprojects.com/en/stable/api/#autoescaping
    - https://docs.makotemplates.org/en/latest/filtering.html
    """

    id = "SR703"
    slug = "jinja-autoescape-disabled"
    cwe = 79
    title = "Template engine configured without HTML autoescaping"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (ast.Call, ast.Dict)
    call_leaves = leaves_of(JINJA_ENVIRONMENTS, JINJA_TEMPLATES, MAKO_TEMPLATES, ESCAPING_SETUPS)
    in_tests = "skip"

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Dict):
            self._django_settings(node)
            return
        if not isinstance(node, ast.Call) or not imports_any(self.walker, _PACKAGES):
            return
        name = self.walker.call_name(node)
        if name in JINJA_ENVIRONMENTS or name in JINJA_TEMPLATES:
            self._jinja(node, name)
        elif name in MAKO_TEMPLATES:
            self._mako(node, name)
        elif name in ESCAPING_SETUPS:
            self._setup(node, name)

    def _setup(self, node: ast.Call, name: str) -> None:
        """`aiohttp_jinja2.setup(app, loader=..., autoescape=False)`: on unless turned off."""
        walker = self.walker
        autoescape = walker.keyword(node, "autoescape")
        if autoescape is None or not walker.is_constant(autoescape):
            walker.examine(79, node, "template-autoescape", "enabled", f"{name}()")
            return
        if walker.const_value(autoescape):
            walker.examine(79, node, "template-autoescape", "enabled", f"{name}()")
            return
        walker.examine(79, node, "template-autoescape", "flagged", f"{name}(autoescape=False)")
        walker.report(
            self,
            node,
            f"{name}(autoescape={one_line(walker, autoescape)}) turns HTML escaping off for "
            "every template of the application: every `{{ value }}` is inserted as raw HTML",
            confidence=Confidence.HIGH,
            evidence="constant argument",
            fix=walker.replace_fix(autoescape, "True", "leave autoescaping on"),
        )

    def _django_settings(self, node: ast.Dict) -> None:
        """`TEMPLATES = [{"BACKEND": "django.template.backends...", "OPTIONS": {"autoescape":
        False}}]`: escaping off for every template the backend renders."""
        walker = self.walker
        entries = {
            walker.const_value(k): v for k, v in zip(node.keys, node.values, strict=True) if k
        }
        backend = walker.const_value(entries.get("BACKEND"))
        options = entries.get("OPTIONS")
        if not (isinstance(backend, str) and backend.startswith(_DJANGO_BACKENDS)):
            return
        if not isinstance(options, ast.Dict):
            return
        found = {
            walker.const_value(k): v for k, v in zip(options.keys, options.values, strict=True) if k
        }
        autoescape = found.get("autoescape")
        if autoescape is None or not walker.is_constant(autoescape):
            walker.examine(79, node, "template-autoescape", "enabled", "Django TEMPLATES")
            return
        if walker.const_value(autoescape):
            walker.examine(79, node, "template-autoescape", "enabled", "Django TEMPLATES")
            return
        walker.examine(79, autoescape, "template-autoescape", "flagged", "Django TEMPLATES")
        walker.report(
            self,
            autoescape,
            f"The template backend {backend.rsplit('.', 1)[-1]} is configured with "
            f'"autoescape": {one_line(walker, autoescape)}: every `{{{{ value }}}}` of every '
            "template is inserted as raw HTML",
            confidence=Confidence.HIGH,
            evidence="constant argument",
            fix=walker.replace_fix(autoescape, "True", "leave autoescaping on"),
        )

    def _jinja(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        short = name.rsplit(".", 1)[-1]
        template = name in JINJA_TEMPLATES
        source = walker.argument(node, 0, "source") if template else None
        if template and source is not None and not walker.is_constant(source):
            return  # SR702 reports the non-constant template source
        autoescape = walker.keyword(node, "autoescape")
        if autoescape is None and any(k.arg is None for k in node.keywords):
            walker.examine(79, node, "template-autoescape", "dynamic", f"{short}(**options)")
            return
        if autoescape is not None:
            value = walker.const_value(autoescape)
            if not walker.is_constant(autoescape) or value:
                walker.examine(79, node, "template-autoescape", "enabled", f"{short}()")
                return
        confidence = self._confidence(source)
        if template and confidence is Confidence.LOW:
            # a text template (an e-mail, a config file) in a module without a web framework
            walker.examine(79, node, "template-autoescape", "text-template", f"{short}()")
            return
        if autoescape is not None:
            walker.examine(79, node, "template-autoescape", "flagged", f"{short}(autoescape=False)")
            walker.report(
                self,
                node,
                f"{short}(autoescape={one_line(walker, autoescape)}) turns HTML escaping off: "
                "every `{{ value }}` is inserted as raw HTML",
                confidence=Confidence.HIGH if confidence is not Confidence.LOW else confidence,
                evidence="constant argument",
                fix=walker.replace_fix(
                    autoescape, "True", "turn autoescaping on (or use select_autoescape())"
                ),
            )
            return
        walker.examine(79, node, "template-autoescape", "flagged", f"{short}() without autoescape")
        walker.report(
            self,
            node,
            f"{short}() is created without autoescape, and Jinja2 does not escape HTML by "
            "default: every `{{ value }}` is inserted as raw HTML",
            confidence=confidence,
            evidence="default argument",
            fix=add_keyword_fix(
                walker,
                node,
                "autoescape=True",
                "pass autoescape=True (or autoescape=select_autoescape() to escape only "
                "HTML and XML templates)",
            ),
        )

    def _confidence(self, source: ast.expr | None) -> Confidence:
        text = self.walker.const_value(source) if source is not None else None
        if isinstance(text, str) and "<" in text:
            return Confidence.MEDIUM
        if self.walker.framework_hints & _WEB_HINTS:
            return Confidence.MEDIUM
        return Confidence.LOW

    def _mako(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        short = name.rsplit(".", 1)[-1]
        if name == "mako.template.Template":
            source = walker.argument(node, 0, "text")
            if source is not None and not walker.is_constant(source):
                return  # SR702 reports the non-constant template source
        filters = walker.keyword(node, "default_filters")
        if filters is None and any(k.arg is None for k in node.keywords):
            walker.examine(79, node, "template-autoescape", "dynamic", f"{short}(**options)")
            return
        if filters is not None:
            value = walker.const_value(filters)
            if not walker.is_constant(filters) or (isinstance(value, tuple) and "h" in value):
                walker.examine(79, node, "template-autoescape", "enabled", f"{short}()")
                return
        walker.examine(79, node, "template-autoescape", "flagged", f"mako {short}()")
        walker.report(
            self,
            node,
            f"mako {short}() without the `h` default filter does not escape HTML: every "
            "`${value}` is inserted as raw HTML",
            confidence=self._confidence(None),
            evidence="default argument" if filters is None else "constant argument",
            fix=Fix('pass default_filters=["h"] (or escape each expression with `${value | h}`)'),
        )
