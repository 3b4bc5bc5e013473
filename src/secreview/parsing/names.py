"""Scopes, bindings and qualified names: `from subprocess import Popen as P` makes `P` mean
`subprocess.Popen`; `SHELL = True` makes `SHELL` mean True. No code under analysis is imported."""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

# IPython adds `get_ipython` to the builtins of a notebook's kernel; scripts exported from
# notebooks call it without importing it.
BUILTIN_NAMES = frozenset(dir(builtins)) | {"get_ipython"}


class _NotConstant:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_CONSTANT"

    def __bool__(self) -> bool:
        return False


NOT_CONSTANT: Any = _NotConstant()

# Names a star import brings in, for the modules whose calls rules care about. With a single
# star import in a module every unresolved name is taken from it; with several, only these.
STAR_EXPORTS: dict[str, frozenset[str]] = {
    "os": frozenset(
        {
            "system",
            "popen",
            "execl",
            "execle",
            "execlp",
            "execlpe",
            "execv",
            "execve",
            "execvp",
            "execvpe",
            "spawnl",
            "spawnle",
            "spawnlp",
            "spawnlpe",
            "spawnv",
            "spawnve",
            "spawnvp",
            "spawnvpe",
            "chmod",
            "mkdir",
            "makedirs",
            "umask",
            "open",
            "remove",
            "unlink",
            "environ",
            "getenv",
        }
    ),
    "subprocess": frozenset(
        {"Popen", "call", "check_call", "check_output", "run", "getoutput", "getstatusoutput"}
    ),
    "pickle": frozenset({"load", "loads", "Unpickler"}),
    "marshal": frozenset({"load", "loads"}),
    "yaml": frozenset(
        {
            "load",
            "load_all",
            "unsafe_load",
            "full_load",
            "Loader",
            "UnsafeLoader",
            "FullLoader",
            "SafeLoader",
            "CSafeLoader",
        }
    ),
    "hashlib": frozenset({"md5", "sha1", "new"}),
    "random": frozenset(
        {
            "random",
            "randint",
            "choice",
            "choices",
            "randrange",
            "getrandbits",
            "sample",
            "shuffle",
            "uniform",
        }
    ),
    "tempfile": frozenset({"mktemp"}),
    "ctypes": frozenset({"memmove", "memset", "string_at", "create_string_buffer"}),
}


class BindingKind(Enum):
    IMPORT = "import"  # value: qualified name
    ALIAS = "alias"  # `run = subprocess.run`; value: qualified name
    CONSTANT = "constant"  # value: the folded constant
    DEFINITION = "definition"  # def or class in this module; value: qualified name
    INSTANCE = "instance"  # `app = Flask(...)`; value: qualified name of what was called
    PARAMETER = "parameter"
    OTHER = "other"


@dataclass(slots=True)
class Binding:
    kind: BindingKind
    value: Any = None
    node: ast.AST | None = None


@dataclass(slots=True)
class Scope:
    kind: str  # "module", "class", "function"
    name: str  # qualified name of the scope ("" for the module)
    node: ast.AST | None = None
    bindings: dict[str, Binding] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    globals_declared: set[str] = field(default_factory=set)
    # Names of this scope whose value was changed in place (`x[k] = v`, `del x[k]`,
    # `x.update(...)`): a mapping or list no longer as it was bound.
    changed: set[str] = field(default_factory=set)


def import_bindings(
    node: ast.Import | ast.ImportFrom, module_name: str, is_package: bool
) -> list[tuple[str, str]]:
    """(local name, qualified name) pairs an import statement binds; star imports give ("*", mod)."""
    pairs: list[tuple[str, str]] = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                pairs.append((alias.asname, alias.name))
            else:
                root = alias.name.partition(".")[0]
                pairs.append((root, root))
        return pairs
    base = absolute_module(node.module, node.level, module_name, is_package)
    for alias in node.names:
        if alias.name == "*":
            pairs.append(("*", base))
        else:
            pairs.append(
                (alias.asname or alias.name, f"{base}.{alias.name}" if base else alias.name)
            )
    return pairs


def absolute_module(module: str | None, level: int, current: str, is_package: bool) -> str:
    if level == 0:
        return module or ""
    parts = current.split(".") if current else []
    if not is_package and parts:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if len(parts) >= level - 1 else []
    base = ".".join(parts)
    if module:
        return f"{base}.{module}" if base else module
    return base


