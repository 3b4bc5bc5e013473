"""String shapes: which parts of a built string are constant text and which are holes.

A shape is the literal text of a string expression with the non-constant parts left as holes,
in order: `f"SELECT * FROM t WHERE id = {x}"` is the text `SELECT * FROM t WHERE id = ` and
one hole for `x`. Each hole has a kind that says what can stand in it: anything (untrusted), a
number (`%d`, `int(x)`), a value chosen from a dict of constant strings, a constant whose text
is not known here, or a value escaped by one of the escapers the asking rule family names.
`decompose` takes f-strings, `%` (positional, a tuple, a dict with `%(name)s`), `+`,
`str.format()`, `str.join()`, `strip()` and `textwrap.dedent()` apart, and follows the local
variables a function assigned, through `LocalStrings`.

The analysis knows no target language. A rule family describes its own with a `Dialect`: the
calls that escape a value for it (`quote_name` for SQL, `shlex.quote` for a shell), its own
hole kinds (SQL placeholder lists) and objects it follows by name (a SQLAlchemy `text()`).
Where a hole lands in the text (a SQL value or a name, a shell word inside quotes or not) is
the family's question, answered from the shape.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from secreview.parsing.names import NOT_CONSTANT, BindingKind

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# -- the shape of a built string ------------------------------------------------------------

UNTRUSTED = "non-constant"
# Hole kinds that cannot change the structure of the text (dialects add their own).
NUMERIC = "numeric"  # %d, {:d}, int(x), len(x)
# Escaped by one of the dialect's escapers: quote_name(x) for SQL, shlex.quote(x) for a shell.
ESCAPED = "escaped"
FRAGMENTS = "constant-fragments"  # " AND ".join(clauses), every clause a constant
# x.replace('"', '""'): a hand-quoted identifier, safe inside "..." only. (Doubling single
# quotes in values is not trusted: MySQL's backslash escapes undo it, and parameters are better.)
DOUBLED_DOUBLE = 'doubled-"'
ALLOW_LISTED = "allow-listed"  # SORT_COLUMNS[key], a dict literal of constant strings
CONSTANT = "constant"  # a constant whose text is not known here (e.g. {0.attr} of a constant)


# Bounds on a built string's shape, so that a string built over thousands of statements costs
# time and memory in proportion to them: past MAX_SEGMENTS literal parts and holes, the rest
# of the text becomes one widened hole (untrusted if any part of it was), and a shape names
# only the last MAX_VIA variables it came through (messages name the last one).
MAX_SEGMENTS = 512
MAX_VIA = 16


@dataclass(frozen=True, slots=True)
class Hole:
    """A part of the text that is not a literal in the source."""

    node: ast.AST | None
    kind: str = UNTRUSTED
    # True when `node` is exactly the value inserted (so it can become, e.g., a query parameter).
    exact: bool = True
    widened: bool = False  # it stands for the tail of a shape cut at MAX_SEGMENTS

    @property
    def untrusted(self) -> bool:
        return self.kind == UNTRUSTED

    def source(self, walker: Walker) -> str:
        """Source text for messages (computed only when a message needs it)."""
        return short_text(walker.segment(self.node), 50) if self.node is not None else "?"


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


def make_shape(*segments: Segment, how: tuple[str, ...] = ()) -> Shape:
    return Shape(merge(segments), how)


def concat(shapes: list[Shape], how: str = "") -> Shape:
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
    return Shape(bounded(segments), tuple(hows), tuple(via)[-MAX_VIA:])


def merge(segments: tuple[Segment, ...] | list[Segment]) -> tuple[Segment, ...]:
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
    return bounded(out)


def bounded(segments: list[Segment]) -> tuple[Segment, ...]:
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


@dataclass(slots=True)
class StringList:
    """A list literal of constant strings (`clauses = []`) that only ever gets constants."""

    clean: bool = True


@dataclass(frozen=True, slots=True)
class NameMap:
    """A dict literal of constant strings: looking a key up in it is choosing from an allow-list."""


NAME_MAP = NameMap()

# Calls whose result `_track` may have something to say about (a dialect adds its escapers).
TRACKED_CALLS = frozenset(
    {
        "format",
        "join",
        "strip",
        "rstrip",
        "lstrip",
        "dedent",
        "replace",
        "get",
        "int",
        "float",
        "len",
        "bool",
        "round",
        "abs",
        "floor",
        "ceil",
        "repeat",
    }
)


# A Shape, a StringList, the NAME_MAP, or an object of a dialect (`Dialect.track`).
Tracked = object


class Dialect:
    """What a family of sinks adds to the general analysis (one instance per family).

    `classify` names the family's own kinds of holes, among them ESCAPED for the calls that
    escape a value for its language, and is asked before the general kinds; `track` names
    the family's objects a local variable can hold (a SQL `text()`); `calls` are the last
    names of the calls whose results `classify` or `track` know, so that assignments of
    them are followed.
    """

    calls: frozenset[str] = frozenset()

    def __init__(self) -> None:
        self.tracked_calls = TRACKED_CALLS | self.calls

    def classify(self, walker: Walker, local: LocalStrings, expr: ast.expr) -> str | None:
        return None

    def track(self, walker: Walker, local: LocalStrings, value: ast.expr) -> object | None:
        return None


PLAIN = Dialect()  # no escapers, no kinds of its own


@dataclass(slots=True)
class LocalStrings:
    """What the assignments of one function (or the module body) made of its names."""

    names: dict[str, Tracked] = field(default_factory=dict)
    module: LocalStrings | None = None  # the module body's, for module-level allow-lists
    dialect: Dialect = PLAIN

    def lookup(self, name: str) -> Tracked | None:
        found = self.names.get(name)
        if found is None and self.module is not None:
            found = self.module.names.get(name)
            return found if isinstance(found, NameMap) else None
        return found

    def assign(self, walker: Walker, target: ast.expr, value: ast.expr | None) -> None:
        if not isinstance(target, ast.Name):
            for name in target_names(target):
                self.names.pop(name, None)
            self._store_into(walker, target, value)
            return
        name = target.id
        tracked = self._track(walker, value, name) if value is not None else None
        if tracked is None:
            self.names.pop(name, None)
        else:
            self.names[name] = tracked

    def _store_into(self, walker: Walker, target: ast.expr, value: ast.expr | None) -> None:
        """`opts[0] = x`, `names[key] = x`: a tracked list or dict of constant strings stays
        one only when `x` is a constant string (or, for a slice, constant strings)."""
        pending = [(target, value)]
        while pending:
            item, stored = pending.pop()
            if isinstance(item, ast.Tuple | ast.List):
                pending.extend((element, None) for element in item.elts)
            elif isinstance(item, ast.Starred):
                pending.append((item.value, None))
            elif isinstance(item, ast.Subscript) and isinstance(item.value, ast.Name):
                owner = item.value.id
                tracked = self.names.get(owner)
                constant = stored is not None and (
                    is_constant_str(walker, stored) or constant_strings(walker, stored)
                )
                if isinstance(tracked, StringList):
                    tracked.clean = tracked.clean and constant
                elif tracked is NAME_MAP and not constant:
                    del self.names[owner]

    def augment(self, walker: Walker, node: ast.AugAssign) -> None:
        if not isinstance(node.target, ast.Name):
            return
        name = node.target.id
        previous = self.names.get(name)
        if not isinstance(node.op, ast.Add):
            self.names.pop(name, None)
            return
        if isinstance(previous, StringList):
            previous.clean = previous.clean and constant_strings(walker, node.value)
            return
        if is_local_const(walker, self, node.target) and is_local_const(walker, self, node.value):
            self.names.pop(name, None)  # the walker folds it to a constant
            return
        before = decompose(walker, self, node.target)
        if before is None:
            before = make_shape(make_hole(walker, node.target))
        added = decompose(walker, self, node.value) or hole_shape(walker, self, node.value)
        combined = concat([before, added], "string concatenation")
        self.names[name] = with_via(combined, name, node.lineno)

    def mutate_list(self, walker: Walker, call: ast.Call) -> None:
        """`clauses.append(...)` / `.extend(...)` / `.insert(i, ...)` on a tracked list."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return
        tracked = self.names.get(func.value.id)
        if not isinstance(tracked, StringList) or not tracked.clean:
            return
        if func.attr == "append" and len(call.args) == 1:
            tracked.clean = is_constant_str(walker, call.args[0])
        elif func.attr == "insert" and len(call.args) == 2:
            tracked.clean = is_constant_str(walker, call.args[1])
        elif func.attr == "extend" and len(call.args) == 1:
            tracked.clean = constant_strings(walker, call.args[0])

    def loop(self, walker: Walker, node: ast.For | ast.AsyncFor) -> None:
        """`for table in TABLES:` over a constant binds a constant-derived name."""
        if isinstance(node.target, ast.Name) and walker.is_constant(node.iter):
            hole = Hole(node.target, CONSTANT)
            self.names[node.target.id] = Shape((hole,))
            return
        for name in target_names(node.target):
            self.names.pop(name, None)

    def _track(self, walker: Walker, value: ast.expr, name: str) -> Tracked | None:
        match value:
            case ast.Constant() | ast.Lambda() | ast.Await() | ast.Compare() | ast.BoolOp():
                return None
            case ast.Name(id=other):
                tracked = self.names.get(other)
                return None if isinstance(tracked, StringList | NameMap) else tracked
            case ast.Call(func=ast.Attribute(attr=called) | ast.Name(id=called)):
                if called not in self.dialect.tracked_calls:
                    return None  # most calls: nothing this module can say about the result
            case ast.Call():
                return None
        if isinstance(value, ast.List):
            return StringList(constant_strings(walker, value))
        if isinstance(value, ast.Dict) and value.values:
            if all(is_constant_str(walker, v) for v in value.values):
                return NAME_MAP
            return None
        if local_const(walker, self, value) is not NOT_CONSTANT:
            return None  # the walker's own bindings know constants
        found = self.dialect.track(walker, self, value)
        if found is not None:
            return found
        if not is_string_building(value):
            kind = classify_hole(walker, self, value)
            # `table = Model._meta.db_table`, `limit = int(...)`: safe to insert later.
            return make_shape(make_hole(walker, value, kind)) if kind != UNTRUSTED else None
        shape = decompose(walker, self, value)
        return with_via(shape, name, value.lineno) if shape is not None else None


