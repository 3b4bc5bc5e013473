"""Helpers shared by the deserialization, xxe, cleartext and tls rules.

Where a value came from (a constant, a file shipped with the package, request data), what a
local name or `self.attr` was assigned, and small source edits for mechanical fixes. Nothing
here walks the tree: assignments are noted as the walker reaches them, and expressions are
followed through their direct children only.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, ClassVar

from secreview.findings import Edit
from secreview.parsing.names import NOT_CONSTANT
from secreview.rules.base import Rule

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

MAX_DEPTH = 8

# Calls that return a path when all their arguments are fixed paths.
_PATH_BUILDERS = frozenset(
    {
        "os.path.join",
        "os.path.dirname",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "os.path.expanduser",
        "posixpath.join",
        "ntpath.join",
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
        "pathlib.PurePosixPath",
        "importlib.resources.files",
    }
)
# Methods of a fixed `Path` that give another fixed path.
_PATH_METHODS = frozenset(
    {"resolve", "absolute", "joinpath", "with_suffix", "with_name", "expanduser"}
)
_PATH_ATTRS = frozenset({"parent", "parents"})
# Calls that open (or read) the file named by their first argument.
_OPENERS = frozenset(
    {
        "open",
        "io.open",
        "codecs.open",
        "gzip.open",
        "bz2.open",
        "lzma.open",
        "gzip.GzipFile",
        "bz2.BZ2File",
    }
)
_PATH_READERS = frozenset({"open", "read_bytes", "read_text"})
# Calls that return the bytes of a package resource.
_RESOURCE_READERS = frozenset(
    {
        "pkgutil.get_data",
        "importlib.resources.read_binary",
        "importlib.resources.read_text",
        "importlib.resources.open_binary",
        "importlib.resources.open_text",
        "pkg_resources.resource_string",
        "pkg_resources.resource_stream",
    }
)

# Where request data lives in the common web frameworks.
_REQUEST_ROOTS = frozenset({"request", "req", "flask.request", "bottle.request", "quart.request"})
_SOCKET_READS = frozenset({"recv", "recvfrom", "recv_into", "recvmsg", "makefile"})
# Transformations that keep the origin of their first argument.
_TRANSPARENT_CALLS = frozenset(
    {
        "base64.b64decode",
        "base64.urlsafe_b64decode",
        "base64.b85decode",
        "base64.decodebytes",
        "binascii.unhexlify",
        "binascii.a2b_base64",
        "bytes.fromhex",
        "codecs.decode",
        "zlib.decompress",
        "gzip.decompress",
        "bz2.decompress",
        "lzma.decompress",
        "io.BytesIO",
        "io.StringIO",
        "bytes",
        "str",
    }
)


class AssignedValues:
    """What simple targets were assigned, so `s = requests.Session(); s.get(...)` is followed.

    Local names are looked up through the walker's own bindings (so shadowing and rebinding
    are right); `self.x` / `cls.x` targets are kept per module under their source text.
    """

    def __init__(self, walker: Walker) -> None:
        self.walker = walker
        self._by_target: dict[ast.AST, ast.expr] = {}
        self._by_attribute: dict[str, ast.expr] = {}  # "<class id>:self.attr" -> value

    def note(self, node: ast.AST) -> None:
        """Record an Assign / AnnAssign / NamedExpr / withitem as the walker reaches it.

        Called once per node, by the one tracking rule of the walk that feeds this record.
        """
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._note_target(target, node.value)
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr):
            if node.value is not None:
                self._note_target(node.target, node.value)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            self._note_target(node.optional_vars, node.context_expr)

    def _note_target(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self._by_target[target] = value
            if self.walker.names.current.kind == "class":
                # A class attribute, read in methods as `self.NAME`.
                self._by_attribute[self._key("self", target.id)] = value
                self._by_attribute[self._key("cls", target.id)] = value
        elif isinstance(target, ast.Attribute) and _is_self_attribute(target):
            self._by_attribute[self._key(target.value.id, target.attr)] = value  # type: ignore[attr-defined]
        elif (
            isinstance(target, ast.Tuple | ast.List)
            and isinstance(value, ast.Tuple | ast.List)
            and len(target.elts) == len(value.elts)
        ):
            for inner_target, inner_value in zip(target.elts, value.elts, strict=True):
                self._note_target(inner_target, inner_value)

    def value_of(self, expr: ast.expr) -> ast.expr | None:
        """The expression `expr` (a name or `self.attr`) was last assigned from, if known."""
        if isinstance(expr, ast.Name):
            binding = self.walker.names.lookup(expr.id)
            if binding is not None and binding.node is not None:
                return self._by_target.get(binding.node)
            return None
        if isinstance(expr, ast.Attribute) and _is_self_attribute(expr):
            return self._by_attribute.get(self._key(expr.value.id, expr.attr))  # type: ignore[attr-defined]
        return None

    def _key(self, base: str, attr: str) -> str:
        """`self.attr` of the innermost enclosing class."""
        owner = next(
            (a for a in reversed(self.walker.ancestors) if isinstance(a, ast.ClassDef)), None
        )
        return f"{id(owner)}:{base}.{attr}"

    def resolve(self, expr: ast.expr) -> ast.expr:
        """Follow names to the expression they were assigned from (a few hops at most)."""
        for _ in range(MAX_DEPTH):
            value = self.value_of(expr)
            if value is None:
                return expr
            expr = value
        return expr

    def origin_call(self, expr: ast.expr) -> tuple[ast.Call, str] | None:
        """The call that made the object `expr` refers to, with its qualified name."""
        value = self.resolve(expr)
        if isinstance(value, ast.Call):
            name = self.walker.call_name(value)
            if name is not None:
                return value, name
        return None


def _is_self_attribute(expr: ast.Attribute) -> bool:
    return isinstance(expr.value, ast.Name) and expr.value.id in ("self", "cls")


# The nodes the shared record of assignments is fed from.
NOTED_TYPES: tuple[type[ast.AST], ...] = (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.withitem)


class TrackingRule(Rule):
    """A rule that sees calls and remembers assignments (no id: not registered itself).

    Subclasses implement `check_call`, and optionally `check_assign` for Assign / AnnAssign
    (then list those types in `judged_types`). They declare `call_leaves` like any rule: only
    `check_call` depends on it.

    The rules of a walk share one `AssignedValues`. The first tracking rule made for the walk
    feeds it and subscribes to every type of `NOTED_TYPES`; the others subscribe only to the
    ones they judge themselves (`judged_types`), so an assignment costs one `note()` and one
    method call per rule that looks at it, not one per tracking rule.
    """

    node_types = (ast.Call, *NOTED_TYPES)
    # The types of NOTED_TYPES this rule looks at itself (check_assign, or its own check()).
    judged_types: ClassVar[tuple[type[ast.AST], ...]] = ()

    def __init__(self, walker: Walker) -> None:
        super().__init__(walker)
        shared = walker.shared.get(AssignedValues)
        self.feeds = shared is None
        if shared is None:
            shared = walker.shared[AssignedValues] = AssignedValues(walker)
        self.values = shared
        if not self.feeds:
            # The walker subscribes the instance: the feeding rule alone gets the other
            # assignments. (Rules run in the order they are made, so the feeder has noted an
            # assignment before any other tracking rule looks at it.)
            self.node_types = tuple(  # type: ignore[misc]
                t for t in type(self).node_types if t not in NOTED_TYPES or t in self.judged_types
            )

    def check(self, node: ast.AST) -> None:
        if node.__class__ is ast.Call:
            self.check_call(node)  # type: ignore[arg-type]
            return
        if self.feeds:
            self.values.note(node)
        if node.__class__ is ast.Assign or node.__class__ is ast.AnnAssign:
            self.check_assign(node)  # type: ignore[arg-type]

    def check_call(self, node: ast.Call) -> None:
        raise NotImplementedError

    def check_assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        """Assignments, after they are noted (only for the types in `judged_types`)."""


# -- where data comes from ----------------------------------------------------------------------
def fixed_path(
    walker: Walker, values: AssignedValues, expr: ast.expr | None, depth: int = 0
) -> bool:
    """A path fixed by the code: a constant, or built from constants and `__file__`."""
    if expr is None or depth > MAX_DEPTH:
        return False
    value = walker.const_value(expr)
    if value is not NOT_CONSTANT:
        return isinstance(value, str | bytes)
    match expr:
        case ast.Name(id="__file__") if walker.names.lookup("__file__") is None:
            return True
        case ast.Name() | ast.Attribute() if values.value_of(expr) is not None:
            return fixed_path(walker, values, values.value_of(expr), depth + 1)
        case ast.Attribute(attr=attr, value=inner) if attr in _PATH_ATTRS:
            return fixed_path(walker, values, inner, depth + 1)
        case ast.Subscript(value=ast.Attribute(attr="parents") as inner):
            return fixed_path(walker, values, inner, depth + 1)
        case ast.BinOp(op=ast.Div(), left=left, right=right):
            return fixed_path(walker, values, left, depth + 1) and fixed_path(
                walker, values, right, depth + 1
            )
        case ast.Call(func=func, args=args, keywords=keywords):
            name = walker.call_name(expr)
            parts = [*args, *(k.value for k in keywords)]
            if name in _PATH_BUILDERS:
                return all(fixed_path(walker, values, a, depth + 1) for a in parts)
            if isinstance(func, ast.Attribute) and func.attr in _PATH_METHODS:
                return fixed_path(walker, values, func.value, depth + 1) and all(
                    fixed_path(walker, values, a, depth + 1) for a in parts
                )
    return False


def fixed_source(
    walker: Walker, values: AssignedValues, expr: ast.expr | None, depth: int = 0
) -> str | None:
    """How `expr` is fixed by the code itself, or None when it may come from outside.

    Constant data ("constant data"), or a file whose path is constant or relative to the
    package ("a file at a constant path").
    """
    if expr is None or depth > MAX_DEPTH:
        return None
    value = walker.const_value(expr)
    if value is not NOT_CONSTANT:
        return "constant data" if isinstance(value, str | bytes) else None
    if isinstance(expr, ast.Name | ast.Attribute):
        assigned = values.value_of(expr)
        if assigned is not None:
            return fixed_source(walker, values, assigned, depth + 1)
        if fixed_path(walker, values, expr, depth):
            return "a file at a constant path"
        return None
    if not isinstance(expr, ast.Call):
        return "a file at a constant path" if fixed_path(walker, values, expr, depth) else None
    name = walker.call_name(expr)
    first = walker.argument(expr, 0, "file")
    if name in _OPENERS:
        return "a file at a constant path" if fixed_path(walker, values, first, depth + 1) else None
    if name in _RESOURCE_READERS:
        return "a package resource"
    if name in _TRANSPARENT_CALLS:
        return fixed_source(walker, values, first, depth + 1)
    func = expr.func
    if isinstance(func, ast.Attribute):
        if func.attr in _PATH_READERS and fixed_path(walker, values, func.value, depth + 1):
            return "a file at a constant path"
        if func.attr in ("read", "getvalue", "encode", "decode") and not expr.args:
            return fixed_source(walker, values, func.value, depth + 1)
    if fixed_path(walker, values, expr, depth):
        return "a file at a constant path"
    return None


_CONFIG_PARTS = frozenset({"settings", "config", "conf", "CONF", "cfg", "configuration"})
_ENV_READERS = frozenset({"os.getenv", "os.environ.get", "os.environ.__getitem__"})


def configured_source(
    walker: Walker, values: AssignedValues, expr: ast.expr | None, depth: int = 0
) -> str | None:
    """ "configuration" / "the environment" when a path (or a file opened from one) comes from
    the deployer's settings: `settings.MODEL_PATH`, `app.config["X"]`, `os.environ["X"]`."""
    if expr is None or depth > MAX_DEPTH:
        return None
    match expr:
        case ast.Name() | ast.Attribute() if values.value_of(expr) is not None:
            return configured_source(walker, values, values.value_of(expr), depth + 1)
        case ast.Attribute():
            qualified = walker.qualname(expr) or walker.segment(expr)
            parts = qualified.split(".")[:-1]
            if any(p in _CONFIG_PARTS or p.endswith("settings") for p in parts):
                return "configuration"
            return None
        case ast.Subscript(value=inner):
            if walker.qualname(inner) == "os.environ":
                return "the environment"
            if isinstance(inner, ast.Attribute) and inner.attr in _CONFIG_PARTS:
                return "configuration"
            return configured_source(walker, values, inner, depth + 1)
        case ast.Call(func=func, args=args):
            name = walker.call_name(expr)
            if name in _ENV_READERS:
                return "the environment"
            if name in _OPENERS or name in _PATH_BUILDERS:
                found = [configured_source(walker, values, a, depth + 1) for a in args]
                if any(found) and all(
                    f or fixed_path(walker, values, a, depth + 1)
                    for f, a in zip(found, args, strict=True)
                ):
                    return next(f for f in found if f)
                return None
            if isinstance(func, ast.Attribute) and func.attr == "get" and args:
                if isinstance(func.value, ast.Attribute) and func.value.attr in _CONFIG_PARTS:
                    return "configuration"
                return configured_source(walker, values, func.value, depth + 1)
        case ast.BinOp(op=ast.Div(), left=left, right=right):
            found = configured_source(walker, values, left, depth + 1)
            return found if found and fixed_path(walker, values, right, depth + 1) else None
    return None


