"""What a parameter's annotation says about its value (parsing/annotations.py)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from secreview.parsing.annotations import object_type, type_aliases
from secreview.parsing.names import Binding, BindingKind, Names

MODULE = textwrap.dedent(
    """
    import typing
    from typing import NewType, Optional
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

    AnyKey = RSAPrivateKey | rsa.RSAPublicKey
    try:
        from cryptography.hazmat.primitives.asymmetric.dsa import DSAPrivateKey
    except ImportError:
        pass
    else:
        KeyUnion = typing.Union[DSAPrivateKey, RSAPrivateKey]
    Password = NewType("Password", str)
    Token = str

    class Vault:
        pass
    """
)


def _names(tree: ast.Module) -> Names:
    names = Names("m")
    scope = names.stack[0]
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.ImportFrom | ast.Import):
            for alias in stmt.names:
                scope.bindings[alias.asname or alias.name] = Binding(BindingKind.IMPORT, alias.name)
        elif isinstance(stmt, ast.ClassDef):
            scope.bindings[stmt.name] = Binding(BindingKind.DEFINITION, f"m.{stmt.name}")
    return names


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        ("RSAPrivateKey", "RSAPrivateKey"),
        ("rsa.RSAPrivateKey", "rsa.RSAPrivateKey"),
        ("Optional[RSAPrivateKey]", "RSAPrivateKey"),
        ("RSAPrivateKey | None", "RSAPrivateKey"),
        ("AnyKey", "AnyKey"),
        ("KeyUnion", "KeyUnion"),
        ("Vault", "Vault"),
        ("str", None),
        ("Password", None),
        ("Token", None),
        ("RSAPrivateKey | str", None),
        ("dict[str, str]", None),
        ("'RSAPrivateKey'", None),
        ("Unknown", None),
    ],
)
def test_object_types(annotation: str, expected: str | None) -> None:
    tree = ast.parse(MODULE)
    node = ast.parse(annotation, mode="eval").body
    assert object_type(node, _names(tree), type_aliases(tree)) == expected
