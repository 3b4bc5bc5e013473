"""What a parameter's annotation says about the kind of value it holds.

`def from_private_key(private_key: RSAPrivateKey)`: the value is an object of a class, and a
message that formats it shows what that class prints (`<RSAPrivateKey object at 0x…>`), not key
material. Text (`str`, `bytes`, a `NewType` or alias of them), containers that may hold text,
`Any`/`object`, and annotations written as strings say nothing of the kind.
"""

from __future__ import annotations

import ast

from secreview.parsing.names import BindingKind, Names

# Types whose values are text, hold text, or may be anything: a secret may be in them as is.
_OPEN_TYPES = frozenset(
    {
        "str", "bytes", "bytearray", "memoryview", "AnyStr", "Text", "Any", "object", "LiteralString",
        "dict", "list", "tuple", "set", "frozenset", "Dict", "List", "Tuple", "Set", "FrozenSet",
        "Mapping", "MutableMapping", "Sequence", "MutableSequence", "Iterable", "Iterator",
        "Collection", "OrderedDict", "defaultdict", "ChainMap", "Counter", "deque", "TypedDict",
        "NamedTuple", "Optional", "Union", "Literal", "Annotated", "TypeVar",
    }
)  # fmt: skip


def type_aliases(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level names bound once to a type expression (`Key = RSAKey | DSAKey`,
    `type Key = ...`, `Token: TypeAlias = str`): what they stand for."""
    found: dict[str, ast.expr] = {}
    seen: set[str] = set()
    for stmt in _module_statements(tree.body):
        name: str | None = None
        value: ast.expr | None = None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            name = target.id if isinstance(target, ast.Name) else None
            value = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name, value = stmt.target.id, stmt.value
        elif type(stmt).__name__ == "TypeAlias":  # `type Key = ...` (Python 3.12)
            name, value = getattr(stmt.name, "id", None), getattr(stmt, "value", None)
        if name is None:
            continue
        if name in seen or not isinstance(
            value, ast.Name | ast.Attribute | ast.BinOp | ast.Call | ast.Subscript
        ):
            found.pop(name, None)
        else:
            found[name] = value
        seen.add(name)
    return found


def _module_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """The module's statements, those inside its top-level `if` and `try` blocks included
    (`try: from cryptography ... else: Key = ...`)."""
    out: list[ast.stmt] = []
    for stmt in body:
        out.append(stmt)
        if isinstance(stmt, ast.If):
            out += _module_statements(stmt.body) + _module_statements(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            out += _module_statements(stmt.body) + _module_statements(stmt.orelse)
            for handler in stmt.handlers:
                out += _module_statements(handler.body)
    return out


def object_type(
    annotation: ast.expr | None, names: Names, aliases: dict[str, ast.expr], depth: int = 0
) -> str | None:
    """The class an annotation says the value is an object of (its name as written), or None
    when the value may be text or the annotation does not tell. `aliases`: the module's type
    aliases (`type_aliases`)."""
    if depth > 4:
        return None
    match annotation:
        case ast.BinOp(op=ast.BitOr(), left=left, right=right):
            parts = [p for p in (left, right) if not _none(p)]
            found = [object_type(p, names, aliases, depth + 1) for p in parts]
            return found[0] if found and None not in found else None
        case ast.Subscript(value=value, slice=inner) if _last_name(value) == "Optional":
            return object_type(inner, names, aliases, depth + 1)
        case ast.Subscript(value=value, slice=ast.Tuple(elts=elts)) if _last_name(value) == "Union":
            found = [object_type(e, names, aliases, depth + 1) for e in elts if not _none(e)]
            return found[0] if found and None not in found else None
        case ast.Name(id=name) if name in aliases:
            alias = aliases[name]
            if isinstance(alias, ast.Call):  # `NewType("Password", str)`: that type
                if not (len(alias.args) == 2 and _last_name(alias.func) == "NewType"):
                    return None
                alias = alias.args[1]
            return name if object_type(alias, names, aliases, depth + 1) else None
        case ast.Name() | ast.Attribute():
            name = _last_name(annotation)
            if name is None or name in _OPEN_TYPES:
                return None
            root = annotation
            while isinstance(root, ast.Attribute):
                root = root.value
            binding = names.lookup(root.id) if isinstance(root, ast.Name) else None
            if binding is None or binding.kind not in (BindingKind.IMPORT, BindingKind.DEFINITION):
                return None  # not a class the module imports or defines
            return ast.unparse(annotation)
    return None


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
