"""What the SQL injection rules share: which calls run SQL, and how the query text was built.

The one judgement a data-flow engine will later replace is `judge_query`: given the query
argument of a sink, it says whether the text is constant, parameterised, or built from
non-constant parts, and where in the SQL each non-constant part lands (a value or a name).
Everything it needs about local variables comes from `LocalStrings`, which the rules fill in
from the assignments they see, one function at a time.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from secreview.findings import Confidence, Fix, TraceStep
from secreview.parsing.names import NOT_CONSTANT, BindingKind
from secreview.rules.base import Rule, leaves_of
from secreview.rules.common import short_source, source_may_name

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# -- the shape of a built string ------------------------------------------------------------

UNTRUSTED = "non-constant"
# Hole kinds that cannot change the structure of the statement.
PLACEHOLDERS = "placeholders"  # ",".join("?" * len(ids))
NUMERIC = "numeric"  # %d, {:d}, int(x), len(x)
ESCAPED = "escaped"  # connection.ops.quote_name(x), psycopg2.extensions.quote_ident(x)
SCHEMA = "schema-metadata"  # Model._meta.db_table, Model.__tablename__
FRAGMENTS = "constant-fragments"  # " AND ".join(clauses), every clause a constant
# x.replace('"', '""'): a hand-quoted identifier, safe inside "..." only. (Doubling single
# quotes in values is not trusted: MySQL's backslash escapes undo it, and parameters are better.)
DOUBLED_DOUBLE = 'doubled-"'
ALLOW_LISTED = "allow-listed"  # SORT_COLUMNS[key], a dict literal of constant strings
CONSTANT = "constant"  # a constant whose text is not known here (e.g. {0.attr} of a constant)


# Bounds on a built string's shape, so that a query built over thousands of statements costs
# time and memory in proportion to them: past MAX_SEGMENTS literal parts and holes, the rest
# of the text becomes one widened hole (untrusted if any part of it was), and a shape names
# only the last MAX_VIA variables it came through (messages name the last one).
MAX_SEGMENTS = 512
MAX_VIA = 16


@dataclass(frozen=True, slots=True)
class Hole:
    """A part of the query text that is not a literal in the source."""

    node: ast.AST | None
    kind: str = UNTRUSTED
    # True when `node` is exactly the value inserted (so it can become a query parameter).
    exact: bool = True
    widened: bool = False  # it stands for the tail of a shape cut at MAX_SEGMENTS

    @property
    def untrusted(self) -> bool:
        return self.kind == UNTRUSTED

    def source(self, walker: Walker) -> str:
        """Source text for messages (computed only when a message needs it)."""
        return short_source(walker, self.node, 50) if self.node is not None else "?"


Segment = str | Hole


@dataclass(frozen=True, slots=True)
class Shape:
    """A built string: literal text and holes, in order."""

    segments: tuple[Segment, ...]
    how: tuple[str, ...] = ()
    via: tuple[tuple[str, int], ...] = ()  # local variables it came through: (name, line)

    @property
    def holes(self) -> list[Hole]:
        return [s for s in self.segments if isinstance(s, Hole)]


def _shape(*segments: Segment, how: tuple[str, ...] = ()) -> Shape:
    return Shape(_merge(segments), how)


def _concat(shapes: list[Shape], how: str = "") -> Shape:
    """The shapes one after the other. Each shape's segments are already merged, so only the
    two segments where shapes meet can join: the work is the length of the result, which
    `_bounded` keeps under MAX_SEGMENTS."""
    segments: list[Segment] = []
    hows: dict[str, None] = {how: None} if how else {}
    via: dict[tuple[str, int], None] = {}
    for shape in shapes:
        parts = shape.segments
        if parts:
            if segments and isinstance(segments[-1], str) and isinstance(parts[0], str):
                segments[-1] = segments[-1] + parts[0]
                segments.extend(parts[1:])
            else:
                segments.extend(parts)
        hows.update(dict.fromkeys(shape.how))
        via.update(dict.fromkeys(shape.via))
    return Shape(_bounded(segments), tuple(hows), tuple(via)[-MAX_VIA:])


def _merge(segments: tuple[Segment, ...] | list[Segment]) -> tuple[Segment, ...]:
    """Adjacent literal parts joined into one (once per run, not once per part)."""
    out: list[Segment] = []
    run: list[str] = []
    for segment in segments:
        if isinstance(segment, str):
            if segment:
                run.append(segment)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(segment)
    if run:
        out.append("".join(run))
    return _bounded(out)


def _bounded(segments: list[Segment]) -> tuple[Segment, ...]:
    """The segments, or past MAX_SEGMENTS the first ones and one widened hole for the rest."""
    if len(segments) <= MAX_SEGMENTS:
        return tuple(segments)
    kept = segments[: MAX_SEGMENTS - 1]
    rest = [s for s in segments[MAX_SEGMENTS - 1 :] if isinstance(s, Hole)]
    if any(h.kind in (UNTRUSTED, DOUBLED_DOUBLE) for h in rest):
        kind = UNTRUSTED
    else:
        kind = rest[0].kind if len({h.kind for h in rest}) == 1 else CONSTANT
    node = next((h.node for h in rest if h.kind == kind), None)
    return (*kept, Hole(node, kind, exact=False, widened=True))


# -- what is known about local variables ------------------------------------------------------


class SqlObject:
    """A name bound to a `text(...)` / `sql.SQL(...)` object: that call is the sink."""


SQL_OBJECT = SqlObject()


@dataclass(slots=True)
class StringList:
    """A list literal of constant strings (`clauses = []`) that only ever gets constants."""

    clean: bool = True


@dataclass(frozen=True, slots=True)
class NameMap:
    """A dict literal of constant strings: looking a key up in it is choosing from an allow-list."""


NAME_MAP = NameMap()

Tracked = Shape | SqlObject | StringList | NameMap


@dataclass(slots=True)
class LocalStrings:
    """What the assignments of one function (or the module body) made of its names."""

    names: dict[str, Tracked] = field(default_factory=dict)
    module: LocalStrings | None = None  # the module body's, for module-level allow-lists

    def lookup(self, name: str) -> Tracked | None:
        found = self.names.get(name)
        if found is None and self.module is not None:
            found = self.module.names.get(name)
            return found if isinstance(found, NameMap) else None
        return found

    def assign(self, walker: Walker, target: ast.expr, value: ast.expr | None) -> None:
        if not isinstance(target, ast.Name):
            for name in _target_names(target):
                self.names.pop(name, None)
            return
        name = target.id
        tracked = self._track(walker, value, name) if value is not None else None
        if tracked is None:
            self.names.pop(name, None)
        else:
            self.names[name] = tracked

    def augment(self, walker: Walker, node: ast.AugAssign) -> None:
        if not isinstance(node.target, ast.Name):
            return
        name = node.target.id
        previous = self.names.get(name)
        if not isinstance(node.op, ast.Add):
            self.names.pop(name, None)
            return
        if isinstance(previous, StringList):
            previous.clean = previous.clean and _constant_strings(walker, node.value)
            return
        if _is_const(walker, self, node.target) and _is_const(walker, self, node.value):
            self.names.pop(name, None)  # the walker folds it to a constant
            return
        before = decompose(walker, self, node.target)
        if before is None:
            before = _shape(_hole(walker, node.target))
        added = decompose(walker, self, node.value) or _hole_shape(walker, self, node.value)
        combined = _concat([before, added], "string concatenation")
        self.names[name] = _with_via(combined, name, node.lineno)

    def mutate_list(self, walker: Walker, call: ast.Call) -> None:
        """`clauses.append(...)` / `.extend(...)` / `.insert(i, ...)` on a tracked list."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return
        tracked = self.names.get(func.value.id)
        if not isinstance(tracked, StringList) or not tracked.clean:
            return
        if func.attr == "append" and len(call.args) == 1:
            tracked.clean = _is_constant_str(walker, call.args[0])
        elif func.attr == "insert" and len(call.args) == 2:
            tracked.clean = _is_constant_str(walker, call.args[1])
        elif func.attr == "extend" and len(call.args) == 1:
            tracked.clean = _constant_strings(walker, call.args[0])

    def loop(self, walker: Walker, node: ast.For | ast.AsyncFor) -> None:
        """`for table in TABLES:` over a constant binds a constant-derived name."""
        if isinstance(node.target, ast.Name) and walker.is_constant(node.iter):
            hole = Hole(node.target, CONSTANT)
            self.names[node.target.id] = Shape((hole,))
            return
        for name in _target_names(node.target):
            self.names.pop(name, None)

    def _track(self, walker: Walker, value: ast.expr, name: str) -> Tracked | None:
        match value:
            case ast.Constant() | ast.Lambda() | ast.Await() | ast.Compare() | ast.BoolOp():
                return None
            case ast.Name(id=other):
                tracked = self.names.get(other)
                return tracked if isinstance(tracked, Shape | SqlObject) else None
            case ast.Call(func=ast.Attribute(attr=called) | ast.Name(id=called)):
                if called not in _TRACKED_CALLS:
                    return None  # most calls: nothing this module can say about the result
            case ast.Call():
                return None
        if isinstance(value, ast.List):
            return StringList(_constant_strings(walker, value))
        if isinstance(value, ast.Dict) and value.values:
            if all(_is_constant_str(walker, v) for v in value.values):
                return NAME_MAP
            return None
        if _const(walker, self, value) is not NOT_CONSTANT:
            return None  # the walker's own bindings know constants
        if is_sql_object(walker, self, value):
            return SQL_OBJECT
        if not _is_string_building(value):
            kind = classify_hole(walker, self, value)
            # `table = Model._meta.db_table`, `limit = int(...)`: safe to insert later.
            return _shape(_hole(walker, value, kind)) if kind != UNTRUSTED else None
        shape = decompose(walker, self, value)
        return _with_via(shape, name, value.lineno) if shape is not None else None


