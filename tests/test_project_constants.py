"""The project's table of module-level constants and what a JSON schema leaves clean."""

from __future__ import annotations

import ast

from secreview.engine.ir import ALL_CWES, ModuleIR
from secreview.engine.project_constants import (
    MAX_HOPS,
    OPAQUE,
    ProjectConstants,
    module_constants,
)
from secreview.engine.schemas import (
    NUMERIC,
    SAFE_TEXT,
    SchemaCheck,
    at_path,
    pattern_characters,
    value_cleans,
)
from secreview.parsing.names import NOT_CONSTANT, Binding, BindingKind, Names, import_bindings


def _module(name: str, source: str) -> ModuleIR:
    """A module's constants as the walk records them (bindings made as the walker makes them)."""
    tree = ast.parse(source)
    names = Names(name)
    for stmt in tree.body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            for local, qualified in import_bindings(stmt, name, False):
                names.bind(local, Binding(BindingKind.IMPORT, qualified, stmt))
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    folded = names.const_value(stmt.value)
                    if folded is not NOT_CONSTANT:
                        names.bind(target.id, Binding(BindingKind.CONSTANT, folded, target))
                    else:
                        names.bind(target.id, Binding(BindingKind.OTHER, node=target))
    module = ModuleIR(name, f"{name.replace('.', '/')}.py", False)
    module.constants, module.aliases = module_constants(tree.body, names, name)
    return module


def test_constants_are_found_through_imports_re_exports_and_references():
    table = ProjectConstants(
        [
            _module("app.secret", 'BASE = "k3y"\nKEY = BASE + "-signing"\nLATER = 1\nLATER = 2'),
            _module("app", "from app.secret import KEY"),
            _module("app.schemas", 'from app import KEY\nSCHEMA = {"key": KEY, "n": [1, 2]}'),
        ]
    )
    assert table.lookup("app.secret.KEY") == "k3y-signing"
    assert table.lookup("app.KEY") == "k3y-signing"  # re-exported by the package
    assert table.lookup("app.schemas.SCHEMA") == {"key": "k3y-signing", "n": (1, 2)}
    assert table.lookup("app.secret.LATER") is NOT_CONSTANT  # bound twice
    assert table.lookup("app.secret.MISSING") is NOT_CONSTANT


def test_cycles_and_opaque_parts_stay_bounded():
    table = ProjectConstants(
        [_module("a", "from b import X"), _module("b", "from a import X\nY = {'f': open('x')}")]
    )
    assert table.lookup("a.X") is NOT_CONSTANT
    assert table.lookup("b.Y") == {"f": OPAQUE}
    assert MAX_HOPS < 20


def test_changed_in_place_is_not_a_constant():
    names = Names("m")
    names.module.changed.add("SCHEMA")
    tree = ast.parse('SCHEMA = {"a": 1}')
    names.bind("SCHEMA", Binding(BindingKind.OTHER, node=tree.body[0].targets[0]))
    assert module_constants(tree.body, names, "m")[0] == {}
    names.module.changed.clear()
    assert module_constants(tree.body, names, "m")[0] == {"SCHEMA": {"a": 1}}


def test_patterns_of_safe_characters():
    assert pattern_characters("^[0-9]*$") == frozenset("0123456789")
    assert pattern_characters(r"^[a-zA-Z0-9-]+\Z") is not None
    assert pattern_characters("^([0-9a-f]{2})(:[0-9a-f]{2}){5}$") is not None
    for unsafe in (
        "[a-z]+",
        "^[a-z]+",
        "^[^,/]*$",
        "^.*$",
        r"^[_\- a-z]+$",
        "^[a-z'\"]+$",
        "^a$|b",
    ):
        assert pattern_characters(unsafe) is None, unsafe


def test_what_a_schema_leaves_clean():
    assert value_cleans({"type": "integer"}) == NUMERIC
    assert value_cleans({"type": ("integer", "string"), "pattern": "^[0-9]*$"}) == (
        SAFE_TEXT | {22}
    )
    assert value_cleans({"type": "string", "pattern": "^[a-z.]+$"}) == SAFE_TEXT  # `..`
    assert value_cleans({"type": "string", "enum": ("a", "b")}) == ALL_CWES
    assert value_cleans({"type": "string", "format": "uuid"}) == NUMERIC
    assert value_cleans({"type": "string", "maxLength": 8}) == frozenset()
    assert value_cleans({"oneOf": ({"type": "integer"}, {"type": "string"})}) == frozenset()
    assert value_cleans({"type": "object"}) == frozenset()
    assert value_cleans(OPAQUE) == frozenset()
    schema = {"properties": {"server": {"properties": {"n": {"type": "integer"}}}}}
    assert at_path(schema, ("server", "n")) == {"type": "integer"}
    assert at_path(schema, ("server", "name")) is None


def test_an_unresolved_schema_check_cleans_nothing_and_compares_by_path():
    first, second = SchemaCheck(("s",), ("a",)), SchemaCheck(("s",), ("b",))
    assert not first and first != second and first == SchemaCheck(("s",), ("a",))
    assert frozenset({89}) | first == frozenset({89})


def test_a_module_contributes_a_bounded_amount():
    items = ", ".join(str(n) for n in range(30_000))
    module = _module("big", f'TABLE = ({items})\nKEY = "k"\nLATE = {{"a": 1}}')
    assert "TABLE" not in module.constants  # past the budget of one module
    assert "LATE" not in module.constants
