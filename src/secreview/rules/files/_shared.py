"""Helpers of the file rules: permission-mode folding, `os.O_*` flag sets, per-function names."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from secreview.parsing.names import NOT_CONSTANT, BindingKind
from secreview.rules.common import source_may_name

if TYPE_CHECKING:
    from secreview.engine.walker import Walker


def fold_mode(walker: Walker, expr: ast.expr | None) -> int | None:
    """A permission mode (0 to 0o7777), folded; None when unknown or out of range."""
    value = fold_int(walker, expr)
    return value if value is not None and 0 <= value <= 0o7777 else None


def fold_int(walker: Walker, expr: ast.expr | None, depth: int = 0) -> int | None:
    """An integer constant, also through `&`, `^`, `~` and `-` that the walker does not fold
    (`0o777 & ~stat.S_IWOTH`)."""
    if expr is None or depth > 8:
        return None
    value: Any = walker.const_value(expr)
    if value is not NOT_CONSTANT:
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    match expr:
        case ast.UnaryOp(op=ast.Invert(), operand=operand):
            inner = fold_int(walker, operand, depth + 1)
            return ~inner if inner is not None else None
        case ast.BinOp(left=left, op=op, right=right):
            lhs = fold_int(walker, left, depth + 1)
            rhs = fold_int(walker, right, depth + 1) if lhs is not None else None
            if lhs is None or rhs is None:
                return None
            if isinstance(op, ast.BitAnd):
                return lhs & rhs
            if isinstance(op, ast.BitOr):
                return lhs | rhs
            if isinstance(op, ast.BitXor):
                return lhs ^ rhs
            if isinstance(op, ast.Sub):
                return lhs - rhs
            if isinstance(op, ast.Add):
                return lhs + rhs
    return None


def forced_bits(walker: Walker, expr: ast.expr | None, depth: int = 0) -> int:
    """Bits an `a | b | ...` expression sets whatever its unknown operands are."""
    if expr is None or depth > 12:
        return 0
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return forced_bits(walker, expr.left, depth + 1) | forced_bits(
            walker, expr.right, depth + 1
        )
    value = fold_mode(walker, expr)
    return value if value is not None else 0


def flag_names(walker: Walker, expr: ast.expr | None, depth: int = 0) -> set[str] | None:
    """`os.O_CREAT | os.O_WRONLY` -> {"O_CREAT", "O_WRONLY"}; None when a part is unknown."""
    if expr is None or depth > 12:
        return None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        left = flag_names(walker, expr.left, depth + 1)
        right = flag_names(walker, expr.right, depth + 1)
        if left is None or right is None:
            return None
        return left | right
    name = walker.qualname(expr)
    if name and name.startswith("os.O_"):
        return {name[3:]}
    if isinstance(expr, ast.Constant) and expr.value == 0:
        return set()  # os.O_RDONLY is 0 on POSIX
    return None


def calls_possible(walker: Walker, leaves: frozenset[str] | None) -> bool:
    """Whether the module can hold a call that the walker hands to a rule with `call_leaves`.

    A call is handed over by the last segment of its callee's name, resolved or as written:
    either way an identifier of the module's source (of an import, a def, an attribute...).
    """
    return leaves is None or source_may_name(walker, tuple(leaves))


def scope_key(walker: Walker) -> int:
    """Identity of the enclosing function (0 at module level), for per-function name tables."""
    function = walker.function
    return id(function) if function is not None else 0


def target_key(walker: Walker, target: ast.expr) -> tuple[int, str] | None:
    """Key of an assignment target in a per-function table: local names per function,
    `self.attr` chains per module."""
    if isinstance(target, ast.Name):
        return scope_key(walker), target.id
    if isinstance(target, ast.Attribute):
        name = dotted(target)
        return (0, name) if name is not None else None
    return None


def dotted(expr: ast.expr) -> str | None:
    """`self.archive` -> "self.archive"; None for anything but a chain of names."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))


def lookup_key(walker: Walker, expr: ast.expr) -> list[tuple[int, str]]:
    """Keys to try for a use of a name: the function's own first, then module level."""
    key = target_key(walker, expr)
    if key is None:
        return []
    if key[0] != 0 and isinstance(expr, ast.Name):
        return [key, (0, expr.id)]
    return [key]


_STATIC_KINDS = frozenset({BindingKind.IMPORT, BindingKind.ALIAS, BindingKind.DEFINITION})


def receiver_is_object(walker: Walker, func: ast.expr) -> bool:
    """Is `func` a method of an object (`p.chmod`, `self.tar.extractall`, `open(...).write`)
    rather than a function of a module or class (`os.chmod`, `pathlib.Path.chmod`)?"""
    if not isinstance(func, ast.Attribute):
        return False
    root = func.value
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name):
        return True  # a call result, a subscript, a literal
    binding = walker.names.lookup(root.id)
    if binding is None:
        return walker.names.name_qualname(root.id) is None
    return binding.kind not in _STATIC_KINDS


class ModuleConstants:
    """Module-level constants (`STATE_FILE = "/tmp/agent.json"`) and whether the module itself
    reads them.

    A settings module defines a path, a mode or an endpoint that other modules use: the use is
    out of sight of a per-module rule, so the definition is the only place to judge. A constant
    the module reads itself is judged where it is used instead. Rules feed it their Assign
    nodes, the walker the names read; `unread()` is meaningful in `end_module`, once function bodies are walked.
    """

    def __init__(self, walker: Walker) -> None:
        self._defined: dict[str, tuple[ast.Assign | ast.AnnAssign, ast.expr, Any]] = {}
        self._rebound: set[str] = set()
        self._read = walker.loaded_names  # every name the module reads, kept by the walker

    def note_assignment(self, walker: Walker, node: ast.Assign | ast.AnnAssign) -> None:
        """Record `NAME = <constant>` at module level (UPPER_CASE names only)."""
        # The scope kind first: it is one attribute, `walker.function` a search of the stack.
        if walker.names.current.kind != "module" or walker.function is not None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if not isinstance(target, ast.Name) or not _constant_name(target.id):
                continue
            if target.id in self._defined:
                self._rebound.add(target.id)
                continue
            value = node.value
            folded = walker.const_value(value) if value is not None else NOT_CONSTANT
            if value is not None and folded is not NOT_CONSTANT:
                self._defined[target.id] = (node, value, folded)

    def unread(self) -> list[tuple[str, ast.Assign | ast.AnnAssign, ast.expr, Any]]:
        """(name, statement, value expression, folded value) of the constants this module
        defines once and never reads."""
        return [
            (name, node, value, folded)
            for name, (node, value, folded) in self._defined.items()
            if name not in self._read and name not in self._rebound
        ]


def _constant_name(name: str) -> bool:
    return name.isupper() and not name.startswith("_")