# Calls whose result `_track` may have something to say about.
_TRACKED_CALLS = frozenset(
    {
        "format",
        "join",
        "strip",
        "rstrip",
        "lstrip",
        "dedent",
        "replace",
        "get",
        "text",
        "bindparams",
        "columns",
        "SQL",
        "Composed",
        "Identifier",
        "Literal",
        "int",
        "float",
        "len",
        "bool",
        "round",
        "abs",
        "floor",
        "ceil",
        "repeat",
        "quote_name",
        "geo_quote_name",  # Django's GIS schema editors
        "quote_ident",
        "quote_identifier",
        "quote_value",  # Django's schema editors: a literal, quoted for the backend
        "escape_sqlite",  # Datasette: an identifier, bracketed when it is not a plain word
        "escape_string",
        "escape_literal",
        "escape_identifier",
        "mogrify",
        "as_string",
    }
)


def _with_via(shape: Shape, name: str, line: int) -> Shape:
    return Shape(shape.segments, shape.how, (*shape.via[1 - MAX_VIA :], (name, line)))


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [n for e in target.elts for n in _target_names(e)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _is_constant_str(walker: Walker, expr: ast.expr) -> bool:
    return isinstance(walker.const_value(expr), str)


def _constant_strings(walker: Walker, expr: ast.expr) -> bool:
    if isinstance(expr, ast.List | ast.Tuple):
        return all(_is_constant_str(walker, e) for e in expr.elts)
    value = walker.const_value(expr)
    return isinstance(value, tuple) and all(isinstance(v, str) for v in value)


def _const(walker: Walker, local: LocalStrings, expr: ast.expr | None) -> object:
    """`walker.const_value`, except for lists that were appended to after their literal.

    The walker folds `clauses = ["1=1"]` to a constant tuple and does not see
    `clauses.append(...)`, so an expression that mentions a tracked list is not constant.
    """
    if expr is not None and _mentions_list(local, expr, 0):
        return NOT_CONSTANT
    return walker.const_value(expr)


def _is_const(walker: Walker, local: LocalStrings, expr: ast.expr | None) -> bool:
    return _const(walker, local, expr) is not NOT_CONSTANT


def _mentions_list(local: LocalStrings, expr: ast.AST, depth: int) -> bool:
    if depth > 8:
        return False
    match expr:
        case ast.Name(id=name):
            # A list, or a name this module tracked as built: the walker may have folded it.
            return isinstance(local.names.get(name), StringList | Shape)
        case ast.JoinedStr(values=values):
            return any(_mentions_list(local, v, depth + 1) for v in values)
        case ast.FormattedValue(value=value):
            return _mentions_list(local, value, depth + 1)
        case ast.BinOp(left=left, right=right):
            return _mentions_list(local, left, depth + 1) or _mentions_list(local, right, depth + 1)
        case ast.Call(args=args):
            return any(_mentions_list(local, a, depth + 1) for a in args)
        case ast.Tuple(elts=elts) | ast.List(elts=elts):
            return any(_mentions_list(local, e, depth + 1) for e in elts)
    return False


def _is_string_building(expr: ast.expr) -> bool:
    match expr:
        case ast.JoinedStr() | ast.IfExp():
            return True
        case ast.BinOp(op=ast.Mod() | ast.Add()):
            return True
        case ast.Call(func=ast.Attribute(attr="format" | "join" | "strip" | "rstrip" | "lstrip")):
            return True
        case ast.Call(func=ast.Attribute(attr="dedent")) | ast.Call(func=ast.Name(id="dedent")):
            return True
    return False


# -- taking a built string apart --------------------------------------------------------------

_PERCENT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[a-zA-Z%])"
)
_NUMERIC_CONVERSIONS = frozenset("diouxXeEfFgG")
_NUMERIC_CALLS = frozenset(
    {"int", "float", "len", "bool", "round", "abs", "math.floor", "math.ceil"}
)
# Calls whose result is a quoted identifier, an escaped literal, or a bound statement.
_ESCAPERS = frozenset(
    {
        "quote_name",
        "geo_quote_name",  # Django's GIS schema editors
        "quote_ident",
        "quote_identifier",
        "quote_value",  # Django's schema editors: a literal, quoted for the backend
        "escape_sqlite",  # Datasette: an identifier, bracketed when it is not a plain word
        "escape_string",
        "escape_literal",
        "escape_identifier",
        "mogrify",
        "as_string",
    }
)
_SCHEMA_ATTRS = frozenset({"_meta", "__tablename__", "__table__", "db_table"})
_PLACEHOLDER = r"(?:\?|%s|%\(\w+\)s|:\w+|\$\d+)"
_PLACEHOLDER_TEXT = re.compile(rf"[\s,()]*{_PLACEHOLDER}(?:[\s,()]*{_PLACEHOLDER})*[\s,()]*")
_SEPARATOR_TEXT = re.compile(r"[\s,]*")


def decompose(walker: Walker, local: LocalStrings, expr: ast.expr, depth: int = 0) -> Shape | None:
    """The literal text and holes of a string expression, or None when it is not visible here."""
    if depth > 16:
        return None
    value = _const(walker, local, expr)
    if value is not NOT_CONSTANT:
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        return _shape(value) if isinstance(value, str) else None
    match expr:
        case ast.Name(id=name):
            tracked = local.names.get(name)
            return tracked if isinstance(tracked, Shape) else None
        case ast.JoinedStr(values=values):
            parts: list[Shape] = []
            for part in values:
                if isinstance(part, ast.Constant):
                    parts.append(_shape(str(part.value)))
                elif isinstance(part, ast.FormattedValue):
                    spec = walker.const_value(part.format_spec) if part.format_spec else ""
                    parts.append(
                        _hole_shape(
                            walker,
                            local,
                            part.value,
                            spec if isinstance(spec, str) else None,
                            part.conversion,
                            depth,
                        )
                    )
            return _concat(parts, "an f-string")
        case ast.BinOp(op=ast.Mod()):
            return _percent(walker, local, expr, depth)
        case ast.BinOp(op=ast.Add()):
            return _addition(walker, local, expr, depth)
        case ast.Call(func=ast.Attribute(attr="format", value=template)):
            return _format(walker, local, expr, template, depth)
        case ast.Call(func=ast.Attribute(attr="join", value=sep), args=[_], keywords=[]) if (
            isinstance(walker.const_value(sep), str)
        ):
            return _join(walker, local, expr, walker.const_value(sep), depth)
        case ast.Call(func=ast.Attribute(attr="strip" | "rstrip" | "lstrip", value=inner)):
            return decompose(walker, local, inner, depth + 1)
        case ast.Call(args=[inner, *_]) if walker.call_name(expr) == "textwrap.dedent":
            return decompose(walker, local, inner, depth + 1)
        case ast.IfExp(body=body, orelse=orelse):
            first = decompose(walker, local, body, depth + 1)
            second = decompose(walker, local, orelse, depth + 1)
            candidates = [s for s in (first, second) if s is not None]
            if not candidates:
                return None
            candidates.sort(key=lambda s: -sum(h.untrusted for h in s.holes))
            return candidates[0]
    return None