@dataclass(slots=True)
class StringTracker:
    """One walk's local strings for one dialect, function by function.

    The rules of a family feed it the assignments, loops and list mutations they subscribe
    to; each node is followed once, by whichever rule sees it first.
    """

    dialect: Dialect
    locals: dict[ast.AST | None, LocalStrings] = field(default_factory=dict)
    last: ast.AST | None = None  # the last node followed
    # The scope the walk stood in when `current` was looked up (a scope always belongs to the
    # same function), to skip `walker.function` while the walk stays in it.
    scope: object = None
    current: LocalStrings | None = None

    def local(self, walker: Walker) -> LocalStrings:
        """The strings of the function (or module body) the walk stands in."""
        scope = walker.names.stack[-1]
        if scope is self.scope and self.current is not None:
            return self.current
        key = walker.function
        locals_ = self.locals
        found = locals_.get(key)
        if found is None:
            module = locals_.get(None)
            if module is None:
                module = locals_[None] = LocalStrings(dialect=self.dialect)
            found = module if key is None else LocalStrings(module=module, dialect=self.dialect)
            locals_[key] = found
        self.scope, self.current = scope, found
        return found

    def follow(self, walker: Walker, node: ast.AST) -> None:
        """An assignment, a `for` loop or a list mutation (`clauses.append(x)`), once."""
        if node is self.last:
            return
        self.last = node
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self.local(walker).assign(
                    walker, target, node.value if len(node.targets) == 1 else None
                )
        elif isinstance(node, ast.AnnAssign):
            self.local(walker).assign(walker, node.target, node.value)
        elif isinstance(node, ast.AugAssign):
            self.local(walker).augment(walker, node)
        elif isinstance(node, ast.For | ast.AsyncFor):
            self.local(walker).loop(walker, node)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) in LIST_MUTATORS:
            self.local(walker).mutate_list(walker, node)


