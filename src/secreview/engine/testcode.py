"""Is this module test code? By path first, then by what the module contains."""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

_TEST_DIRS = frozenset({"tests", "test", "testing", "functional_tests", "unit_tests"})
_TEST_BASES = frozenset(
    {
        "TestCase",
        "BaseTestCase",
        "IsolatedAsyncioTestCase",
        "NoDBTestCase",
        "APITestCase",
        "TransactionTestCase",
        "SimpleTestCase",
        "LiveServerTestCase",
    }
)


def is_test_path(path: str) -> bool:
    pure = PurePosixPath(path.replace("\\", "/"))
    name = pure.name
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    return any(part in _TEST_DIRS for part in pure.parts[:-1])


def is_test_module(tree: ast.Module) -> bool:
    """unittest-style classes, or a pytest module (imports pytest and defines test_ functions)."""
    imports_pytest = False
    has_test_function = False
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                if name in _TEST_BASES or name.endswith("TestCase"):
                    return True
        elif isinstance(node, ast.Import):
            imports_pytest |= any(a.name == "pytest" for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            imports_pytest |= node.module == "pytest"
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            has_test_function |= node.name.startswith("test_")
    return imports_pytest and has_test_function