def _hole(walker: Walker, expr: ast.AST, kind: str = UNTRUSTED, exact: bool = True) -> Hole:
    return Hole(expr, kind, exact)


def _hole_shape(
    walker: Walker,
    local: LocalStrings,
    expr: ast.expr,
    spec: str | None = None,
    conversion: int = -1,
    depth: int = 0,
) -> Shape:
    """What inserting `expr` into the text contributes: its text if known, else a hole."""
    value = _const(walker, local, expr)
    if value is not NOT_CONSTANT:
        try:
            text = repr(value) if conversion == ord("r") else format(value, spec or "")
        except (TypeError, ValueError):
            return _shape(Hole(expr, CONSTANT))
        return _shape(text)
    if spec and spec.strip() and spec.strip()[-1] in "bcdoxXneEfFgG%":
        return _shape(_hole(walker, expr, NUMERIC))
    if _is_string_building(expr) or (
        isinstance(expr, ast.Name) and isinstance(local.names.get(expr.id), Shape)
    ):
        inner = decompose(walker, local, expr, depth + 1)
        if inner is not None:
            return inner
    # A format spec or !r/!s changes the text, so the value alone would not be the same.
    exact = not spec and conversion == -1
    return _shape(_hole(walker, expr, classify_hole(walker, local, expr), exact))


def classify_hole(walker: Walker, local: LocalStrings, expr: ast.expr) -> str:
    """The kind of a non-constant inserted value: untrusted unless it cannot carry SQL."""
    if is_placeholder_expr(walker, expr):
        return PLACEHOLDERS
    if isinstance(expr, ast.Call):
        name = walker.call_name(expr)
        if name in _NUMERIC_CALLS:
            return NUMERIC
        last = expr.func.attr if isinstance(expr.func, ast.Attribute) else (name or "")
        if last.rpartition(".")[2] in _ESCAPERS:
            return ESCAPED
        match expr:
            case ast.Call(func=ast.Attribute(attr="join", value=sep), args=[ast.Name(id=lst)]):
                tracked = local.names.get(lst)
                if (
                    isinstance(walker.const_value(sep), str)
                    and isinstance(tracked, StringList)
                    and tracked.clean
                ):
                    return FRAGMENTS
    match expr:
        case ast.Call(func=ast.Attribute(attr="replace"), args=[old, new]) if (
            walker.const_value(old) == '"' and walker.const_value(new) == '""'
        ):
            return DOUBLED_DOUBLE
        case (
            ast.Subscript(value=ast.Name(id=mapping))
            | ast.Call(func=ast.Attribute(attr="get", value=ast.Name(id=mapping)), args=[_])
        ) if local.lookup(mapping) is NAME_MAP:
            return ALLOW_LISTED
        case ast.Call(
            func=ast.Attribute(attr="get", value=ast.Name(id=mapping)), args=[_, default]
        ) if local.lookup(mapping) is NAME_MAP and _is_constant_str(walker, default):
            return ALLOW_LISTED
        case ast.Subscript(
            value=ast.Attribute(value=ast.Name(id="self" | "cls"), attr=attribute)
        ) if _class_table(walker, attribute):
            # self._standard_operators["contains"]: a table of constants on the class
            return ALLOW_LISTED
    chain = expr
    while isinstance(chain, ast.Attribute | ast.Subscript):
        if isinstance(chain, ast.Attribute) and chain.attr in _SCHEMA_ATTRS:
            return SCHEMA
        chain = chain.value
    match expr:
        case ast.Attribute(attr="column", value=ast.Name(id=owner) | ast.Attribute(attr=owner)) if (
            owner.endswith("field")
        ):
            return SCHEMA  # a model field's column name: `field.column`, `new_field.column`
    return UNTRUSTED


def _class_table(walker: Walker, attribute: str) -> bool:
    """Whether the enclosing class body binds `attribute` to a dict of constant strings."""
    for ancestor in reversed(walker.ancestors):
        if isinstance(ancestor, ast.ClassDef):
            for statement in ancestor.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(
                        isinstance(t, ast.Name) and t.id == attribute for t in statement.targets
                    )
                    and isinstance(statement.value, ast.Dict)
                ):
                    values = statement.value.values
                    return bool(values) and all(_is_constant_str(walker, v) for v in values)
            return False
    return False


def is_placeholder_expr(walker: Walker, expr: ast.expr, depth: int = 0) -> bool:
    """`",".join("?" * len(ids))`, `", ".join(["%s"] * n)`, `("?," * n)[:-1]` and the like,
    or a call of a function of the module that returns nothing else (`placeholders(ids)`)."""
    match expr:
        case ast.Call(func=ast.Name(id=name), args=[_], keywords=[]) if depth < 2:
            returned = _only_return(walker, name)
            return returned is not None and is_placeholder_expr(walker, returned, depth + 1)
        case ast.Call(func=ast.Attribute(attr="join", value=sep), args=[items], keywords=[]):
            sep_text = walker.const_value(sep)
            return (
                isinstance(sep_text, str)
                and _SEPARATOR_TEXT.fullmatch(sep_text) is not None
                and _placeholder_items(walker, items)
            )
        case ast.BinOp(op=ast.Mult(), left=left, right=right):
            return _is_placeholder_text(walker.const_value(left)) or _is_placeholder_text(
                walker.const_value(right)
            )
        case ast.Subscript(value=inner, slice=ast.Slice()):
            return is_placeholder_expr(walker, inner)
        case ast.Call(func=ast.Attribute(attr="strip" | "rstrip" | "lstrip", value=inner)):
            return is_placeholder_expr(walker, inner)
    return False


def _only_return(walker: Walker, name: str) -> ast.expr | None:
    """What the module's own function `name` returns, when its body is that one `return`."""
    binding = walker.names.lookup(name)
    if binding is None or binding.kind is not BindingKind.DEFINITION:
        return None
    node = binding.node
    if not isinstance(node, ast.FunctionDef):
        return None
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) == 1 and isinstance(body[0], ast.Return):
        return body[0].value
    return None


def _is_placeholder_text(value: object) -> bool:
    return isinstance(value, str) and _PLACEHOLDER_TEXT.fullmatch(value) is not None


def _placeholder_items(walker: Walker, expr: ast.expr) -> bool:
    """An iterable whose items are placeholder strings."""
    value = walker.const_value(expr)
    if isinstance(value, str):
        return all(_is_placeholder_text(ch) for ch in value) and bool(value)
    if isinstance(value, tuple):
        return bool(value) and all(_is_placeholder_text(v) for v in value)
    match expr:
        case ast.BinOp(op=ast.Mult(), left=left, right=right):
            return _placeholder_items(walker, left) or _placeholder_items(walker, right)
        case (
            ast.GeneratorExp(elt=elt, generators=generators)
            | ast.ListComp(elt=elt, generators=generators)
        ):
            if _is_placeholder_text(walker.const_value(elt)):
                return True
            return _numbered_placeholder(walker, elt, generators)
        case ast.Call(args=[item, _]) if walker.call_name(expr) == "itertools.repeat":
            return _is_placeholder_text(walker.const_value(item))
    return False