def request_origin(
    walker: Walker, values: AssignedValues, expr: ast.expr | None, depth: int = 0
) -> str | None:
    """ "request data" / "network data" when `expr` visibly comes from a request or a socket."""
    for _ in range(MAX_DEPTH * 2):
        if expr is None or depth > MAX_DEPTH:
            return None
        match expr:
            case ast.Name(id=name):
                qualified = walker.qualname(expr)
                if name in _REQUEST_ROOTS or qualified in _REQUEST_ROOTS:
                    return "request data"
                assigned = values.value_of(expr)
                if assigned is None:
                    return None
                expr, depth = assigned, depth + 1
            case ast.Attribute(value=ast.Name(id="self"), attr="request"):
                return "request data"
            case ast.Attribute(value=inner) | ast.Subscript(value=inner):
                assigned = values.value_of(expr) if isinstance(expr, ast.Attribute) else None
                expr = assigned if assigned is not None else inner
            case ast.Call(func=ast.Attribute(attr=attr)) if attr in _SOCKET_READS:
                return "network data"
            case ast.Call(func=func, args=args):
                name = walker.call_name(expr)
                if name in _TRANSPARENT_CALLS and args:
                    expr = args[0]
                elif isinstance(func, ast.Attribute):
                    expr = func.value
                else:
                    return None
            case ast.Await(value=inner):
                expr = inner
            case _:
                return None
    return None


