"""Copies of a function for the constant arguments its own module passes (engine/variants.py)."""

from __future__ import annotations

import ast
import textwrap

from secreview.engine.variants import MAX_VARIANTS, FunctionRef, Variants

SOURCE = textwrap.dedent(
    """
    def export_path(tenant, name, admin=False):
        if admin:
            return name
        return tenant

    def untested(name, flag=False):
        return name

    class Adapters:
        def _adapter(self, context, admin):
            return "admin" if admin else context

        @staticmethod
        def _pick(kind, fallback):
            assert fallback
            return kind if kind else fallback

        def get(self, context):
            self._pick(None, "x")
            return self._adapter(context, admin=True)

    def view(req, names):
        export_path("t", req)
        export_path("t", req, admin=True)
        export_path("t", req, True)
        export_path("t", *names)
        untested("x", flag=True)
    """
)


def _calls(tree: ast.Module) -> dict[str, ast.Call]:
    return {ast.unparse(n): n for n in ast.walk(tree) if isinstance(n, ast.Call)}


def _variants(tree: ast.Module) -> Variants:
    """As the walk gives them: every call, with the class of the method it is in."""
    calls: list[tuple[ast.Call, str | None]] = []
    for stmt in tree.body:
        owner = stmt.name if isinstance(stmt, ast.ClassDef) else None
        calls += [(n, owner) for n in ast.walk(stmt) if isinstance(n, ast.Call)]
    return Variants(tree, calls)


def test_literal_and_default_arguments_of_tested_parameters_make_copies() -> None:
    tree = ast.parse(SOURCE)
    variants = _variants(tree)
    calls = _calls(tree)
    assert variants.by_function["export_path"] == [(("admin", False),), (("admin", True),)]
    assert variants.by_call[id(calls["export_path('t', req)"])] == "@0"
    assert variants.by_call[id(calls["export_path('t', req, admin=True)"])] == "@1"
    assert variants.by_call[id(calls["export_path('t', req, True)"])] == "@1"
    # A spread argument: which parameter gets what is not known.
    assert id(calls["export_path('t', *names)"]) not in variants.by_call
    # A parameter no test reads makes no copy.
    assert "untested" not in variants.by_function


def test_methods_through_self_bind_after_the_receiver() -> None:
    tree = ast.parse(SOURCE)
    variants = _variants(tree)
    assert variants.by_function["Adapters._adapter"] == [(("admin", True),)]
    # A static method's first parameter is its own; `assert` and a conditional test them.
    assert variants.by_function["Adapters._pick"] == [(("fallback", "x"), ("kind", None))]


def test_copies_per_function_are_bounded() -> None:
    calls = "\n".join(f"    pick({n})" for n in range(MAX_VARIANTS + 3))
    tree = ast.parse(f"def pick(n):\n    if n:\n        return n\n\ndef run():\n{calls}\n")
    variants = _variants(tree)
    assert len(variants.by_function["pick"]) == MAX_VARIANTS
    assert len(variants.by_call) == MAX_VARIANTS


def test_a_function_of_the_module_given_for_a_called_parameter_makes_a_copy() -> None:
    tree = ast.parse(
        "def each(items, callback):\n"
        "    for item in items:\n"
        "        callback(item)\n"
        "\n"
        "def archive(name):\n"
        "    return name\n"
        "\n"
        "def run(names, other):\n"
        "    each(names, archive)\n"
        "    each(names, other)\n"
    )
    variants = _variants(tree)
    calls = _calls(tree)
    assert variants.by_function["each"] == [(("callback", FunctionRef("archive")),)]
    assert variants.by_call[id(calls["each(names, archive)"])] == "@0"
    # A parameter of the caller: which function it is is not known here.
    assert id(calls["each(names, other)"]) not in variants.by_call