def _numbered_placeholder(
    walker: Walker, elt: ast.expr, generators: list[ast.comprehension]
) -> bool:
    """`f":p{i}" for i in range(n)` / `f"%(p{i})s" for i, _ in enumerate(ids)`."""
    if not isinstance(elt, ast.JoinedStr):
        return False
    counters: set[str] = set()
    for gen in generators:
        name = walker.call_name(gen.iter) if isinstance(gen.iter, ast.Call) else None
        if name == "range" and isinstance(gen.target, ast.Name):
            counters.add(gen.target.id)
        elif (
            name == "enumerate"
            and isinstance(gen.target, ast.Tuple)
            and gen.target.elts
            and isinstance(gen.target.elts[0], ast.Name)
        ):
            counters.add(gen.target.elts[0].id)
    text = ""
    for part in elt.values:
        if isinstance(part, ast.Constant):
            text += str(part.value)
        elif isinstance(part, ast.FormattedValue) and (
            isinstance(part.value, ast.Name) and part.value.id in counters
        ):
            text += "0"
        else:
            return False
    return _is_placeholder_text(text)


def _percent(walker: Walker, local: LocalStrings, expr: ast.BinOp, depth: int) -> Shape | None:
    template = decompose(walker, local, expr.left, depth + 1)
    right = expr.right
    if template is None:
        if _is_const(walker, local, right) or not _looks_textual(walker, local, expr.left):
            return None
        arguments = _arguments(walker, local, right, depth)
        if arguments is not None:
            # A template this function does not show (`self.sql_delete_table`, a class
            # attribute of the schema editor): each argument is judged on its own, so quoted
            # names, numbers and constants cannot change the statement whatever the template.
            return arguments
        return _shape(_hole(walker, right, exact=False), how=("% formatting",))
    positional: list[ast.expr] | None = None
    mapping: dict[str, ast.expr] | None = None
    if isinstance(right, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in right.elts):
        positional = list(right.elts)
    elif (
        isinstance(right, ast.Dict)
        and None not in right.keys
        and all(isinstance(walker.const_value(k), str) for k in right.keys)
    ):
        mapping = {walker.const_value(k): v for k, v in zip(right.keys, right.values, strict=True)}
    parts: list[Shape] = []
    index = 0
    for segment in template.segments:
        if isinstance(segment, Hole):
            parts.append(_shape(segment))
            continue
        last = 0
        for match in _PERCENT.finditer(segment):
            parts.append(_shape(segment[last : match.start()]))
            last = match.end()
            conv = match.group("conv")
            if conv == "%":
                parts.append(_shape("%"))
                continue
            key = match.group("key")
            arg: ast.expr | None
            exact = True
            if key is not None:
                arg = mapping.get(key) if mapping is not None else None
            elif positional is not None:
                arg = positional[index] if index < len(positional) else None
                index += 1
            else:
                arg = right
                exact = isinstance(right, ast.Constant | ast.JoinedStr)
            if arg is None:
                parts.append(_shape(_hole(walker, right, exact=False)))
            elif conv in _NUMERIC_CONVERSIONS and not _is_const(walker, local, arg):
                parts.append(_shape(_hole(walker, arg, NUMERIC)))
            else:
                inserted = _hole_shape(walker, local, arg, None, ord("r") if conv == "r" else -1)
                if not exact:
                    inserted = Shape(
                        tuple(
                            Hole(s.node, s.kind, False, s.widened) if isinstance(s, Hole) else s
                            for s in inserted.segments
                        ),
                        inserted.how,
                        inserted.via,
                    )
                parts.append(inserted)
        parts.append(_shape(segment[last:]))
    return _concat([template_prefix(template), *parts], "% formatting")


def _arguments(walker: Walker, local: LocalStrings, right: ast.expr, depth: int) -> Shape | None:
    """The arguments of `template % right`, for a template that is not known, as holes (of
    unknown position) one by one; None for a single argument that may carry SQL."""
    if isinstance(right, ast.Dict):
        if None in right.keys:
            return None
        values = list(right.values)
    elif isinstance(right, ast.Tuple):
        values = list(right.elts)
    else:
        values = [right]
    if not values or any(isinstance(v, ast.Starred) for v in values):
        return None
    holes: list[Hole] = []
    for value in values:
        for segment in _hole_shape(walker, local, value, depth=depth + 1).segments:
            if isinstance(segment, Hole):
                holes.append(Hole(segment.node, segment.kind, False, segment.widened))
    if len(values) == 1 and any(h.kind == UNTRUSTED for h in holes):
        return None
    # Only the holes: the constant text of an argument says nothing without its template.
    return _shape(*holes, how=("% formatting",)) if holes else _shape("")


def template_prefix(template: Shape) -> Shape:
    """How and via of the template, without its text (the parts carry the text)."""
    return Shape((), template.how, template.via)


def _looks_textual(walker: Walker, local: LocalStrings, expr: ast.expr) -> bool:
    """Could `expr` be a string template? False for plain numbers (`x % 2`)."""
    value = walker.const_value(expr)
    if value is not NOT_CONSTANT:
        return isinstance(value, str | bytes)
    return not isinstance(expr, ast.BinOp) or isinstance(expr.op, ast.Add | ast.Mod)


