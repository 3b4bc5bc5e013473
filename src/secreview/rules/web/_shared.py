"""Helpers shared by the web rules: escaping, interpolation, keyword-adding fixes, view names."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from secreview.engine.strings import added_operands
from secreview.findings import Fix
from secreview.parsing.names import BindingKind
from secreview.rules.common import source_may_name

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# Calls whose result is already escaped or sanitised HTML.
ESCAPING_CALLS = frozenset(
    {
        "markupsafe.escape",
        "markupsafe.Markup.escape",
        "flask.escape",
        "jinja2.escape",
        "jinja2.utils.escape",
        "html.escape",
        "cgi.escape",
        "django.utils.html.escape",
        "django.utils.html.conditional_escape",
        "django.utils.html.format_html",
        "django.utils.html.format_html_join",
        "django.utils.html.strip_tags",
        "django.utils.html.json_script",
        "django.utils.html.urlize",
        "django.template.defaultfilters.escape",
        "django.template.defaultfilters.force_escape",
        "django.template.loader.render_to_string",
        "django.shortcuts.render_to_string",
        "flask.render_template",
        "flask.templating.render_template",
        "bleach.clean",
        "bleach.linkify",
        "nh3.clean",
        "lxml.html.clean.clean_html",
        "escape",
        "conditional_escape",
    }
)
# Method names whose result is rendered or escaped markup: `template.render(...)`,
# `Markup.escape(x)`, `html_sanitizer.sanitize(x)`.
ESCAPING_METHODS = frozenset({"render", "escape", "sanitize", "sanitise", "clean", "striptags"})


def is_escaping_call(walker: Walker, expr: ast.expr) -> bool:
    if not isinstance(expr, ast.Call):
        return False
    name = walker.call_name(expr)
    if name in ESCAPING_CALLS or (name is not None and name.rsplit(".", 1)[-1] in ESCAPING_CALLS):
        return True
    return isinstance(expr.func, ast.Attribute) and expr.func.attr in ESCAPING_METHODS


def interpolation(expr: ast.expr) -> tuple[str, list[ast.expr]] | None:
    """How a string is built and the expressions inserted into it, or None if not built."""
    match expr:
        case ast.JoinedStr(values=values):
            return "an f-string", [v.value for v in values if isinstance(v, ast.FormattedValue)]
        case ast.BinOp(op=ast.Mod(), right=ast.Tuple(elts=elts)):
            return "% formatting", list(elts)
        case ast.BinOp(op=ast.Mod(), right=ast.Dict(values=values)):
            return "% formatting", list(values)
        case ast.BinOp(op=ast.Mod(), right=right):
            return "% formatting", [right]
        case ast.BinOp(op=ast.Add()):
            return "string concatenation", added_operands(expr)
        case ast.Call(func=ast.Attribute(attr="format"), args=args, keywords=keywords):
            return "str.format()", [*args, *(k.value for k in keywords)]
        case ast.Call(func=ast.Attribute(attr="join", value=ast.Constant()), args=[arg]):
            return "str.join()", [arg]
        case ast.Call(func=ast.Attribute(attr="join", value=separator), args=[arg]):
            return "str.join()", [separator, arg]
    return None


def unescaped_parts(walker: Walker, parts: list[ast.expr]) -> list[ast.expr]:
    """The inserted expressions that are neither constant nor escaped."""
    raw: list[ast.expr] = []
    for part in parts:
        inner = part
        if isinstance(part, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            inner = part.elt
        if isinstance(inner, ast.List | ast.Tuple):
            raw.extend(unescaped_parts(walker, list(inner.elts)))
        elif isinstance(inner, ast.IfExp):
            if unescaped_parts(walker, [inner.body, inner.orelse]):
                raw.append(part)
        elif not literal(walker, inner) and not is_escaping_call(walker, inner):
            raw.append(part)
    return raw


_GETTEXT = frozenset(
    {
        "_",
        "gettext",
        "gettext_lazy",
        "ugettext",
        "ugettext_lazy",
        "pgettext",
        "ngettext",
        "lazy_gettext",
    }
)


def literal(walker: Walker, expr: ast.expr) -> bool:
    """A constant, a translated constant (`_("Not Found")`, also through the local it was
    assigned to), or one of constants (`{...}[k]`)."""
    if walker.is_constant(expr):
        return True
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Dict | ast.List | ast.Tuple):
        # {True: "true", False: "false"}[value]: one of the constants
        items = expr.value.values if isinstance(expr.value, ast.Dict) else expr.value.elts
        return all(literal(walker, item) for item in items)
    if isinstance(expr, ast.Name):
        # `aria_label = _("Select all")`, then `f'... aria-label="{aria_label}"'`: the one
        # assignment of a local of the function.
        function = walker.function
        binding = walker.names.lookup(expr.id)
        if function is None or binding is None or binding.kind is BindingKind.PARAMETER:
            return False
        stores = [
            node
            for node in ast.walk(function)
            if isinstance(node, ast.Name) and node.id == expr.id and isinstance(node.ctx, ast.Store)
        ]
        if len(stores) != 1:
            return False
        assigned = next(
            (
                node
                for node in ast.walk(function)
                if isinstance(node, ast.Assign) and node.targets == [stores[0]]
            ),
            None,
        )
        return (
            assigned is not None
            and isinstance(assigned.value, ast.Call)
            and _translated_constant(walker, assigned.value)
        )
    if isinstance(expr, ast.Call):
        return _translated_constant(walker, expr)
    return False


def _translated_constant(walker: Walker, expr: ast.Call) -> bool:
    """`_("Not Found")`, `gettext("...")`: a translation of a constant text."""
    if expr.args and not expr.keywords:
        name = walker.call_name(expr) or (expr.func.id if isinstance(expr.func, ast.Name) else "")
        if name.rsplit(".", 1)[-1] in _GETTEXT:
            return all(walker.is_constant(a) for a in expr.args)
    return False


def has_literal_text(walker: Walker, expr: ast.expr) -> bool:
    """Whether a built string has constant text of its own (HTML around the inserted values)."""
    match expr:
        case ast.JoinedStr(values=values):
            return any(isinstance(v, ast.Constant) and str(v.value).strip() for v in values)
        case ast.BinOp(op=ast.Mod(), left=left):
            return walker.is_constant(left)
        case ast.BinOp(op=ast.Add()):
            built = interpolation(expr)
            return built is not None and any(walker.is_constant(p) for p in built[1])
        case ast.Call(func=ast.Attribute(attr="format", value=value)):
            return walker.is_constant(value)
    return False


_REQUEST_DATA = re.compile(
    r"\b(?:request|req)\.(?:args|form|json|get_json|GET|POST|data|values|cookies|headers|"
    r"query_params|body|files|params|matchdict|query)\b"
)


def from_request(walker: Walker, expr: ast.expr) -> bool:
    """Whether the expression reads request data directly (`request.args["q"]`...)."""
    return bool(_REQUEST_DATA.search(source_text(walker, expr)))


def imports_any(walker: Walker, packages: frozenset[str]) -> bool:
    """Whether the module imports one of `packages` (or has a star import): a cheap gate."""
    return bool(walker.framework_hints & packages) or bool(walker.names.module.star_imports)


def may_import(walker: Walker, packages: frozenset[str]) -> bool:
    """Whether `walker.framework_hints` can come to hold one of `packages` during the walk.

    The hints are the first segments of what import statements bind: a name written in the
    statement, or, for a relative import, the first segment of the module's own name.
    """
    if walker.module_name.partition(".")[0] in packages:
        return True
    return source_may_name(walker, tuple(packages))


def source_text(walker: Walker, node: ast.AST) -> str:
    """`source_text(walker, node)` in time proportional to the node, not to the file.

    (`ast.get_source_segment`, behind `walker.segment`, splits the whole source on every call,
    which is too slow for a check that runs on every call or attribute of a module.)
    """
    line = getattr(node, "lineno", None)
    end_line = getattr(node, "end_lineno", None)
    col = getattr(node, "col_offset", None)
    end_col = getattr(node, "end_col_offset", None)
    if line is None or end_line is None or col is None or end_col is None:
        return ast.unparse(node)  # type: ignore[arg-type]
    text = _text_between(walker, line, col, end_line, end_col)
    return text if text is not None else ast.unparse(node)  # type: ignore[arg-type]


def dotted(expr: ast.AST) -> str:
    """`self.session` -> "self.session"; anything but names and attributes -> ""."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return ""
    parts.append(expr.id)
    return ".".join(reversed(parts))