# The node types a tracker follows, and the methods of the lists it follows.
FOLLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Assign,
    ast.AnnAssign,
    ast.AugAssign,
    ast.For,
    ast.AsyncFor,
)
LIST_MUTATORS = frozenset({"append", "extend", "insert"})


def tracker(walker: Walker, dialect: Dialect) -> StringTracker:
    """The walk's tracker for `dialect` (made on first use, shared by the family's rules)."""
    found = walker.shared.get(type(dialect))
    if found is None:
        found = walker.shared[type(dialect)] = StringTracker(dialect)
    return found


def with_via(shape: Shape, name: str, line: int) -> Shape:
    return Shape(shape.segments, shape.how, (*shape.via[1 - MAX_VIA :], (name, line)))


def target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [n for e in target.elts for n in target_names(e)]
    if isinstance(target, ast.Starred):
        return target_names(target.value)
    return []


def is_constant_str(walker: Walker, expr: ast.expr) -> bool:
    return isinstance(walker.const_value(expr), str)


def constant_strings(walker: Walker, expr: ast.expr) -> bool:
    if isinstance(expr, ast.List | ast.Tuple):
        return all(is_constant_str(walker, e) for e in expr.elts)
    value = walker.const_value(expr)
    return isinstance(value, tuple) and all(isinstance(v, str) for v in value)