def _addition(walker: Walker, local: LocalStrings, expr: ast.BinOp, depth: int) -> Shape | None:
    operands: list[ast.expr] = []
    stack: list[ast.expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            stack.extend((node.right, node.left))
        else:
            operands.append(node)
    parts: list[Shape] = []
    textual = False
    for operand in operands:
        value = _const(walker, local, operand)
        if value is not NOT_CONSTANT:
            if not isinstance(value, str):
                return None
            parts.append(_shape(value))
            textual = True
            continue
        inner = decompose(walker, local, operand, depth + 1)
        if inner is not None:
            parts.append(inner)
            textual = True
        else:
            parts.append(_shape(_hole(walker, operand, classify_hole(walker, local, operand))))
    if not textual:
        return None
    return _concat(parts, "string concatenation")


def _format(
    walker: Walker, local: LocalStrings, call: ast.Call, template_expr: ast.expr, depth: int
) -> Shape | None:
    template = decompose(walker, local, template_expr, depth + 1)
    values = [*call.args, *(k.value for k in call.keywords)]
    if template is None:
        if all(_is_const(walker, local, v) for v in values):
            return None
        if not _looks_textual(walker, local, template_expr) or isinstance(template_expr, ast.Call):
            return None  # e.g. sql.SQL(...).format(...): not str.format
        nonconstant = [v for v in values if not _is_const(walker, local, v)]
        return _shape(_hole(walker, nonconstant[0], exact=False), how=("str.format()",))
    starred = any(isinstance(a, ast.Starred) for a in call.args)
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    opaque_kw = next((k.value for k in call.keywords if k.arg is None), None)
    parts: list[Shape] = [template_prefix(template)]
    auto = 0
    formatter = string.Formatter()
    for segment in template.segments:
        if isinstance(segment, Hole):
            parts.append(_shape(segment))
            continue
        try:
            pieces = list(formatter.parse(segment))
        except ValueError:
            return _shape(_hole(walker, call, exact=False), how=("str.format()",))
        for literal, field_name, spec, conversion in pieces:
            parts.append(_shape(literal))
            if field_name is None:
                continue
            base = re.match(r"[^.\[]*", field_name)
            head = base.group(0) if base else ""
            rest = field_name[len(head) :]
            arg: ast.expr | None
            if head == "":
                arg = None if starred or auto >= len(call.args) else call.args[auto]
                auto += 1
            elif head.isdigit():
                position = int(head)
                arg = None if starred or position >= len(call.args) else call.args[position]
            else:
                arg = keywords.get(head)
            if arg is None:
                opaque = opaque_kw if opaque_kw is not None else call
                parts.append(_shape(_hole(walker, opaque, exact=False)))
                continue
            if rest:
                kind = CONSTANT if _is_const(walker, local, arg) else UNTRUSTED
                parts.append(_shape(_hole(walker, arg, kind, exact=False)))
                continue
            conv = ord(conversion) if conversion else -1
            clean_spec = spec if spec and "{" not in spec else None
            parts.append(_hole_shape(walker, local, arg, clean_spec, conv, depth))
    return _concat(parts, "str.format()")


def _join(
    walker: Walker, local: LocalStrings, call: ast.Call, sep: str, depth: int
) -> Shape | None:
    items = call.args[0]
    if isinstance(items, ast.List | ast.Tuple) and not any(
        isinstance(e, ast.Starred) for e in items.elts
    ):
        parts: list[Shape] = []
        for index, item in enumerate(items.elts):
            if index:
                parts.append(_shape(sep))
            parts.append(
                decompose(walker, local, item, depth + 1)
                or _shape(_hole(walker, item, classify_hole(walker, local, item)))
            )
        return _concat(parts, "str.join()")
    kind = classify_hole(walker, local, call)
    return _shape(_hole(walker, call if kind != UNTRUSTED else items, kind), how=("str.join()",))


# -- where a hole lands in the statement --------------------------------------------------------

_TOKEN = re.compile(r"[a-z_][a-z_0-9$]*|\d+|<>|!=|<=|>=|\|\||::|\S")
# After these, what follows names a table or a column.
_NAME_AFTER = frozenset(
    {
        "from",
        "join",
        "into",
        "update",
        "table",
        "exists",
        "truncate",
        "describe",
        "view",
        "index",
        "database",
        "schema",
        "by",
        "select",
        "distinct",
        "as",
        "column",
        "returning",
        "using",
        "set",
        "call",
        "pragma",
        "analyze",
        "vacuum",
        "lock",
    }
)
# After these, what follows is a value or an expression.
_VALUE_AFTER = frozenset(
    {
        "=",
        "<",
        ">",
        "<>",
        "!=",
        "<=",
        ">=",
        "like",
        "ilike",
        "in",
        "where",
        "and",
        "or",
        "not",
        "limit",
        "offset",
        "values",
        "having",
        "on",
        "when",
        "then",
        "else",
        "between",
        "is",
        "+",
        "-",
        "*",
        "/",
        "%",
        "||",
        "case",
        "regexp",
        "glob",
        "match",
        "against",
        "escape",
        "default",
        "interval",
        "top",
        "fetch",
        "any",
        "all",
        "some",
    }
)
_CONDITION_START = frozenset({"where", "and", "or", "on", "having"})
_COMPARISON_NEXT = re.compile(
    r"\s*(?:=|<>|!=|<=|>=|<|>|(?:not\s+)?(?:like|ilike|in|is|between)\b)", re.IGNORECASE
)
_HOLE_TOKEN = "_hole_"


@dataclass(frozen=True, slots=True)
class Placement:
    hole: Hole
    position: str  # "value" or "identifier"
    context: str  # for messages: "ORDER BY", "a quoted string", "="


# The text before a hole that decides where it lands, besides the counts of quotes and
# brackets in all of it: a clause keyword this far back is found; one further back, in a
# string of many thousand characters, is not, and the hole counts as a value.
POSITION_WINDOW = 4096
_COUNTED = ("'", "`", '"', "[", "]")


def place_holes(shape: Shape, prefix: str = "") -> list[Placement]:
    """Where each untrusted hole lands: in a value position or in a table/column name.

    The text before each hole is not rebuilt for every hole (a statement with 40,000 of them
    would copy it 40,000 times): the last POSITION_WINDOW characters and running counts of
    quotes and brackets stand for it.
    """
    placements: list[Placement] = []
    before = prefix[-POSITION_WINDOW:]
    counts = {mark: prefix.count(mark) for mark in _COUNTED}
    segments = shape.segments
    for index, segment in enumerate(segments):
        if isinstance(segment, str):
            for mark in _COUNTED:
                counts[mark] += segment.count(mark)
            before = (before + segment[-POSITION_WINDOW:])[-POSITION_WINDOW:]
            continue
        untrusted = segment.untrusted
        if segment.kind == DOUBLED_DOUBLE:
            untrusted = counts['"'] % 2 == 0  # escaped only inside "..."
        if untrusted:
            following = segments[index + 1] if index + 1 < len(segments) else ""
            after = following if isinstance(following, str) else ""
            position, context = classify_position(before, after[:POSITION_WINDOW], counts)
            placements.append(Placement(segment, position, context))
        before = (before + _HOLE_TOKEN)[-POSITION_WINDOW:]
    return placements


def classify_position(
    before: str, after: str, counts: dict[str, int] | None = None
) -> tuple[str, str]:
    """Decide from the literal text around a hole whether it is a value or a name.

    `counts` are the quotes and brackets of the whole text before the hole when `before` is
    only its end.
    """
    text = before
    if counts is None:
        counts = {mark: text.count(mark) for mark in _COUNTED}
    if counts["'"] % 2:
        return "value", "a quoted string"
    if counts["`"] % 2:
        return "identifier", "a `quoted` name"
    if counts['"'] % 2:
        cut = text.rfind('"')  # a "quoted" token: where does the token stand?
        text = text[:cut] if cut >= 0 else ""
    elif counts["["] > counts["]"] and not text.lower().rstrip().endswith("array["):
        return "identifier", "a [quoted] name"
    glued = re.search(r"[A-Za-z_][\w$]*$", text)
    if (
        glued
        and glued.group(0).lower() != _HOLE_TOKEN
        and glued.group(0).lower() not in (_NAME_AFTER | _VALUE_AFTER)
    ):
        text = text[: glued.start()]  # `logs_{year}`: part of a name
        if not text.rstrip().endswith("."):
            return _position_of(text, after, glued_name=True)
    if text.rstrip().endswith(".") and re.search(r"[\w\"`\]]\s*\.$", text.rstrip()):
        return "identifier", "a qualified name"
    if re.match(r"\s*\.[A-Za-z_\"`]", after):
        return "identifier", "a qualified name"
    return _position_of(text, after, glued_name=re.match(r"[A-Za-z_]", after) is not None)


def _position_of(text: str, after: str, glued_name: bool = False) -> tuple[str, str]:
    tokens = _TOKEN.findall(text.lower())
    if not tokens:
        return ("identifier", "a name") if glued_name else ("value", "the start of the statement")
    last = tokens[-1]
    if last in _NAME_AFTER:
        return "identifier", _keyword(tokens, len(tokens) - 1)
    if last in _CONDITION_START and (glued_name or _COMPARISON_NEXT.match(after)):
        return "identifier", f"a column compared in {last.upper()}"
    if last in _VALUE_AFTER:
        return ("identifier", "a name") if glued_name else ("value", _keyword(tokens, -1))
    depth = 0
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if token == ")":
            depth += 1
        elif token == "(":
            if depth:
                depth -= 1
                continue
            previous = tokens[index - 1] if index else ""
            if previous in ("in", "values", "exists", "any", "all"):
                return "value", f"{previous.upper()} (...)"
            if index >= 2 and tokens[index - 2] in ("into", "table", "exists", "index"):
                return "identifier", "a column list"
        elif depth == 0 and token in _NAME_AFTER:
            return "identifier", _keyword(tokens, index)
        elif depth == 0 and token in _VALUE_AFTER:
            return "value", _keyword(tokens, index)
    return "value", "the statement"


def _keyword(tokens: list[str], index: int) -> str:
    token = tokens[index]
    if token == "by" and index:
        return f"{tokens[index - 1].upper()} BY"
    return token.upper()


# -- the judgement ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: str  # constant, placeholder-list, safe-interpolation, flagged, identifier-flagged, unresolved
    shape: Shape | None = None
    placements: tuple[Placement, ...] = ()

    @property
    def values(self) -> list[Placement]:
        return [p for p in self.placements if p.position == "value"]

    @property
    def identifiers(self) -> list[Placement]:
        return [p for p in self.placements if p.position == "identifier"]


def judge_query(
    walker: Walker, local: LocalStrings, query: ast.expr, prefix: str = ""
) -> Judgement:
    """Is the query text constant, or built from non-constant parts, and where do they land?

    This is the pattern-level judgement; a data-flow engine can replace it wholesale.
    """
    value = _const(walker, local, query)
    if isinstance(value, str | bytes):
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        return Judgement("constant", _shape(text))
    shape = decompose(walker, local, query)
    if shape is None:
        return Judgement("unresolved")
    placements = tuple(place_holes(shape, prefix))
    if placements:
        values = any(p.position == "value" for p in placements)
        return Judgement("flagged" if values else "identifier-flagged", shape, placements)
    kinds = {h.kind for h in shape.holes}
    if not kinds or kinds == {CONSTANT}:
        return Judgement("constant", shape)
    if PLACEHOLDERS in kinds:
        return Judgement("placeholder-list", shape)
    return Judgement("safe-interpolation", shape)


# -- the sinks ----------------------------------------------------------------------------------

# Method names that run SQL on whatever object they are called on (cursors are untyped).
DBAPI_METHODS = frozenset({"execute", "executemany", "executescript", "exec_driver_sql", "mogrify"})
# Query methods of async drivers, matched only when the module imports the driver.
ASYNC_DRIVER_METHODS = {
    "asyncpg": frozenset({"fetch", "fetchrow", "fetchval", "cursor", "prepare"}),
    "databases": frozenset({"fetch_all", "fetch_one", "fetch_val", "iterate"}),
    "aiosqlite": frozenset({"execute_fetchall", "execute_insert"}),
}
_QUERY_KEYWORDS = ("sql", "query", "operation", "statement", "sql_script", "raw_query")
_PARAM_KEYWORDS = frozenset(
    {"params", "parameters", "args", "vars", "seq_of_parameters", "multiparams", "values"}
)
TEXT_FUNCTIONS = frozenset(
    {"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"}
)
COMPOSABLE_SQL = frozenset({"psycopg2.sql.SQL", "psycopg.sql.SQL"})
RAWSQL = frozenset({"django.db.models.expressions.RawSQL", "django.db.models.RawSQL"})
QUERY_FUNCTIONS = {
    "pandas.read_sql": "sql",
    "pandas.read_sql_query": "sql",
    "pandas.io.sql.read_sql": "sql",
    "pandas.io.sql.read_sql_query": "sql",
    "duckdb.sql": "query",
    "duckdb.query": "query",
}
_MANAGER_ATTRS = frozenset({"objects", "_default_manager", "_base_manager"})
_EXTRA_ARGS = (("select", 0, "SELECT "), ("where", 1, "SELECT * FROM t WHERE "))
_EXTRA_LISTS = (("tables", 3, "SELECT * FROM "), ("order_by", 4, "SELECT * FROM t ORDER BY "))
# `.execute` functions that run commands, not SQL (OpenStack's processutils and friends).
_NOT_SQL = re.compile(
    r"processutils|privsep|rootwrap|^(nova|cinder|neutron|ironic|manila)\..*utils\."
)
SQL_VERBS = frozenset(
    {
        "select",
        "insert",
        "update",
        "delete",
        "replace",
        "merge",
        "upsert",
        "with",
        "create",
        "drop",
        "alter",
        "truncate",
        "rename",
        "grant",
        "revoke",
        "pragma",
        "attach",
        "detach",
        "vacuum",
        "analyze",
        "explain",
        "show",
        "describe",
        "use",
        "set",
        "begin",
        "start",
        "commit",
        "rollback",
        "savepoint",
        "release",
        "lock",
        "unlock",
        "copy",
        "call",
        "exec",
        "execute",
        "declare",
        "prepare",
        "deallocate",
        "listen",
        "notify",
        "reindex",
        "cluster",
        "comment",
        "refresh",
        "values",
        "table",
        "reset",
        "discard",
        "checkpoint",
    }
)


@dataclass(frozen=True, slots=True)
class SinkQuery:
    expr: ast.expr
    node: ast.AST  # where a finding goes
    prefix: str = ""  # SQL the fragment is embedded in (for `.extra(where=[...])`)


@dataclass(frozen=True, slots=True)
class SqlSink:
    name: str  # for messages: "cursor.execute", "sqlalchemy.text", "User.objects.raw"
    kind: str  # dbapi, text, composable, django-raw, django-extra, rawsql, query-function
    queries: tuple[SinkQuery, ...]
    params: bool = False
    generic: bool = False  # matched on the method name alone: the text must look like SQL


def find_sink(walker: Walker, local: LocalStrings, call: ast.Call) -> SqlSink | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        # The cheap test first: most method calls are not SQL. (An alias renames only a
        # plain name, so the attribute is the real name.)
        if func.attr not in _SINK_NAMES and not _async_driver_method(walker, func.attr):
            return None
    elif not isinstance(func, ast.Name):
        return None
    name = walker.call_name(call)
    if name in TEXT_FUNCTIONS or _is_db_text(func, name):
        query = walker.argument(call, 0, "text")
        return _single(walker, call, "sqlalchemy.text", "text", query, _bound_later(walker, call))
    if name in COMPOSABLE_SQL:
        query = walker.argument(call, 0, "string")
        return _single(walker, call, name, "composable", query, _bound_later(walker, call))
    if name in RAWSQL:
        query = walker.argument(call, 0, "sql")
        params = walker.argument(call, 1, "params") is not None
        return _single(walker, call, "RawSQL", "rawsql", query, params)
    if name in QUERY_FUNCTIONS:
        query = walker.argument(call, 0, QUERY_FUNCTIONS[name])
        params = walker.keyword(call, "params") is not None
        return _single(walker, call, name, "query-function", query, params)
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in DBAPI_METHODS or _async_driver_method(walker, func.attr):
        if name is not None and _NOT_SQL.search(name):
            return None
        query = walker.argument(call, 0, None)
        if query is None:
            query = next((k.value for k in call.keywords if k.arg in _QUERY_KEYWORDS), None)
        if query is None or is_sql_object(walker, local, query) or _is_callable(walker, query):
            return None
        params = len(call.args) > 1 or any(k.arg in _PARAM_KEYWORDS for k in call.keywords)
        params = params or func.attr == "executemany"
        sink_name = short_source(walker, func, 40)
        return SqlSink(sink_name, "dbapi", (SinkQuery(query, call),), params, generic=True)
    if func.attr == "raw" and _is_manager(func.value):
        query = walker.argument(call, 0, "raw_query")
        params = walker.argument(call, 1, "params") is not None
        return _single(walker, call, _manager_name(func), "django-raw", query, params)
    if func.attr == "extra":
        return _extra_sink(walker, call)
    return None


def _is_callable(walker: Walker, expr: ast.expr) -> bool:
    """distutils' `self.execute(os.remove, (path,))`: a function, not a query."""
    if isinstance(expr, ast.Lambda):
        return True
    if isinstance(expr, ast.Name):
        binding = walker.names.lookup(expr.id)
        return binding is not None and binding.kind is BindingKind.DEFINITION
    qualified = walker.qualname(expr) if isinstance(expr, ast.Attribute) else None
    return qualified is not None and qualified.split(".")[0] in ("os", "shutil")


_SINK_NAMES = (
    DBAPI_METHODS
    | leaves_of(TEXT_FUNCTIONS, COMPOSABLE_SQL, RAWSQL, QUERY_FUNCTIONS)
    | {"raw", "extra", "text"}
)
# `clauses.append(...)` and friends: how a tracked list of constant clauses stays clean.
_LIST_MUTATORS = frozenset({"append", "extend", "insert"})
# Every call the SQL rules act on: the sinks (async driver methods whatever the module imports;
# `find_sink` checks the imports) and the list mutations `LocalStrings` follows.
SQL_CALL_LEAVES = _SINK_NAMES | frozenset().union(*ASYNC_DRIVER_METHODS.values()) | _LIST_MUTATORS
# The names a sink call of a module is made by: without one of them in the source, no call the
# SQL rules see can be a sink, and the strings they would track are never judged.
_SINK_WORDS = tuple(sorted(SQL_CALL_LEAVES - _LIST_MUTATORS))


def _async_driver_method(walker: Walker, method: str) -> bool:
    hints = walker.framework_hints
    return any(method in ASYNC_DRIVER_METHODS[d] for d in ASYNC_DRIVER_METHODS if d in hints)


def _single(
    walker: Walker, call: ast.Call, name: str, kind: str, query: ast.expr | None, params: bool
) -> SqlSink | None:
    if query is None:
        return None
    return SqlSink(name, kind, (SinkQuery(query, call),), params)


def _is_db_text(func: ast.expr, name: str | None) -> bool:
    """Flask-SQLAlchemy's `db.text(...)` is `sqlalchemy.text`."""
    if not isinstance(func, ast.Attribute) or func.attr != "text":
        return False
    if isinstance(func.value, ast.Name) and func.value.id == "db":
        return True
    return bool(name and name.endswith(".db.text"))


def _bound_later(walker: Walker, call: ast.Call) -> bool:
    """`text(...).bindparams(...)`, or `session.execute(text(...), {...})`."""
    parent = walker.parent
    if isinstance(parent, ast.Attribute) and parent.attr in ("bindparams", "format", "join"):
        return True
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is call:
        return len(parent.args) > 1 or any(k.arg in _PARAM_KEYWORDS for k in parent.keywords)
    return False


def _is_manager(expr: ast.expr) -> bool:
    """`Model.objects`, `Model.objects.using("replica")`, `Model._default_manager`."""
    while True:
        if isinstance(expr, ast.Attribute):
            if expr.attr in _MANAGER_ATTRS:
                return True
            expr = expr.value
        elif isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            if expr.func.attr not in ("using", "db_manager"):
                return False
            expr = expr.func.value
        else:
            return False


def _manager_name(func: ast.Attribute) -> str:
    """`Entry.objects.raw` for the plain spelling, `Manager.raw` for anything longer."""
    receiver = func.value
    if (
        isinstance(receiver, ast.Attribute)
        and isinstance(receiver.value, ast.Name)
        and receiver.attr in _MANAGER_ATTRS
    ):
        return f"{receiver.value.id}.{receiver.attr}.raw"
    return "Manager.raw"


def _extra_sink(walker: Walker, call: ast.Call) -> SqlSink | None:
    """`QuerySet.extra(select={...}, where=[...], tables=[...], order_by=[...])`."""
    if call.args and "django" not in walker.framework_hints:
        return None
    queries: list[SinkQuery] = []
    for keyword, position, prefix in _EXTRA_ARGS + _EXTRA_LISTS:
        value = walker.argument(call, position, keyword)
        if value is None:
            continue
        items: list[ast.expr]
        if isinstance(value, ast.Dict):
            items = [v for v in value.values if v is not None]
        elif isinstance(value, ast.List | ast.Tuple | ast.Set):
            items = list(value.elts)
        else:
            items = [value]
        queries.extend(SinkQuery(item, item, prefix) for item in items)
    if not queries:
        return None
    params = any(
        walker.argument(call, pos, kw) is not None
        for kw, pos in (("params", 2), ("select_params", 5))
    )
    return SqlSink("QuerySet.extra", "django-extra", tuple(queries), params)


def is_sql_object(walker: Walker, local: LocalStrings, expr: ast.expr) -> bool:
    """Is `expr` a SQLAlchemy text() or a psycopg sql composition (checked where it is made)?"""
    if isinstance(expr, ast.Name):
        return local.names.get(expr.id) is SQL_OBJECT
    inner = expr
    while isinstance(inner, ast.Call):
        name = walker.call_name(inner)
        if name is not None and (
            name in TEXT_FUNCTIONS
            or name.startswith(("psycopg2.sql.", "psycopg.sql."))
            or _is_db_text(inner.func, name)
        ):
            return True
        if not isinstance(inner.func, ast.Attribute):
            return False
        inner = inner.func.value
    return False


def looks_like_sql(judgement: Judgement) -> bool:
    """For sinks matched on a method name only: does the statement begin like SQL?"""
    shape = judgement.shape
    if shape is None or not shape.segments:
        return True
    first = shape.segments[0]
    if isinstance(first, Hole):
        return True
    text = first.lstrip()
    if not text:
        return True
    word = re.match(r"[A-Za-z]+", text)
    if word:
        # `truncate --size 1G path`, `show -v`: a command line that starts with a SQL verb.
        if re.match(r"\s+-{1,2}[A-Za-z]", text[word.end() :]):
            return False
        return word.group(0).lower() in SQL_VERBS
    return text.startswith(("(", "--", "/*", ";"))


# -- the rule machinery both rules share ---------------------------------------------------------


@dataclass(slots=True)
class _WalkState:
    """One walk's SQL bookkeeping, kept once for SR204 and SR205.

    Both rules see the same nodes in the same order and track and judge them the same way;
    whichever sees a node first does the work, the other reuses it.
    """

    locals: dict[ast.AST | None, LocalStrings] = field(default_factory=dict)
    node: ast.AST | None = None  # the last node handled
    # For `node` when it is a call: its sink and the (query, judgement, verdict) to act on.
    sink: SqlSink | None = None
    judged: list[tuple[SinkQuery, Judgement, str]] = field(default_factory=list)
    # The scope the walk stood in when `current` was looked up (a scope always belongs to the
    # same function), to skip `walker.function` while the walk stays in it.
    scope: object = None
    current: LocalStrings | None = None


class SqlSinkRule(Rule):
    """Finds SQL sinks and judges their query; subclasses decide which verdicts they report."""

    node_types: ClassVar[tuple[type[ast.AST], ...]] = (
        ast.Call,
        ast.Assign,
        ast.AnnAssign,
        ast.AugAssign,
        ast.For,
        ast.AsyncFor,
    )
    call_leaves: ClassVar[frozenset[str] | None] = SQL_CALL_LEAVES
    reports_verdict: ClassVar[str] = ""
    # Which rule records the examined sites when both are active.
    examiner_id: ClassVar[str] = "SR204"

    def __init__(self, walker: Walker) -> None:
        super().__init__(walker)
        if not source_may_name(walker, _SINK_WORDS):
            self.node_types = ()  # type: ignore[misc]  # no sink can be called here

    def begin_module(self) -> None:
        state = self.walker.shared.get(_WalkState)
        if state is None:
            state = self.walker.shared[_WalkState] = _WalkState()
        self._state = state
        self._examines = self.id == self.examiner_id or not any(
            r.id == self.examiner_id for r in self.walker.rules
        )

    @property
    def local(self) -> LocalStrings:
        state = self._state
        scope = self.walker.names.stack[-1]
        if scope is state.scope and state.current is not None:
            return state.current
        key = self.walker.function
        locals_ = state.locals
        found = locals_.get(key)
        if found is None:
            module = locals_.get(None)
            if module is None:
                module = locals_[None] = LocalStrings()
            found = module if key is None else LocalStrings(module=module)
            locals_[key] = found
        state.scope, state.current = scope, found
        return found

    def check(self, node: ast.AST) -> None:
        state = self._state
        if state.node is node:  # the other SQL rule did the work
            if node.__class__ is ast.Call:
                self._act(node, state)  # type: ignore[arg-type]
            return
        state.node = node
        walker = self.walker
        if node.__class__ is ast.Call:
            self._check_call(node, state)  # type: ignore[arg-type]
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self.local.assign(walker, target, node.value if len(node.targets) == 1 else None)
        elif isinstance(node, ast.AnnAssign):
            self.local.assign(walker, node.target, node.value)
        elif isinstance(node, ast.AugAssign):
            self.local.augment(walker, node)
        elif isinstance(node, ast.For | ast.AsyncFor):
            self.local.loop(walker, node)

    def _check_call(self, call: ast.Call, state: _WalkState) -> None:
        walker = self.walker
        local = self.local
        state.sink = None
        state.judged = []
        if isinstance(call.func, ast.Attribute) and call.func.attr in _LIST_MUTATORS:
            local.mutate_list(walker, call)
            return
        sink = find_sink(walker, local, call)
        if sink is None:
            return
        judged = state.judged
        for query in sink.queries:
            judgement = judge_query(walker, local, query.expr, query.prefix)
            if sink.generic and not looks_like_sql(judgement):
                continue
            verdict = judgement.verdict
            if verdict == "constant" and sink.params:
                verdict = "composed" if sink.kind == "composable" else "parameterised"
            judged.append((query, judgement, verdict))
        state.sink = sink
        self._act(call, state)

    def _act(self, call: ast.Call, state: _WalkState) -> None:
        """Record and report the judged queries of `call`, as this rule sees them."""
        sink = state.sink
        if sink is None:
            return
        walker = self.walker
        for query, judgement, verdict in state.judged:
            if self._examines:
                walker.examine(89, query.node, "sql-execution", verdict, _detail(sink, verdict))
            if verdict == self.reports_verdict:
                self.report_query(call, sink, query, judgement)

    def report_query(
        self, call: ast.Call, sink: SqlSink, query: SinkQuery, judgement: Judgement
    ) -> None:
        raise NotImplementedError

    # -- helpers for the messages ----------------------------------------------------------
    def describe(self, sink: SqlSink, query: SinkQuery, judgement: Judgement) -> str:
        """ "SQL passed to cursor.execute() comes from `sql`, built on line 31 with an f-string"."""
        shape = judgement.shape
        assert shape is not None
        how = " and ".join(shape.how) or "string building"
        what = "an SQL fragment passed to" if sink.kind == "django-extra" else "SQL passed to"
        if shape.via:
            variable, line = shape.via[-1]
            if isinstance(query.expr, ast.Name) and query.expr.id == variable:
                return (
                    f"{what} {sink.name}() comes from `{variable}`, built on line {line} with {how}"
                )
            return f"{what} {sink.name}() is built (through `{variable}`, line {line}) with {how}"
        return f"{what} {sink.name}() is built with {how}"

    def confidence_for(self, placements: list[Placement]) -> Confidence:
        for placement in placements:
            if placement.hole.widened:
                continue  # it stands for many values; where they land was not read one by one
            if from_caller_or_request(self.walker, placement.hole.node):
                return Confidence.HIGH
        return Confidence.MEDIUM

    def trace_for(self, call: ast.Call, sink: SqlSink, placements: list[Placement]) -> tuple:
        shape_vars = [p.hole for p in placements if p.hole.node is not None]
        steps: list[TraceStep] = []
        for hole in shape_vars[:3]:
            node = hole.node
            steps.append(
                TraceStep(
                    "step",
                    self.walker.path,
                    getattr(node, "lineno", 0),
                    getattr(node, "col_offset", 0),
                    f"`{hole.source(self.walker)}` inserted into the SQL text",
                )
            )
        steps.append(
            TraceStep("sink", self.walker.path, call.lineno, call.col_offset, f"{sink.name}()")
        )
        return tuple(steps)


def quote_list(walker: Walker, placements: list[Placement], limit: int = 3) -> str:
    seen: list[str] = []
    for placement in placements:
        source = placement.hole.source(walker)
        if source not in seen:
            seen.append(source)
    text = ", ".join(f"`{s}`" for s in seen[:limit])
    return text + (" and more" if len(seen) > limit else "")


def _detail(sink: SqlSink, verdict: str) -> str:
    phrases = {
        "constant": "a constant query",
        "parameterised": "a constant query with bound parameters",
        "composed": "a constant template composed with sql.Identifier / sql.Literal",
        "placeholder-list": "a query whose only inserted parts are placeholder lists",
        "safe-interpolation": "a query whose inserted parts are numbers, quoted or allow-listed names, or constants",
        "flagged": "a query with non-constant values in its text",
        "identifier-flagged": "a query with non-constant table or column names",
        "unresolved": "a query that is not built in this function",
    }
    return f"{sink.name}() with {phrases.get(verdict, verdict)}"


_REQUEST_ROOTS = frozenset({"request", "req", "flask.request", "bottle.request"})


def _root(node: ast.AST | None) -> ast.Name | None:
    """The name an attribute, subscript or method chain starts from (`request` of
    `request.args["q"].strip()`); None when a plain call or another expression starts it."""
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call | ast.Starred):
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Attribute):
                return None
            node = node.func.value
        else:
            node = node.value
    return node if isinstance(node, ast.Name) else None