def one_line(walker: Walker, node: ast.AST, limit: int = 60) -> str:
    text = source_text(walker, node)
    if "\n" in text:
        text = ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def backticked(walker: Walker, nodes: list[ast.expr], limit: int = 3) -> str:
    return ", ".join(f"`{one_line(walker, n, 40)}`" for n in nodes[:limit])


# -- fixes ----------------------------------------------------------------------------------
def add_keyword_fix(walker: Walker, call: ast.Call, keyword: str, description: str) -> Fix:
    """A fix that adds `keyword` (e.g. "timeout=10") as the last argument of `call`.

    The whole call is replaced by its own text with the keyword inserted right after the last
    argument, so comments, line breaks and a trailing comma stay where they were.
    """
    text = source_text(walker, call)
    if not text.endswith(")"):
        return Fix(description)
    arguments: list[ast.AST] = [*call.args, *call.keywords]
    if not arguments:
        return walker.replace_fix(call, text[:-1].rstrip() + keyword + ")", description)
    if len(call.args) == 1 and isinstance(call.args[0], ast.GeneratorExp) and not call.keywords:
        return Fix(description)  # f(x for x in y): a second argument needs parentheses
    last = max(arguments, key=lambda a: (a.end_lineno or 0, a.end_col_offset or 0))
    head = _text_between(walker, call.lineno, call.col_offset, last.end_lineno, last.end_col_offset)
    if head is None or not text.startswith(head):
        return Fix(description)
    tail = text[len(head) :]
    if re.match(r",[ \t]*\n", tail):
        # one argument per line with a trailing comma: add the keyword on a line of its own
        line = ast_lines(walker)[last.lineno - 1]  # type: ignore[attr-defined]
        indent = line[: len(line) - len(line.lstrip())]
        return walker.replace_fix(call, f"{head},\n{indent}{keyword}{tail}", description)
    return walker.replace_fix(call, f"{head}, {keyword}{tail}", description)