def local_const(walker: Walker, local: LocalStrings, expr: ast.expr | None) -> object:
    """`walker.const_value`, except for lists that were appended to after their literal.

    The walker folds `clauses = ["1=1"]` to a constant tuple and does not see
    `clauses.append(...)`, so an expression that mentions a tracked list is not constant.
    """
    if expr is not None and _mentions_list(local, expr, 0):
        return NOT_CONSTANT
    return walker.const_value(expr)


def is_local_const(walker: Walker, local: LocalStrings, expr: ast.expr | None) -> bool:
    return local_const(walker, local, expr) is not NOT_CONSTANT


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


def is_string_building(expr: ast.expr) -> bool:
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


def decompose(walker: Walker, local: LocalStrings, expr: ast.expr, depth: int = 0) -> Shape | None:
    """The literal text and holes of a string expression, or None when it is not visible here."""
    if depth > 16:
        return None
    value = local_const(walker, local, expr)
    if value is not NOT_CONSTANT:
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        return make_shape(value) if isinstance(value, str) else None
    match expr:
        case ast.Name(id=name):
            tracked = local.names.get(name)
            return tracked if isinstance(tracked, Shape) else None
        case ast.JoinedStr(values=values):
            parts: list[Shape] = []
            for part in values:
                if isinstance(part, ast.Constant):
                    parts.append(make_shape(str(part.value)))
                elif isinstance(part, ast.FormattedValue):
                    spec = walker.const_value(part.format_spec) if part.format_spec else ""
                    parts.append(
                        hole_shape(
                            walker,
                            local,
                            part.value,
                            spec if isinstance(spec, str) else None,
                            part.conversion,
                            depth,
                        )
                    )
            return concat(parts, "an f-string")
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


def make_hole(walker: Walker, expr: ast.AST, kind: str = UNTRUSTED, exact: bool = True) -> Hole:
    return Hole(expr, kind, exact)


