"""What the SQL injection rules share: which calls run SQL, and where a query's holes land.

How the query text was built comes from the engine's string shapes (`engine/strings.py`),
asked in the SQL dialect: its escapers (`quote_name`), its placeholder lists and model
metadata, and the `text()` / `sql.SQL()` objects a name can hold. `judge_query` says whether
the text is constant, parameterised, or built from non-constant parts, and where in the SQL
each non-constant part lands (a value or a name).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from secreview.engine.strings import (
    CONSTANT,
    DOUBLED_DOUBLE,
    ESCAPED,
    FOLLOWED_NODES,
    LIST_MUTATORS,
    Dialect,
    Hole,
    LocalStrings,
    Shape,
    StringTracker,
    decompose,
    local_const,
    make_shape,
    only_return,
    tracker,
)
from secreview.findings import Confidence, Finding, Fix, TraceStep
from secreview.parsing.names import BindingKind
from secreview.rules.base import Rule, leaves_of
from secreview.rules.common import short_source, source_may_name

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# SQL's own kinds of holes, besides the engine's.
PLACEHOLDERS = "placeholders"  # ",".join("?" * len(ids))
SCHEMA = "schema-metadata"  # Model._meta.db_table, Model.__tablename__


class SqlObject:
    """A name bound to a `text(...)` / `sql.SQL(...)` object: that call is the sink."""


SQL_OBJECT = SqlObject()

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


class SqlDialect(Dialect):
    """SQL text: quoted names and literals, placeholder lists, model metadata, and the
    `text()` / `sql.SQL()` objects a local variable can hold."""

    calls = (
        frozenset({"text", "bindparams", "columns", "SQL", "Composed", "Identifier", "Literal"})
        | _ESCAPERS
    )

    def classify(self, walker: Walker, local: LocalStrings, expr: ast.expr) -> str | None:
        if is_placeholder_expr(walker, expr):
            return PLACEHOLDERS
        if isinstance(expr, ast.Call):
            last = (
                expr.func.attr
                if isinstance(expr.func, ast.Attribute)
                else (walker.call_name(expr) or "")
            )
            if last.rpartition(".")[2] in _ESCAPERS:
                return ESCAPED
            return None
        chain = expr
        while isinstance(chain, ast.Attribute | ast.Subscript):
            if isinstance(chain, ast.Attribute) and chain.attr in _SCHEMA_ATTRS:
                return SCHEMA
            chain = chain.value
        match expr:
            case ast.Attribute(
                attr="column", value=ast.Name(id=owner) | ast.Attribute(attr=owner)
            ) if owner.endswith("field"):
                return SCHEMA  # a model field's column name: `field.column`, `new_field.column`
        return None

    def track(self, walker: Walker, local: LocalStrings, value: ast.expr) -> object | None:
        return SQL_OBJECT if is_sql_object(walker, local, value) else None


SQL = SqlDialect()


def is_placeholder_expr(walker: Walker, expr: ast.expr, depth: int = 0) -> bool:
    """`",".join("?" * len(ids))`, `", ".join(["%s"] * n)`, `("?," * n)[:-1]` and the like,
    or a call of a function of the module that returns nothing else (`placeholders(ids)`)."""
    match expr:
        case ast.Call(func=ast.Name(id=name), args=[_], keywords=[]) if depth < 2:
            returned = only_return(walker, name)
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
    value = local_const(walker, local, query)
    if isinstance(value, str | bytes):
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        return Judgement("constant", make_shape(text))
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
# Every call the SQL rules act on: the sinks (async driver methods whatever the module imports;
# `find_sink` checks the imports) and the list mutations `LocalStrings` follows.
SQL_CALL_LEAVES = _SINK_NAMES | frozenset().union(*ASYNC_DRIVER_METHODS.values()) | LIST_MUTATORS
# The names a sink call of a module is made by: without one of them in the source, no call the
# SQL rules see can be a sink, and the strings they would track are never judged.
_SINK_WORDS = tuple(sorted(SQL_CALL_LEAVES - LIST_MUTATORS))


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

    strings: StringTracker
    node: ast.AST | None = None  # the last node handled
    # For `node` when it is a call: its sink and the (query, judgement, verdict) to act on.
    sink: SqlSink | None = None
    judged: list[tuple[SinkQuery, Judgement, str]] = field(default_factory=list)


class SqlSinkRule(Rule):
    """Finds SQL sinks and judges their query; subclasses decide which verdicts they report."""

    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call, *FOLLOWED_NODES)
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
            state = self.walker.shared[_WalkState] = _WalkState(tracker(self.walker, SQL))
        self._state = state
        self._examines = self.id == self.examiner_id or not any(
            r.id == self.examiner_id for r in self.walker.rules
        )

    @property
    def local(self) -> LocalStrings:
        return self._state.strings.local(self.walker)

    def check(self, node: ast.AST) -> None:
        state = self._state
        if state.node is node:  # the other SQL rule did the work
            if node.__class__ is ast.Call:
                self._act(node, state)  # type: ignore[arg-type]
            return
        state.node = node
        if node.__class__ is ast.Call:
            self._check_call(node, state)  # type: ignore[arg-type]
        else:
            state.strings.follow(self.walker, node)

    def _check_call(self, call: ast.Call, state: _WalkState) -> None:
        walker = self.walker
        local = self.local
        state.sink = None
        state.judged = []
        if isinstance(call.func, ast.Attribute) and call.func.attr in LIST_MUTATORS:
            state.strings.follow(walker, call)
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
                finding = self.report_query(call, sink, query, judgement)
                # Withdrawn after data flow if the engine proves the text constant there (a
                # branch a constant decides, a helper returning a literal).
                walker.unless_constant(
                    finding, [(call, query.expr)], (89, "sql-execution", _detail(sink, "constant"))
                )

    def report_query(
        self, call: ast.Call, sink: SqlSink, query: SinkQuery, judgement: Judgement
    ) -> Finding | None:
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