# -- source edits -------------------------------------------------------------------------------
def call_with_new_func(walker: Walker, call: ast.Call, new_func: str) -> str:
    """The source of `call` with its callee replaced: `ET.parse(f)` -> `DET.parse(f)`."""
    text = walker.segment(call)
    func_text = walker.segment(call.func)
    if text.startswith(func_text):
        return new_func + text[len(func_text) :]
    return new_func + "(" + ", ".join(walker.segment(a) for a in call.args) + ")"


def insert_keyword(walker: Walker, call: ast.Call, keyword: str) -> tuple[Edit, str] | None:
    """An edit adding `keyword` (e.g. "weights_only=True") after the last argument of `call`.

    None when the call has no arguments or takes `**kwargs` (which may hold the keyword).
    """
    if any(k.arg is None for k in call.keywords):
        return None
    parts: list[ast.expr] = [*call.args, *(k.value for k in call.keywords)]
    if not parts:
        return None
    last = max(parts, key=lambda p: (p.end_lineno or 0, p.end_col_offset or 0))
    line = last.end_lineno or last.lineno
    col = last.end_col_offset or 0
    edit = Edit(line, col, line, col, f", {keyword}")
    text = walker.segment(call)
    # The same insertion in the call's own text, for display.
    lines = walker.parsed.text.splitlines(keepends=True)
    start_offset = _offset(lines, call.lineno, call.col_offset)
    insert_offset = _offset(lines, line, col)
    end_offset = _offset(lines, call.end_lineno or call.lineno, call.end_col_offset or 0)
    source = walker.parsed.text.encode("utf-8")
    if start_offset is None or insert_offset is None or end_offset is None:
        return edit, text
    fixed = (
        source[start_offset:insert_offset]
        + f", {keyword}".encode()
        + source[insert_offset:end_offset]
    )
    return edit, fixed.decode("utf-8", "replace")


def _offset(lines: list[str], line: int, col: int) -> int | None:
    """Byte offset of (1-based line, UTF-8 byte column) in the whole text."""
    if line < 1 or line > len(lines):
        return None
    return sum(len(text.encode("utf-8")) for text in lines[: line - 1]) + col


def substring_edit(
    walker: Walker, node: ast.expr, old: str, new: str, *, ignore_case: bool = False
) -> Edit | None:
    """An edit replacing the first `old` in the source of `node` (a literal) with `new`."""
    text = walker.segment(node)
    haystack = text.lower() if ignore_case else text
    index = haystack.find(old.lower() if ignore_case else old)
    if index < 0 or node.end_lineno is None:
        return None
    before = text[:index]
    line = node.lineno + before.count("\n")
    if "\n" in before:
        col = len(before.rsplit("\n", 1)[1].encode("utf-8"))
    else:
        col = node.col_offset + len(before.encode("utf-8"))
    length = len(text[index : index + len(old)].encode("utf-8"))
    return Edit(line, col, line, col + length, new)