def hole_shape(
    walker: Walker,
    local: LocalStrings,
    expr: ast.expr,
    spec: str | None = None,
    conversion: int = -1,
    depth: int = 0,
) -> Shape:
    """What inserting `expr` into the text contributes: its text if known, else a hole."""
    value = local_const(walker, local, expr)
    if value is not NOT_CONSTANT:
        try:
            text = repr(value) if conversion == ord("r") else format(value, spec or "")
        except (TypeError, ValueError):
            return make_shape(Hole(expr, CONSTANT))
        return make_shape(text)
    if spec and spec.strip() and spec.strip()[-1] in "bcdoxXneEfFgG%":
        return make_shape(make_hole(walker, expr, NUMERIC))
    if is_string_building(expr) or (
        isinstance(expr, ast.Name) and isinstance(local.names.get(expr.id), Shape)
    ):
        inner = decompose(walker, local, expr, depth + 1)
        if inner is not None:
            return inner
    # A format spec or !r/!s changes the text, so the value alone would not be the same.
    exact = not spec and conversion == -1
    return make_shape(make_hole(walker, expr, classify_hole(walker, local, expr), exact))


def classify_hole(walker: Walker, local: LocalStrings, expr: ast.expr) -> str:
    """The kind of a non-constant inserted value: untrusted unless it cannot carry syntax.

    The dialect's own kinds (its escapers, SQL placeholder lists) are asked first.
    """
    kind = local.dialect.classify(walker, local, expr)
    if kind is not None:
        return kind
    if isinstance(expr, ast.Call):
        if walker.call_name(expr) in _NUMERIC_CALLS:
            return NUMERIC
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
        ) if local.lookup(mapping) is NAME_MAP and is_constant_str(walker, default):
            return ALLOW_LISTED
        case ast.Subscript(
            value=ast.Attribute(value=ast.Name(id="self" | "cls"), attr=attribute)
        ) if class_table(walker, attribute):
            # self._standard_operators["contains"]: a table of constants on the class
            return ALLOW_LISTED
    return UNTRUSTED


def class_table(walker: Walker, attribute: str) -> bool:
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
                    return bool(values) and all(is_constant_str(walker, v) for v in values)
            return False
    return False


def only_return(walker: Walker, name: str) -> ast.expr | None:
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


def _percent(walker: Walker, local: LocalStrings, expr: ast.BinOp, depth: int) -> Shape | None:
    template = decompose(walker, local, expr.left, depth + 1)
    right = expr.right
    if template is None:
        if is_local_const(walker, local, right) or not _looks_textual(walker, local, expr.left):
            return None
        arguments = _arguments(walker, local, right, depth)
        if arguments is not None:
            # A template this function does not show (`self.sql_delete_table`, a class
            # attribute of the schema editor): each argument is judged on its own, so quoted
            # names, numbers and constants cannot change the statement whatever the template.
            return arguments
        return make_shape(make_hole(walker, right, exact=False), how=("% formatting",))
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
            parts.append(make_shape(segment))
            continue
        last = 0
        for match in _PERCENT.finditer(segment):
            parts.append(make_shape(segment[last : match.start()]))
            last = match.end()
            conv = match.group("conv")
            if conv == "%":
                parts.append(make_shape("%"))
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
                parts.append(make_shape(make_hole(walker, right, exact=False)))
            elif conv in _NUMERIC_CONVERSIONS and not is_local_const(walker, local, arg):
                parts.append(make_shape(make_hole(walker, arg, NUMERIC)))
            else:
                inserted = hole_shape(walker, local, arg, None, ord("r") if conv == "r" else -1)
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
        parts.append(make_shape(segment[last:]))
    return concat([template_prefix(template), *parts], "% formatting")


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
        for segment in hole_shape(walker, local, value, depth=depth + 1).segments:
            if isinstance(segment, Hole):
                holes.append(Hole(segment.node, segment.kind, False, segment.widened))
    if len(values) == 1 and any(h.kind == UNTRUSTED for h in holes):
        return None
    # Only the holes: the constant text of an argument says nothing without its template.
    return make_shape(*holes, how=("% formatting",)) if holes else make_shape("")