def ast_lines(walker: Walker) -> list[str]:
    """The module's lines numbered as the AST numbers them (split at \\r\\n, \\r and \\n only;
    `str.splitlines()` also breaks at form feeds and other characters the parser keeps)."""
    return walker.parsed.lines


def _text_between(walker, line: int, col: int, end_line, end_col) -> str | None:  # type: ignore[no-untyped-def]
    """Source text between two AST positions (columns are UTF-8 byte offsets)."""
    if end_line is None or end_col is None:
        return None
    lines = ast_lines(walker)
    if end_line > len(lines):
        return None
    if line == end_line:
        return lines[line - 1].encode()[col:end_col].decode("utf-8", "replace")
    first = lines[line - 1].encode()[col:].decode("utf-8", "replace")
    middle = lines[line : end_line - 1]
    last = lines[end_line - 1].encode()[:end_col].decode("utf-8", "replace")
    return "\n".join([first, *middle, last])


# -- views ----------------------------------------------------------------------------------
# Words in a view's name or route that mark an endpoint public by design, wherever they occur...
PUBLIC_WORDS = frozenset(
    {
        "login",
        "logout",
        "signin",
        "signout",
        "register",
        "registration",
        "signup",
        "health",
        "healthz",
        "healthcheck",
        "livez",
        "readyz",
        "readiness",
        "liveness",
        "favicon",
        "robots",
        "sitemap",
        "forgot",
        "activate",
        "oauth",
        "oauth2",
        "webhook",
        "webhooks",
        "public",
        "csrf",
        "obtain",
    }
)
# ...and words that do only when they are the whole name or route (`def status()`, `/ping`).
PUBLIC_ALONE = frozenset(
    {
        "status",
        "ping",
        "version",
        "index",
        "home",
        "root",
        "about",
        "static",
        "ready",
        "live",
        "token",
        "refresh",
        "callback",
        "confirm",
        "metrics",
    }
)
_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_PARAM = re.compile(r"<[^>]*>|\{[^}]*\}")


def name_words(name: str) -> list[str]:
    """`PasswordResetView` -> ["password", "reset", "view"]; `/sign-up` -> [..., "signup"]."""
    words = _WORD.findall(_CAMEL.sub("_", _PARAM.sub("", name)).lower())
    joined = set(words)
    for first, second in (("sign", "up"), ("sign", "in"), ("log", "in"), ("log", "out")):
        if first in joined and second in joined:
            words.append(first + second)
    return words


def looks_public(*names: str) -> bool:
    """A login, health-check, password-reset... endpoint, by its view name or its route."""
    for name in names:
        if name is None:
            continue
        if name.strip() == "/":
            return True
        words = name_words(name)
        meaningful = [w for w in words if w not in {"view", "api", "v1", "v2", "get", "page"}]
        if set(words) & PUBLIC_WORDS:
            return True
        if "password" in words and ({"reset", "forgot", "forgotten"} & set(words)):
            return True
        if len(meaningful) == 1 and meaningful[0] in PUBLIC_ALONE:
            return True
    return False


def decorator_name(decorator: ast.expr) -> str:
    """The last dotted name of a decorator: `@login_required`, `@auth.login_required()` ->
    "login_required"; `@app.route("/")` -> "route"."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Name):
        return target.id
    return ""
