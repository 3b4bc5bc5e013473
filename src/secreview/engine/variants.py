"""Copies of a function for the constant arguments its own module passes it.

The solver keeps one summary per function, so `get_adapter(context, admin=True)` would see
both sides of the callee's `if admin:`. Where it is cheap, the lowering makes a second copy of
the callee with the parameter bound to the constant, and the call runs that copy: within one
module, for a parameter the callee tests (`if`, `while`, a conditional expression, `assert`),
given a literal at a call by name (`helper(..)`) or through `self`/`cls` (`self.helper(..)`).
A parameter the callee calls (`def each(items, callback): ... callback(item)`) given one of
the module's functions (`each(names, archive)`) is bound the same way: in the copy,
`callback(item)` calls `archive`. At most `MAX_VARIANTS` copies per function; other callers
keep the general one.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

MAX_VARIANTS = 4
_LITERALS = (bool, int, str, type(None))
_MAX_TEXT = 64

Binding = tuple[tuple[str, Any], ...]  # (parameter, constant) pairs, sorted


@dataclass(frozen=True, slots=True)
class FunctionRef:
    """A function of the module given for a parameter the callee calls."""

    name: str  # its name in the module


class Variants:
    """What copies each function of one module gets, and which call runs which."""

    def __init__(self, tree: ast.Module, calls: list[tuple[ast.Call, str | None]]) -> None:
        """`calls`: the module's calls by name, and through a receiver name in a method (with
        the method's class), as the walk saw them."""
        self.by_function: dict[str, list[Binding]] = {}  # local qualname -> bindings
        self.by_call: dict[int, str] = {}  # id(call) -> suffix of the copy it runs
        functions: dict[str, tuple[ast.FunctionDef | ast.AsyncFunctionDef, int]] = {}
        classes: dict[int, str] = {}  # id(function) -> its class's name
        for stmt in tree.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                functions[stmt.name] = (stmt, 0)
            elif isinstance(stmt, ast.ClassDef):
                for inner in stmt.body:
                    if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                        static = any(
                            isinstance(d, ast.Name) and d.id == "staticmethod"
                            for d in inner.decorator_list
                        )
                        functions[f"{stmt.name}.{inner.name}"] = (inner, 0 if static else 1)
                        classes[id(inner)] = stmt.name
        if not functions:
            return
        found: list[tuple[str, ast.Call]] = []
        for call, owner in calls:
            callee = _callee(call, owner)
            if callee is not None and callee in functions:
                found.append((callee, call))
        if not found:
            return
        module_functions = frozenset(n for n in functions if "." not in n)
        tested: dict[str, set[str]] = {}
        for callee, call in found:
            target, skip = functions[callee]
            if not _may_bind(call, target, module_functions):
                continue
            params = tested.get(callee)
            if params is None:
                node, skip = functions[callee]
                params = tested[callee] = (
                    set() if _decorated(node) else _tested_parameters(node, skip)
                )
            if not params:
                continue
            binding = _binding(call, target, skip, params, module_functions)
            if binding:
                self._use(callee, call, binding)

    def _use(self, function: str, call: ast.Call, binding: Binding) -> None:
        bindings = self.by_function.setdefault(function, [])
        if binding not in bindings:
            if len(bindings) >= MAX_VARIANTS:
                return
            bindings.append(binding)
        self.by_call[id(call)] = suffix(bindings.index(binding))


def suffix(index: int) -> str:
    return f"@{index}"


def _may_bind(
    call: ast.Call, target: ast.FunctionDef | ast.AsyncFunctionDef, functions: frozenset[str]
) -> bool:
    """Could the call give a parameter a constant or a function? (A cheap test first: most
    calls pass neither and the callee has no literal default.)"""
    args = target.args
    if any(_literal(d) is not ... for d in (*args.defaults, *args.kw_defaults) if d is not None):
        return True
    given = [*call.args, *(k.value for k in call.keywords)]
    return any(
        _literal(g) is not ... or (isinstance(g, ast.Name) and g.id in functions) for g in given
    )


def _decorated(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Decorators other than staticmethod/classmethod may route or wrap the function."""
    return any(
        not (isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod"))
        for d in node.decorator_list
    )


def _own_nodes(node: ast.AST):  # type: ignore[no-untyped-def]
    """The nodes of a function's body, not of the functions and classes nested in it."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        inner = stack.pop()
        if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        yield inner
        stack.extend(ast.iter_child_nodes(inner))


def _tested_parameters(node: ast.FunctionDef | ast.AsyncFunctionDef, skip: int) -> set[str]:
    """Parameters the function tests, or calls."""
    args = node.args
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)[skip:]}
    found: set[str] = set()
    for inner in _own_nodes(node):
        if isinstance(inner, ast.If | ast.IfExp | ast.While | ast.Assert):
            found.update(
                n.id for n in ast.walk(inner.test) if isinstance(n, ast.Name) and n.id in params
            )
        elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
            if inner.func.id in params:
                found.add(inner.func.id)
        elif isinstance(inner, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
            for target in targets:
                params.difference_update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return found & params


def _callee(call: ast.Call, owner: str | None) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if (
        owner is not None
        and isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in ("self", "cls")
    ):
        return f"{owner}.{func.attr}"
    return None


def _literal(expr: ast.expr) -> Any:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, _LITERALS):
        value = expr.value
        return value if not (isinstance(value, str) and len(value) > _MAX_TEXT) else ...
    if (
        isinstance(expr, ast.UnaryOp)
        and isinstance(expr.op, ast.USub)
        and isinstance(expr.operand, ast.Constant)
        and type(expr.operand.value) is int
    ):
        return -expr.operand.value
    return ...


def _binding(
    call: ast.Call,
    target: ast.FunctionDef | ast.AsyncFunctionDef,
    skip: int,
    tested: set[str],
    module_functions: frozenset[str] = frozenset(),
) -> Binding:
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return ()
    args = target.args
    positional = [a.arg for a in (*args.posonlyargs, *args.args)][skip:]
    if len(call.args) > len(positional) and args.vararg is None:
        return ()
    given: dict[str, ast.expr] = {}
    # A parameter the call leaves out holds its default.
    defaults = [*args.posonlyargs, *args.args][-len(args.defaults) :] if args.defaults else []
    given.update((a.arg, d) for a, d in zip(defaults, args.defaults, strict=True))
    given.update(
        (a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None
    )
    given.update(zip(positional, call.args, strict=False))
    given.update((k.arg, k.value) for k in call.keywords if k.arg is not None)
    bound = []
    for name in sorted(tested):
        value = _literal(given[name]) if name in given else ...
        if value is ... and name in given:
            given_node = given[name]
            if isinstance(given_node, ast.Name) and given_node.id in module_functions:
                value = FunctionRef(given_node.id)
        if value is not ...:
            bound.append((name, value))
    return tuple(bound)