def from_request(walker: Walker, node: ast.AST | None) -> bool:
    """Is the inserted value read from the request (`request.args["sort"]`, `req.GET.get(...)`)?"""
    root = _root(node)
    return root is not None and (
        root.id in _REQUEST_ROOTS or walker.qualname(root) in _REQUEST_ROOTS
    )


def comes_from_outside(walker: Walker, node: ast.AST | None) -> bool:
    """Does the inserted value read a parameter of the function or the request anywhere in it
    (`name`, `"'%s'" % s for s in states`, `request.args["q"].strip()`)?"""
    pending: list[ast.AST] = [node] if node is not None else []
    while pending:
        inner = pending.pop()
        if isinstance(inner, ast.Attribute) and inner.attr in _SCHEMA_ATTRS:
            continue  # `model._meta.db_table`: the model's metadata, whatever the model
        if isinstance(inner, ast.Name) and inner.id not in ("self", "cls"):
            if inner.id in _REQUEST_ROOTS or walker.qualname(inner) in _REQUEST_ROOTS:
                return True
            binding = walker.names.lookup(inner.id)
            if binding is not None and binding.kind is BindingKind.PARAMETER:
                return True
        pending.extend(ast.iter_child_nodes(inner))
    return False


def from_caller_or_request(walker: Walker, node: ast.AST | None) -> bool:
    """Is the inserted value a parameter of the function, or read from the request?"""
    root = _root(node)
    if root is None or root.id in ("self", "cls"):
        return False
    if root.id in _REQUEST_ROOTS or walker.qualname(root) in _REQUEST_ROOTS:
        return True
    binding = walker.names.lookup(root.id)
    return binding is not None and binding.kind is BindingKind.PARAMETER


