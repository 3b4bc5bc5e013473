"""Helpers for machine-applicable fixes: the import a replacement needs.

A fix that writes `secrets.choice(...)` must also make `secrets` mean the module, or the fixed
code fails at run time. `module_reference` says how the module is spelled where the fix
applies (`secrets`, or `s` after `import secrets as s`) and, when it is not imported yet, the
edit that imports it: after the module docstring, `from __future__` imports and the imports at
the top of the module, before any code that could use it.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.findings import Edit
from secreview.parsing.names import BindingKind

if TYPE_CHECKING:
    from secreview.engine.walker import Walker


def module_reference(walker: Walker, module: str) -> tuple[str, tuple[Edit, ...]] | None:
    """How to spell `module` here, and the import edit to add when it is missing.

    None when the name the import would bind already means something else here (a variable,
    a parameter, another module): adding the import would change what that code does.
    """
    tree = walker.parsed.tree
    for spelling in _spellings(tree, module):
        if _means(walker, spelling, module):
            return spelling, ()
    top = module.partition(".")[0]
    binding = walker.names.lookup(top)
    # `import defusedxml.sax` already binds `defusedxml`; `import defusedxml.ElementTree`
    # binds it to the same package and adds the submodule.
    same_package = (
        "." in module
        and binding is not None
        and binding.kind is BindingKind.IMPORT
        and binding.value == top
    )
    if not same_package and (binding is not None or top in _module_level_names(tree)):
        return None
    return module, (_import_edit(walker, f"import {module}"),)


def _spellings(tree: ast.Module, module: str) -> list[str]:
    """The names under which the module's own imports make `module` available."""
    parent, _, leaf = module.rpartition(".")
    found: list[str] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.name == module:
                    found.append(alias.asname or module)
                elif not alias.asname and alias.name.startswith(module + "."):
                    found.append(module)  # `import os.path` binds `os` too
        elif (
            isinstance(stmt, ast.ImportFrom)
            and stmt.level == 0
            and parent
            and stmt.module == parent
        ):
            found.extend(a.asname or a.name for a in stmt.names if a.name == leaf)
    return found


def _means(walker: Walker, spelling: str, module: str) -> bool:
    """Whether `spelling` refers to the imported module where the walk is now."""
    binding = walker.names.lookup(spelling.partition(".")[0])
    if binding is None or binding.kind is not BindingKind.IMPORT:
        return False
    if "." in spelling:
        return binding.value == spelling.partition(".")[0]
    return binding.value in (module, spelling)


def _module_level_names(tree: ast.Module) -> set[str]:
    """Every name the module body binds: imports, definitions, assignment targets (function
    and class bodies, lambdas and comprehensions have scopes of their own)."""
    names: set[str] = set()
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            pending.extend(node.decorator_list)
            continue
        if isinstance(node, ast.Lambda | ast.comprehension | ast.ListComp | ast.SetComp):
            continue
        if isinstance(node, ast.DictComp | ast.GeneratorExp):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.Import):
            names.update(a.asname or a.name.partition(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names)
        elif (isinstance(node, ast.MatchAs | ast.MatchStar) and node.name) or (
            isinstance(node, ast.ExceptHandler) and node.name
        ):
            names.add(node.name)
        pending.extend(ast.iter_child_nodes(node))
    return names


def _import_edit(walker: Walker, statement: str) -> Edit:
    """An edit inserting `statement` on its own line after the module's leading block: the
    docstring, then the imports (`from __future__` ones included) that open the module."""
    body = walker.parsed.tree.body
    last: ast.stmt | None = None
    for index, stmt in enumerate(body):
        docstring = (
            index == 0
            and isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        )
        if docstring or isinstance(stmt, ast.Import | ast.ImportFrom):
            last = stmt
            continue
        break
    if last is None:
        first = body[0] if body else None
        line = _first_line(first) if first is not None else 1
        return Edit(line, 0, line, 0, statement + "\n")
    end_line = last.end_lineno or last.lineno
    if end_line < len(walker.parsed.lines):
        # At the start of the next line: a trailing comment stays with its statement.
        return Edit(end_line + 1, 0, end_line + 1, 0, statement + "\n")
    end_col = last.end_col_offset or 0
    return Edit(end_line, end_col, end_line, end_col, "\n" + statement)


def _first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None) or []
    return min([stmt.lineno, *(d.lineno for d in decorators)])
