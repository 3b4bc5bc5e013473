"""What the code injection rules share: where a value comes from, as far as one module shows.

The judgements here are deliberately small: a constant, a value read from the deployment's
configuration, a file that belongs to the project (found relative to `__file__`), a loop over a
constant list, or a module name under a fixed package. Anything else is "not constant".
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import ClassVar

from secreview.parsing.names import NOT_CONSTANT, BindingKind
from secreview.rules.base import Rule

# Names whose attributes and items are deployment configuration, not request data.
CONFIG_NAMES = frozenset({"settings", "conf", "config", "cfg", "configuration", "environ"})
CONFIG_QUALNAMES = ("django.conf.settings", "oslo_config.cfg.CONF", "os.environ", "os.getenv")
PATH_FUNCTIONS = frozenset(
    {
        "os.path.join",
        "os.path.dirname",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "os.fspath",
        "pathlib.Path",
        "pathlib.PurePath",
        "str",
    }
)
PATH_METHODS = frozenset({"joinpath", "resolve", "absolute", "with_name", "with_suffix"})
OPEN_FUNCTIONS = frozenset({"open", "io.open", "codecs.open"})
_PACKAGE_PREFIX = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\.")
_REQUEST_ROOTS = frozenset({"request", "req", "flask.request", "bottle.request"})

PROJECT_PATH = "project-path"
PROJECT_FILE = "project-file"  # an open file object of a project path
CONFIGURATION = "configuration"
ALLOW_LIST = "allow-list"  # a dict literal of constant strings
ALLOW_LISTED = "allow-listed"  # a value looked up in one
COMPILED = "compiled"  # the result of compile(): judged where it was compiled
COMPILE_FUNCTIONS = frozenset({"compile", "builtins.compile", "__builtin__.compile"})


@dataclass(slots=True)
class LocalOrigins:
    """The values the assignments of one function gave its names (judged only when asked)."""

    names: dict[str, ast.expr] = field(default_factory=dict)


@dataclass(slots=True)
class _WalkOrigins:
    """The assignments of one walk, recorded once for every OriginRule.

    SR206 and SR207 see the same nodes in the same order, so whichever sees an assignment
    first records it for both.
    """

    origins: dict[ast.AST | None, LocalOrigins] = field(default_factory=dict)
    node: ast.AST | None = None  # the last assignment recorded
    # The scope the walk stood in when `current` was last looked up (a scope always belongs
    # to the same function), to skip `walker.function` while the walk stays in it.
    scope: object = None
    current: LocalOrigins | None = None


class OriginRule(Rule):
    """Tracks names bound to project paths, project files and configuration values."""

    # Calls only go to `check_call`, which judges known functions: subclasses name them in
    # `call_leaves`.
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (
        ast.Call,
        ast.Assign,
        ast.AnnAssign,
        ast.withitem,
    )

    def begin_module(self) -> None:
        shared = self.walker.shared.get(_WalkOrigins)
        if shared is None:
            shared = self.walker.shared[_WalkOrigins] = _WalkOrigins()
        self._shared = shared
        self._origins = shared.origins
        self._judged: dict[int, str | None] = {}  # id(value expression) -> origin
        self._judging: set[int] = set()

    def _local(self) -> LocalOrigins:
        shared = self._shared
        scope = self.walker.names.stack[-1]
        if scope is shared.scope and shared.current is not None:
            return shared.current
        key = self.walker.function
        found = self._origins.get(key)
        if found is None:
            found = self._origins[key] = LocalOrigins()
        shared.scope, shared.current = scope, found
        return found

    def origin_of(self, name: str) -> str | None:
        """The origin of the value last assigned to `name`: in this function, else the module."""
        value = self._local().names.get(name)
        if value is None and self.walker.function is not None:
            binding = self.walker.names.lookup(name)
            module = self._origins.get(None)
            if module is not None and binding is self.walker.names.module.bindings.get(name):
                value = module.names.get(name)
        if value is None:
            return None
        key = id(value)
        if key in self._judged:
            return self._judged[key]
        if key in self._judging:
            return None  # `x = x + 1`
        self._judging.add(key)
        try:
            origin = self.origin_of_expr(value)
        finally:
            self._judging.discard(key)
        self._judged[key] = origin
        return origin

    def check(self, node: ast.AST) -> None:
        if node.__class__ is ast.Call:
            self.check_call(node)  # type: ignore[arg-type]
            return
        shared = self._shared
        if shared.node is node:
            return  # another OriginRule recorded this assignment
        shared.node = node
        if isinstance(node, ast.Assign):
            if len(node.targets) == 1:
                self._bind(node.targets[0], node.value)
            else:
                for target in node.targets:
                    self._bind(target, None)
        elif isinstance(node, ast.AnnAssign):
            self._bind(node.target, node.value)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            self._bind(node.optional_vars, node.context_expr)

    def _bind(self, target: ast.expr, value: ast.expr | None) -> None:
        if not isinstance(target, ast.Name):
            return
        names = self._local().names
        if value is None:
            names.pop(target.id, None)
        else:
            names[target.id] = value  # judged lazily, when a sink asks

    def origin_of_expr(self, expr: ast.expr) -> str | None:
        walker = self.walker
        if isinstance(expr, ast.Dict):
            if expr.values and all(isinstance(walker.const_value(v), str) for v in expr.values):
                return ALLOW_LIST
            return None
        if isinstance(expr, ast.Call) and walker.call_name(expr) in COMPILE_FUNCTIONS:
            return COMPILED
        if self.is_allow_listed(expr):
            return ALLOW_LISTED
        if self.is_project_path(expr):
            return PROJECT_PATH
        if self.is_project_file_object(expr):
            return PROJECT_FILE
        if self.is_configuration(expr):
            return CONFIGURATION
        prefix = self.package_prefix(expr)
        if prefix is not None:
            return "prefix:" + prefix
        return None

    def check_call(self, node: ast.Call) -> None:
        raise NotImplementedError

    # -- judgements --------------------------------------------------------------------------
    def is_project_path(self, expr: ast.expr | None, depth: int = 0) -> bool:
        """A path that is a constant or found relative to `__file__`."""
        walker = self.walker
        if expr is None or depth > 10:
            return False
        value = walker.const_value(expr)
        if value is not NOT_CONSTANT:
            return isinstance(value, str | bytes)
        match expr:
            case ast.Name(id="__file__"):
                return True
            case ast.Name(id=name):
                return self.origin_of(name) == PROJECT_PATH
            case ast.Attribute(attr="parent", value=inner):
                return self.is_project_path(inner, depth + 1)
            case ast.Subscript(value=ast.Attribute(attr="parents", value=inner)):
                return self.is_project_path(inner, depth + 1)
            case ast.BinOp(op=ast.Div() | ast.Add(), left=left, right=right):
                return self.is_project_path(left, depth + 1) and self.is_project_path(
                    right, depth + 1
                )
            case ast.JoinedStr(values=values):
                return all(
                    isinstance(v, ast.Constant)
                    or (
                        isinstance(v, ast.FormattedValue)
                        and self.is_project_path(v.value, depth + 1)
                    )
                    for v in values
                )
            case ast.Call(func=func, args=args, keywords=[]):
                name = walker.call_name(expr)
                if name in PATH_FUNCTIONS:
                    return all(self.is_project_path(a, depth + 1) for a in args)
                if isinstance(func, ast.Attribute) and func.attr in PATH_METHODS:
                    return self.is_project_path(func.value, depth + 1) and all(
                        self.is_project_path(a, depth + 1) for a in args
                    )
        return False

    def is_project_file_object(self, expr: ast.expr) -> bool:
        """`open(<project path>)`."""
        match expr:
            case ast.Call(args=[path, *_]) if self.walker.call_name(expr) in OPEN_FUNCTIONS:
                return self.is_project_path(path)
            case ast.Call(func=ast.Attribute(attr="open", value=path)):
                return self.is_project_path(path)
        return False

    def is_project_file_read(self, expr: ast.expr) -> bool:
        """`open(<project path>).read()`, `Path(<project path>).read_text()`, `f.read()`."""
        match expr:
            case ast.Call(func=ast.Attribute(attr="read", value=ast.Name(id=name))):
                return self.origin_of(name) == PROJECT_FILE
            case ast.Call(func=ast.Attribute(attr="read", value=inner)):
                return self.is_project_file_object(inner)
            case ast.Call(func=ast.Attribute(attr="read_text" | "read_bytes", value=inner)):
                return self.is_project_path(inner)
        return False

    def is_configuration(self, expr: ast.expr | None) -> bool:
        """`settings.X`, `CONF.group.option`, `app.config["X"]`, `os.environ["X"]`, ..."""
        walker = self.walker
        if self.from_caller_or_request(expr)[1]:
            return False  # request.environ is the request
        node = expr
        while node is not None:
            if isinstance(node, ast.Attribute):
                if node.attr.lower() in CONFIG_NAMES:
                    return True
                node = node.value
            elif isinstance(node, ast.Subscript):
                node = node.value
            elif isinstance(node, ast.Call):
                name = walker.call_name(node)
                if name in CONFIG_QUALNAMES:
                    return True
                if name == "getattr" and node.args:
                    node = node.args[0]
                elif isinstance(node.func, ast.Attribute) and node.func.attr == "get":
                    node = node.func.value
                else:
                    return False
            elif isinstance(node, ast.Name):
                qualified = walker.qualname(node) or ""
                if qualified.startswith(CONFIG_QUALNAMES) or node.id.lower() in CONFIG_NAMES:
                    return True
                return self.origin_of(node.id) == CONFIGURATION
            else:
                return False
        return False

    def package_prefix(self, expr: ast.expr | None) -> str | None:
        """ "myapp.plugins" for `f"myapp.plugins.{name}"`, `"myapp.plugins." + name`, ..."""
        walker = self.walker
        if expr is None or walker.is_constant(expr):
            return None
        first: object = NOT_CONSTANT
        match expr:
            case ast.JoinedStr(values=[ast.Constant(value=text), *_]):
                first = text
            case ast.BinOp(op=ast.Add()):
                left = expr.left
                while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Add):
                    left = left.left
                first = walker.const_value(left)
            case (
                ast.BinOp(op=ast.Mod(), left=template)
                | ast.Call(func=ast.Attribute(attr="format", value=template))
            ):
                value = walker.const_value(template)
                if isinstance(value, str):
                    first = re.split(r"%|\{", value, maxsplit=1)[0]
            case ast.Name(id=name):
                origin = self.origin_of(name)
                if origin is not None and origin.startswith("prefix:"):
                    return origin[len("prefix:") :]
        if isinstance(first, str):
            match = _PACKAGE_PREFIX.match(first)
            if match is not None and match.end() == len(first):
                return first[:-1]
        return None

    def is_allow_listed(self, expr: ast.expr) -> bool:
        """`EXPORTERS[fmt]` / `EXPORTERS.get(fmt)` on a dict literal of constant strings."""
        match expr:
            case (
                ast.Subscript(value=ast.Name(id=mapping))
                | ast.Call(func=ast.Attribute(attr="get", value=ast.Name(id=mapping)), args=[_])
            ):
                return self.origin_of(mapping) == ALLOW_LIST
            case ast.Call(
                func=ast.Attribute(attr="get", value=ast.Name(id=mapping)), args=[_, default]
            ):
                return self.origin_of(mapping) == ALLOW_LIST and isinstance(
                    self.walker.const_value(default), str
                )
            case ast.Name(id=name):
                return self.origin_of(name) == ALLOW_LISTED
        return False

    def loops_over_constants(self, expr: ast.expr) -> str | None:
        """ "constant-iteration" / "configuration" when `expr` is a loop variable over those."""
        if not isinstance(expr, ast.Name):
            return None
        walker = self.walker
        for ancestor in reversed(walker.ancestors):
            loops: list[tuple[ast.expr, ast.expr]] = []
            if isinstance(ancestor, ast.For | ast.AsyncFor):
                loops.append((ancestor.target, ancestor.iter))
            elif isinstance(ancestor, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
                loops.extend((g.target, g.iter) for g in ancestor.generators)
            for target, iterable in loops:
                if isinstance(target, ast.Name) and target.id == expr.id:
                    if walker.is_constant(iterable):
                        return "constant-iteration"
                    if self.is_configuration(iterable):
                        return CONFIGURATION
                    return None
            if isinstance(ancestor, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                break
        return None

    def reads_parameter(self, expr: ast.expr | None, depth: int = 0) -> bool:
        """Whether `expr` is made from a parameter of the function, directly or through the
        locals it was assigned from (`f"{formula} * 2"`, `handle.read()` with
        `handle = open(path)`)."""
        if expr is None or depth > 4:
            return False
        walker = self.walker
        local = self._local().names
        for inner in ast.walk(expr):
            if not isinstance(inner, ast.Name) or inner.id in ("self", "cls"):
                continue
            binding = walker.names.lookup(inner.id)
            if binding is not None and binding.kind is BindingKind.PARAMETER:
                return True
            value = local.get(inner.id)
            if value is not None and value is not expr and self.reads_parameter(value, depth + 1):
                return True
        return False

    def from_caller_or_request(self, expr: ast.expr | None) -> tuple[bool, bool]:
        """(is a parameter of the function, is read from the request)."""
        node = expr
        while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
            if isinstance(node, ast.Call):
                if not isinstance(node.func, ast.Attribute):
                    return False, False
                node = node.func.value
            else:
                node = node.value
        if not isinstance(node, ast.Name) or node.id in ("self", "cls"):
            return False, False
        qualified = self.walker.qualname(node)
        if node.id in _REQUEST_ROOTS or qualified in _REQUEST_ROOTS:
            return False, True
        binding = self.walker.names.lookup(node.id)
        return binding is not None and binding.kind is BindingKind.PARAMETER, False
