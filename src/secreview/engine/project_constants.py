"""Module-level constants of the whole project, by qualified name.

`from .settings_secret import KEY` and `config.SIGNING_KEY` name a value another module of the
project defines. One module's walk cannot see it: each file is parsed and walked once, alone,
often in another process. So each module's lowering records what its own top level binds to
literals (`module_constants`, kept in its IR and in the cache with it), and the names it
re-exports (`from .settings import KEY` in a package's `__init__`); once every module is in,
`ProjectConstants` joins them into one table, qualified name -> literal value. Nothing is
imported or executed.

Values are plain Python data: strings, bytes, numbers, booleans, None, tuples, and dicts with
string keys (a JSON schema, a settings mapping). A part that names another module-level value
(`{"name": parameter_types.name}`) is kept as a `Ref` and resolved when looked up, so a dict
built from other modules' constants comes out whole. A part that is no literal is `OPAQUE`.

Bounds: a module contributes at most `MAX_NODES` expression nodes (the rest of its constants
are left out), a value is folded at most `MAX_VALUE_DEPTH` levels deep, and a lookup follows at
most `MAX_HOPS` re-exports and references. Names bound more than once at the top level, or
changed in place (`KEYS["x"] = ...`, `global KEY` in a function), are not constants.

Pattern rules ask through `Walker.defer_constant`: a query the walk cannot answer (an imported
name) is kept with the finding it would make, and answered here after the walk
(analysis._resolve_constants).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from secreview.parsing.names import NOT_CONSTANT, BindingKind, Names

if TYPE_CHECKING:
    from secreview.engine.ir import ModuleIR
    from secreview.findings import Finding

MAX_NODES = 20_000  # expression nodes folded per module
MAX_VALUE_DEPTH = 12  # nesting of one value
MAX_HOPS = 8  # re-exports and references followed by one lookup
MAX_STRING = 65_536  # longer literals are left out


@dataclass(frozen=True, slots=True)
class PendingConstant:
    """A pattern rule's question about a constant another module defines: the finding it would
    make (completed by `Rule.complete_constant` from the value), the statement it stands in,
    and what else the rule needs to judge the value."""

    rule_id: str
    qualname: str
    finding: Finding
    statement: tuple[int, int]
    data: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Ref:
    """A part of a value that is another module-level value, by qualified name."""

    qualname: str


@dataclass(frozen=True, slots=True)
class Joined:
    """Text made of parts (`PREFIX + "-tokens"`, `f"{PREFIX}-tokens"`) some of which are
    references: joined when they are looked up, if every part is then text of one type."""

    parts: tuple[Any, ...]


class _Opaque:
    __slots__ = ()

    def __repr__(self) -> str:
        return "OPAQUE"

    def __reduce__(self) -> str:
        return "OPAQUE"  # one object across processes and the cache


OPAQUE: Any = _Opaque()  # a part of a value that is no literal
_SCALARS = (str, bytes, int, float, bool, type(None))
# Expressions that may make a module-level literal of other modules' values.
_FOLDED = (
    ast.Dict,
    ast.Call,
    ast.Name,
    ast.Attribute,
    ast.List,
    ast.Tuple,
    ast.BinOp,
    ast.JoinedStr,
)
_COPIES = frozenset({"copy.deepcopy", "copy.copy", "dict"})


def module_constants(
    body: list[ast.stmt], names: Names, module_name: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """What the top level of a module binds: {name: value} for literals (with `Ref`s to other
    module-level values), and {name: qualified name} for imported or aliased names."""
    scope = names.module
    counts: dict[str, int] = {}
    for stmt in body:
        for target in _targets(stmt):
            counts[target] = counts.get(target, 0) + 1
    values: dict[str, Any] = {}
    budget = [MAX_NODES]
    for stmt in body:
        if budget[0] <= 0:
            break
        value = getattr(stmt, "value", None)
        if not isinstance(stmt, ast.Assign | ast.AnnAssign) or value is None:
            continue
        for target in _targets(stmt):
            binding = scope.bindings.get(target)
            if (
                counts.get(target) != 1
                or target in scope.changed
                or binding is None
                or (binding.kind is not BindingKind.CONSTANT and binding.node is None)
            ):
                continue
            if binding.kind is BindingKind.CONSTANT:
                folded = binding.value
                budget[0] -= _size(folded, budget[0])  # a folded tuple counts by its items
            elif not _binds(stmt, binding.node):
                continue  # bound again elsewhere (`global KEY` in a function)
            elif isinstance(value, _FOLDED):
                folded = _fold(value, names, module_name, budget, 0)
            else:
                continue
            if folded is not OPAQUE and budget[0] >= 0 and _storable(folded):
                values[target] = folded
    if values:  # `global KEY` in a function: the function may bind it again
        for node in _statements(body):
            if isinstance(node, ast.Global):
                for name in node.names:
                    values.pop(name, None)
    aliases = {
        name: binding.value
        for name, binding in scope.bindings.items()
        if binding.kind in (BindingKind.IMPORT, BindingKind.ALIAS)
        and isinstance(binding.value, str)
        and "." in binding.value
    }
    return values, aliases


def _statements(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every statement of `body` and of the blocks inside it (with the except handlers and
    match cases that hold some), without their expressions: a `global` is a statement, and
    expressions are most of a module's nodes."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            block = getattr(stmt, field, None)
            if isinstance(block, list):
                stack.extend(reversed([s for s in block if isinstance(s, ast.AST)]))


def _targets(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id, stmt.target.id]  # changed after it was bound
    return []


def _binds(stmt: ast.stmt, node: ast.AST | None) -> bool:
    if isinstance(stmt, ast.Assign):
        return any(target is node for target in stmt.targets)
    return stmt is node or getattr(stmt, "target", None) is node


def _size(value: Any, limit: int) -> int:
    """How many parts a folded constant has, counted up to `limit` (+1)."""
    if not isinstance(value, tuple):
        return 1
    count = 1
    pending = list(value)
    while pending and count <= limit:
        item = pending.pop()
        count += 1
        if isinstance(item, tuple):
            pending.extend(item)
    return count


def _storable(value: Any) -> bool:
    return not (isinstance(value, str | bytes) and len(value) > MAX_STRING)


def fold_constant(expr: ast.expr, names: Names, module_name: str) -> Any:
    """One expression folded as a module-level value is (`Ref`s for other module-level
    values, OPAQUE for what is no literal), for a question about it after the walk."""
    return _fold(expr, names, module_name, [MAX_NODES], 0)


def _fold(expr: ast.expr, names: Names, module: str, budget: list[int], depth: int) -> Any:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_VALUE_DEPTH:
        return OPAQUE
    match expr:
        case ast.Constant(value=value):
            return value if isinstance(value, _SCALARS) else OPAQUE
        case ast.Tuple(elts=items) | ast.List(elts=items) | ast.Set(elts=items):
            if any(isinstance(item, ast.Starred) for item in items):
                return OPAQUE
            return tuple(_fold(item, names, module, budget, depth + 1) for item in items)
        case ast.Dict(keys=keys, values=values):
            folded: dict[str, Any] = {}
            for key, value in zip(keys, values, strict=True):
                if key is None:  # `{**base, ...}`: the base's keys, then these
                    base = _fold(value, names, module, budget, depth + 1)
                    folded["**"] = (*folded.get("**", ()), base)
                    continue
                name = names.const_value(key)
                if not isinstance(name, str):
                    return OPAQUE
                folded[name] = _fold(value, names, module, budget, depth + 1)
            return folded
        case ast.Name(id=name):
            binding = names.module.bindings.get(name)
            if binding is not None and binding.kind is BindingKind.CONSTANT:
                return binding.value
            if binding is not None and binding.kind in (
                BindingKind.IMPORT,
                BindingKind.ALIAS,
            ):
                return Ref(binding.value)
            if binding is not None:
                return Ref(f"{module}.{name}" if module else name)
            return OPAQUE
        case ast.Attribute():
            qualname = names.qualname(expr)
            return Ref(qualname) if qualname else OPAQUE
        case ast.BinOp(left=left, op=ast.Add(), right=right):
            value = names.const_value(expr)
            if value is not NOT_CONSTANT:
                return value if isinstance(value, _SCALARS) else OPAQUE
            parts = (
                _fold(left, names, module, budget, depth + 1),
                _fold(right, names, module, budget, depth + 1),
            )
            return OPAQUE if OPAQUE in parts else Joined(parts)
        case ast.JoinedStr(values=values):
            value = names.const_value(expr)
            if value is not NOT_CONSTANT:
                return value if isinstance(value, _SCALARS) else OPAQUE
            pieces: list[Any] = []
            for piece in values:
                if isinstance(piece, ast.FormattedValue):
                    if piece.format_spec is not None or piece.conversion != -1:
                        return OPAQUE
                    pieces.append(_fold(piece.value, names, module, budget, depth + 1))
                else:
                    pieces.append(_fold(piece, names, module, budget, depth + 1))
            return OPAQUE if OPAQUE in pieces else Joined(tuple(pieces))
        case ast.Call(func=func, args=args, keywords=keywords):
            called = names.qualname(func)
            if called in _COPIES and len(args) == 1 and not keywords:
                return _fold(args[0], names, module, budget, depth + 1)
            if called == "dict" and not args and all(k.arg for k in keywords):
                return {
                    k.arg: _fold(k.value, names, module, budget, depth + 1)
                    for k in keywords
                    if k.arg
                }
    value = names.const_value(expr)
    return value if value is not NOT_CONSTANT and isinstance(value, _SCALARS) else OPAQUE


class ProjectConstants:
    """The module-level constants of a group of modules, by qualified name."""

    def __init__(self, modules: Iterable[ModuleIR]) -> None:
        self.values: dict[str, Any] = {}
        self.aliases: dict[str, str] = {}
        for module in modules:
            prefix = f"{module.name}." if module.name else ""
            for name, value in module.constants.items():
                self.values[prefix + name] = value
            for name, target in module.aliases.items():
                self.aliases.setdefault(prefix + name, target)

    def lookup(self, qualname: str) -> Any:
        """The value a qualified name has, with its references resolved; NOT_CONSTANT when the
        project does not define it as a literal."""
        value = self._find(qualname, MAX_HOPS)
        if value is NOT_CONSTANT:
            return NOT_CONSTANT
        return self._resolve(value, MAX_HOPS, 0)

    def _find(self, qualname: str, hops: int) -> Any:
        while hops > 0:
            hops -= 1
            if qualname in self.values:
                return self.values[qualname]
            target = self.aliases.get(qualname)
            if target is None:  # `pkg.sub.KEY` where `pkg.sub` is itself re-exported
                head, _, rest = qualname.rpartition(".")
                while head and target is None:
                    alias = self.aliases.get(head)
                    if alias is not None:
                        target = f"{alias}.{rest}"
                        break
                    head, _, first = head.rpartition(".")
                    rest = f"{first}.{rest}"
            if target is None or target == qualname:
                return NOT_CONSTANT
            qualname = target
        return NOT_CONSTANT

    def _resolve(self, value: Any, hops: int, depth: int) -> Any:
        if depth > MAX_VALUE_DEPTH:
            return OPAQUE
        if isinstance(value, Ref):
            if hops <= 0:
                return OPAQUE
            found = self._find(value.qualname, hops)
            return OPAQUE if found is NOT_CONSTANT else self._resolve(found, hops - 1, depth + 1)
        if isinstance(value, Joined):
            parts = [self._resolve(part, hops, depth + 1) for part in value.parts]
            if all(isinstance(part, str) for part in parts):
                return "".join(parts)
            if all(isinstance(part, bytes) for part in parts):
                return b"".join(parts)
            return OPAQUE
        if isinstance(value, tuple):
            return tuple(self._resolve(item, hops, depth + 1) for item in value)
        if isinstance(value, dict):
            resolved: dict[str, Any] = {}
            for base in value.get("**", ()):
                base = self._resolve(base, hops, depth + 1)
                if not isinstance(base, dict):
                    return OPAQUE
                resolved.update(base)
            for key, item in value.items():
                if key != "**":
                    resolved[key] = self._resolve(item, hops, depth + 1)
            return resolved
        return value
