"""Regular expressions a module compiles into constants, read where they are used.

`SAFE_NAME = re.compile(r"[a-z0-9-]{1,32}")` at module level, then `SAFE_NAME.fullmatch(name)`
in a view: the check is as strong as `re.fullmatch(r"[a-z0-9-]{1,32}", name)`, and
`_UNSAFE.sub("", name)` as `re.sub(r"[^A-Za-z0-9_]", "", name)`. The lowering asks this table
for the pattern text of such a constant (see `_compiled` in lowering.py).
"""

from __future__ import annotations

import ast

# Flags that leave a pattern's meaning as written (VERBOSE would not).
_PLAIN_FLAGS = frozenset({"I", "IGNORECASE", "A", "ASCII", "U", "UNICODE"})


def compiled_patterns(tree: ast.Module) -> dict[str, str]:
    """`SAFE_NAME = re.compile(r"[a-z]+")` at module level, or in a class body (keyed
    `Class.NAME`): the pattern text, for names bound once. `re` must be imported as itself."""
    imported = {
        alias.asname or alias.name
        for stmt in tree.body
        if isinstance(stmt, ast.Import)
        for alias in stmt.names
        if alias.name in ("re", "regex")
    }
    if not imported:
        return {}
    found: dict[str, str] = {}
    seen: set[str] = set()

    def collect(body: list[ast.stmt], prefix: str) -> None:
        for stmt in body:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else []
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                key = prefix + target.id
                text = _pattern(stmt.value, imported)
                if key in seen or text is None:
                    found.pop(key, None)
                else:
                    found[key] = text
                seen.add(key)

    collect(tree.body, "")
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            collect(stmt.body, f"{stmt.name}.")
    return found


def _pattern(value: ast.expr, modules: set[str]) -> str | None:
    if not (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "compile"
        and isinstance(value.func.value, ast.Name)
        and value.func.value.id in modules
        and value.args
        and isinstance(value.args[0], ast.Constant)
        and isinstance(value.args[0].value, str)
    ):
        return None
    flags = [*value.args[1:], *(k.value for k in value.keywords if k.arg == "flags")]
    for flag in flags:
        for part in ast.walk(flag):
            if isinstance(part, ast.Attribute) and part.attr not in _PLAIN_FLAGS:
                return None
            if isinstance(part, ast.Name) and part.id not in modules:
                return None
    return value.args[0].value