def template_prefix(template: Shape) -> Shape:
    """How and via of the template, without its text (the parts carry the text)."""
    return Shape((), template.how, template.via)


def _looks_textual(walker: Walker, local: LocalStrings, expr: ast.expr) -> bool:
    """Could `expr` be a string template? False for plain numbers (`x % 2`)."""
    value = walker.const_value(expr)
    if value is not NOT_CONSTANT:
        return isinstance(value, str | bytes)
    return not isinstance(expr, ast.BinOp) or isinstance(expr.op, ast.Add | ast.Mod)


def added_operands(expr: ast.expr) -> list[ast.expr]:
    """The operands of a chain of `+` in source order, however it is bracketed:
    `a + (b + c) + d` gives [a, b, c, d]."""
    operands: list[ast.expr] = []
    stack: list[ast.expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            stack.extend((node.right, node.left))
        else:
            operands.append(node)
    return operands


def _addition(walker: Walker, local: LocalStrings, expr: ast.BinOp, depth: int) -> Shape | None:
    operands = added_operands(expr)
    parts: list[Shape] = []
    textual = False
    for operand in operands:
        value = local_const(walker, local, operand)
        if value is not NOT_CONSTANT:
            if not isinstance(value, str):
                return None
            parts.append(make_shape(value))
            textual = True
            continue
        inner = decompose(walker, local, operand, depth + 1)
        if inner is not None:
            parts.append(inner)
            textual = True
        else:
            parts.append(
                make_shape(make_hole(walker, operand, classify_hole(walker, local, operand)))
            )
    if not textual:
        return None
    return concat(parts, "string concatenation")


def _format(
    walker: Walker, local: LocalStrings, call: ast.Call, template_expr: ast.expr, depth: int
) -> Shape | None:
    template = decompose(walker, local, template_expr, depth + 1)
    values = [*call.args, *(k.value for k in call.keywords)]
    if template is None:
        if all(is_local_const(walker, local, v) for v in values):
            return None
        if not _looks_textual(walker, local, template_expr) or isinstance(template_expr, ast.Call):
            return None  # e.g. sql.SQL(...).format(...): not str.format
        nonconstant = [v for v in values if not is_local_const(walker, local, v)]
        return make_shape(make_hole(walker, nonconstant[0], exact=False), how=("str.format()",))
    starred = any(isinstance(a, ast.Starred) for a in call.args)
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    opaque_kw = next((k.value for k in call.keywords if k.arg is None), None)
    parts: list[Shape] = [template_prefix(template)]
    auto = 0
    formatter = string.Formatter()
    for segment in template.segments:
        if isinstance(segment, Hole):
            parts.append(make_shape(segment))
            continue
        try:
            pieces = list(formatter.parse(segment))
        except ValueError:
            return make_shape(make_hole(walker, call, exact=False), how=("str.format()",))
        for literal, field_name, spec, conversion in pieces:
            parts.append(make_shape(literal))
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
                parts.append(make_shape(make_hole(walker, opaque, exact=False)))
                continue
            if rest:
                kind = CONSTANT if is_local_const(walker, local, arg) else UNTRUSTED
                parts.append(make_shape(make_hole(walker, arg, kind, exact=False)))
                continue
            conv = ord(conversion) if conversion else -1
            clean_spec = spec if spec and "{" not in spec else None
            parts.append(hole_shape(walker, local, arg, clean_spec, conv, depth))
    return concat(parts, "str.format()")


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
                parts.append(make_shape(sep))
            parts.append(
                decompose(walker, local, item, depth + 1)
                or make_shape(make_hole(walker, item, classify_hole(walker, local, item)))
            )
        return concat(parts, "str.join()")
    kind = classify_hole(walker, local, call)
    return make_shape(
        make_hole(walker, call if kind != UNTRUSTED else items, kind), how=("str.join()",)
    )


def short_text(text: str, limit: int = 60) -> str:
    """`text` on one line, cut to `limit` characters (for messages)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