class Names:
    """The scope stack of one walk, answering what a name or an attribute chain means."""

    def __init__(self, module_name: str) -> None:
        self.module_name = module_name
        self.module = Scope("module", "")
        self.stack: list[Scope] = [self.module]

    # -- scopes ---------------------------------------------------------------------------
    @property
    def current(self) -> Scope:
        return self.stack[-1]

    def qualify(self, name: str) -> str:
        """Qualified name of a definition called `name` in the current scope."""
        inner = f"{self.current.name}.{name}" if self.current.name else name
        return f"{self.module_name}.{inner}" if self.module_name else inner

    def bind(self, name: str, binding: Binding) -> None:
        scope = self.current
        if name in scope.globals_declared:
            scope = self.module
        old = scope.bindings.get(name)
        if (
            old is not None
            and old.kind is BindingKind.CONSTANT
            and binding.kind is BindingKind.CONSTANT
            and scope.kind == "module"
            and old.value != binding.value
            and self.stack[-1] is not scope
        ):
            binding = Binding(BindingKind.OTHER, node=binding.node)
        scope.bindings[name] = binding

    def lookup(self, name: str) -> Binding | None:
        stack = self.stack
        innermost = stack[-1]
        for scope in reversed(stack):
            # Class bodies are not enclosing scopes for the functions defined in them.
            if scope.kind == "class" and scope is not innermost:
                continue
            binding = scope.bindings.get(name)
            if binding is not None:
                return binding
        return None

    # -- names ----------------------------------------------------------------------------
    def qualname(self, expr: ast.expr) -> str | None:
        """`osp.join` -> "os.path.join"; `eval` -> "eval"; `self.run` -> None."""
        attrs: list[str] = []
        while isinstance(expr, ast.Attribute):
            attrs.append(expr.attr)
            expr = expr.value
        if isinstance(expr, ast.Call):
            # `hashlib.new(...).update` and the like stay unresolved; call results have no name.
            return None
        if not isinstance(expr, ast.Name):
            return None
        if attrs:
            binding = self.lookup(expr.id)
            if binding is not None and binding.kind is BindingKind.INSTANCE:
                return binding.value + "." + ".".join(reversed(attrs))
        base = self.name_qualname(expr.id)
        if base is None:
            return None
        if attrs:
            return base + "." + ".".join(reversed(attrs))
        return base

    def name_qualname(self, name: str) -> str | None:
        binding = self.lookup(name)
        if binding is not None:
            if binding.kind in (BindingKind.IMPORT, BindingKind.ALIAS, BindingKind.DEFINITION):
                return binding.value
            return None
        stars = self.module.star_imports
        if stars:
            if len(stars) == 1 and name not in BUILTIN_NAMES:
                return f"{stars[0]}.{name}"
            owners = [m for m in stars if name in STAR_EXPORTS.get(m, ())]
            if len(owners) == 1:
                return f"{owners[0]}.{name}"
        if name in BUILTIN_NAMES:
            return name
        return None

    # -- constants ------------------------------------------------------------------------
    def const_value(self, expr: ast.expr | None, _depth: int = 0) -> Any:
        """Fold `expr` to a Python constant, or return NOT_CONSTANT."""
        if expr is None or _depth > 20:
            return NOT_CONSTANT
        match expr:
            case ast.Constant(value=value):
                return value
            case ast.Name(id=name):
                binding = self.lookup(name)
                if binding is not None and binding.kind is BindingKind.CONSTANT:
                    return binding.value
                return NOT_CONSTANT
            case ast.JoinedStr(values=values):
                parts: list[str] = []
                for value in values:
                    if isinstance(value, ast.Constant):
                        parts.append(str(value.value))
                        continue
                    if not isinstance(value, ast.FormattedValue) or value.format_spec is not None:
                        return NOT_CONSTANT
                    inner = self.const_value(value.value, _depth + 1)
                    if inner is NOT_CONSTANT:
                        return NOT_CONSTANT
                    parts.append(str(inner))
                return "".join(parts)
            case ast.BinOp(left=left, op=op, right=right):
                lhs = self.const_value(left, _depth + 1)
                if lhs is NOT_CONSTANT:
                    return NOT_CONSTANT
                rhs = self.const_value(right, _depth + 1)
                if rhs is NOT_CONSTANT:
                    return NOT_CONSTANT
                try:
                    if isinstance(op, ast.Add):
                        return lhs + rhs
                    if isinstance(op, ast.Mod) and isinstance(lhs, str):
                        return lhs % rhs
                    if isinstance(op, ast.BitOr) and isinstance(lhs, int):
                        return lhs | rhs
                    if isinstance(op, ast.Mult) and not isinstance(lhs, (str, bytes, list, tuple)):
                        return lhs * rhs
                except Exception:
                    return NOT_CONSTANT
                return NOT_CONSTANT
            case ast.UnaryOp(op=ast.USub(), operand=operand):
                value = self.const_value(operand, _depth + 1)
                return -value if isinstance(value, (int, float)) else NOT_CONSTANT
            case ast.Tuple(elts=elts) | ast.List(elts=elts):
                items = [self.const_value(e, _depth + 1) for e in elts]
                if any(i is NOT_CONSTANT for i in items):
                    return NOT_CONSTANT
                return tuple(items)
            case ast.Call(
                func=ast.Attribute(value=ast.Constant(value=str() as sep), attr="join"),
                args=[arg],
                keywords=[],
            ):
                items = self.const_value(arg, _depth + 1)
                if isinstance(items, tuple) and all(isinstance(i, str) for i in items):
                    return sep.join(items)
                return NOT_CONSTANT
            case ast.Attribute():
                qual = self.qualname(expr)
                return _KNOWN_CONSTANTS.get(qual, NOT_CONSTANT) if qual else NOT_CONSTANT
        return NOT_CONSTANT

    def is_constant(self, expr: ast.expr | None) -> bool:
        return self.const_value(expr) is not NOT_CONSTANT


_KNOWN_CONSTANTS: dict[str, Any] = {
    "stat.S_IRWXO": 0o007,
    "stat.S_IWOTH": 0o002,
    "stat.S_IROTH": 0o004,
    "stat.S_IXOTH": 0o001,
    "stat.S_IRWXG": 0o070,
    "stat.S_IWGRP": 0o020,
    "stat.S_IRGRP": 0o040,
    "stat.S_IXGRP": 0o010,
    "stat.S_IRWXU": 0o700,
    "stat.S_IRUSR": 0o400,
    "stat.S_IWUSR": 0o200,
    "stat.S_IXUSR": 0o100,
}