# -- the mechanical fix: values become query parameters ----------------------------------------

_QMARK_DRIVERS = frozenset({"sqlite3", "aiosqlite"})
_FORMAT_DRIVERS = frozenset({"psycopg2", "psycopg", "pymysql", "MySQLdb", "mysql", "django"})


# Where a hole can simply become a placeholder: a comparison operand or a whole string literal.
_BINDABLE = frozenset(
    {"a quoted string", "=", "<", ">", "<>", "!=", "<=", ">=", "LIKE", "ILIKE", "IN (...)"}
    | {"VALUES (...)"}
)


def parameter_fix(walker: Walker, call: ast.Call, sink: SqlSink, judgement: Judgement) -> Fix:
    words = Fix(
        "pass the inserted values as query parameters instead of building the SQL text: "
        'cursor.execute("... WHERE name = %s", (name,)) (the placeholder is ?, %s or :name '
        "depending on the driver)"
    )
    style = _paramstyle(walker)
    shape = judgement.shape
    if (
        style is None
        or shape is None
        or shape.via
        or sink.kind != "dbapi"
        or not isinstance(call.func, ast.Attribute)
        or call.func.attr != "execute"
        or len(call.args) != 1
        or call.keywords
        or len(judgement.placements) != len(shape.holes)
        or any(p.context not in _BINDABLE for p in judgement.placements)
    ):
        return words
    text = ""
    params: list[str] = []
    segments = list(shape.segments)
    for index, segment in enumerate(segments):
        if isinstance(segment, str):
            if style == "?" and "?" in segment:
                return words
            text += segment.replace("%", "%%") if style == "%s" else segment
            continue
        if not segment.exact or segment.node is None:
            return words
        following = segments[index + 1] if index + 1 < len(segments) else ""
        if text.count("'") % 2:
            if not (
                text.endswith("'") and isinstance(following, str) and following.startswith("'")
            ):
                return words
            text = text[:-1]
            segments[index + 1] = following[1:]
        text += style
        params.append(walker.segment(segment.node))
    if any(not (ch.isprintable() or ch == "\n") for ch in text):
        return words
    if "\n" in text:
        body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        if body.endswith('"'):
            body = body[:-1] + '\\"'
        literal = f'"""{body}"""'
    else:
        literal = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    bound = f"({params[0]},)" if len(params) == 1 else f"({', '.join(params)})"
    replacement = f"{walker.segment(call.func)}({literal}, {bound})"
    try:
        ast.parse(replacement, mode="eval")
    except SyntaxError:
        return words
    driver = "sqlite3" if style == "?" else "the driver"
    return walker.replace_fix(
        call,
        replacement,
        f"pass the values as query parameters ({style} placeholders for {driver})",
    )


def _paramstyle(walker: Walker) -> str | None:
    hints = walker.framework_hints
    qmark = bool(hints & _QMARK_DRIVERS)
    fmt = bool(hints & _FORMAT_DRIVERS)
    if "sqlalchemy" in hints or qmark == fmt:
        return None
    return "?" if qmark else "%s"
