"""What a JSON schema a request is validated against leaves of its values.

An OpenStack controller action decorated with `@validation.schema(schema.create)` runs only
when the request body matches that schema; so does any function a `[[request_schema]]` model
names. Where the schema allows a key of the body only numbers, booleans, UUIDs, a fixed set of
values or a pattern of safe characters, the value read at that key
(`body["server"]["min_count"]`, `server_dict.get("name")`) is clean of the injection CWEs.
Free-form strings, objects and arrays stay as they are.

The schema is usually a constant of another module (`from ...schemas import servers as
schema`), built from other modules' constants (`parameter_types.name`). The lowering does not
know it: it marks each such read with a `SchemaCheck` (the schemas and the key path) in the
place of the CWEs a sanitizer cleans, and `resolve_schema_checks` replaces the marks from the
project's table of constants before the data flow is solved. A mark left unresolved cleans
nothing (it is an empty set).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from secreview.engine.ir import ALL_CWES, CallSite, ModuleIR
from secreview.engine.project_constants import Ref

try:  # the standard library's own regular expression parser (3.11+)
    from re import _parser as _sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parser  # type: ignore[no-redef]

MAX_SCHEMA_DEPTH = 16
# What a number, a boolean or a UUID is clean of: the same as `int()` (models/stdlib.toml).
NUMERIC = frozenset({78, 89, 94, 22, 79, 601, 918, 90, 643, 117, 1336, 1333, 611, 502, 829, 501})
# What text of letters, digits and `_-.:@` is clean of: no quote, space, separator or markup
# (`$` still lets a line end follow, which a log line shows as a new one).
# A slash, a backslash or a dot may still climb a directory, and a host name is still a host.
SAFE_TEXT = frozenset({78, 89, 94, 79, 90, 643, 1336})
_SAFE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:@")
_EMPTY: frozenset[int] = frozenset()
_REPEATS = tuple(
    getattr(_sre_parser, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(_sre_parser, name)
)


class SchemaCheck(frozenset):  # type: ignore[type-arg]
    """The CWEs of a `("k", op, cwes)` operand, not known yet: those the `schemas` (each a
    `Ref` or a folded dict) leave the value at `path` of the validated parameter clean of.
    Empty until resolved; it compares by its schemas and path."""

    schemas: tuple[Any, ...]
    path: tuple[str, ...]

    def __new__(cls, schemas: tuple[Any, ...], path: tuple[str, ...]) -> SchemaCheck:
        made = super().__new__(cls)
        made.schemas = schemas
        made.path = path
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (SchemaCheck, (self.schemas, self.path))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, SchemaCheck)
            and self.path == other.path
            and self.schemas == other.schemas
        )

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(("schema", self.path, repr(self.schemas)))


def _meet(a: frozenset[int], b: frozenset[int]) -> frozenset[int]:
    if -1 in a:
        return b
    if -1 in b:
        return a
    return a & b


def _join(a: frozenset[int], b: frozenset[int]) -> frozenset[int]:
    if -1 in a or -1 in b:
        return ALL_CWES
    return a | b


def value_cleans(schema: Any, depth: int = 0) -> frozenset[int]:
    """The CWEs a value that matches `schema` is clean of."""
    if not isinstance(schema, dict) or depth > MAX_SCHEMA_DEPTH:
        return _EMPTY
    for fixed in ("enum", "const"):
        if fixed in schema:
            values = schema[fixed] if fixed == "enum" else (schema[fixed],)
            if isinstance(values, tuple) and all(
                isinstance(v, str | int | float | bool) or v is None for v in values
            ):
                return ALL_CWES  # one of a fixed set: an allow-list
            return _EMPTY
    cleaned: frozenset[int] | None = None
    for combined in ("oneOf", "anyOf"):
        branches = schema.get(combined)
        if branches is None:
            continue
        if not isinstance(branches, tuple) or not branches:
            return _EMPTY
        found = ALL_CWES
        for branch in branches:
            found = _meet(found, value_cleans(branch, depth + 1))
        cleaned = found if cleaned is None else _join(cleaned, found)
    for branch in schema.get("allOf", ()) if isinstance(schema.get("allOf"), tuple) else ():
        found = value_cleans(branch, depth + 1)
        cleaned = found if cleaned is None else _join(cleaned, found)
    types = schema.get("type")
    if isinstance(types, str):
        types = (types,)
    if not isinstance(types, tuple) or not types:
        return cleaned or _EMPTY
    by_type = ALL_CWES
    for kind in types:
        if kind in ("integer", "number", "boolean"):
            found = NUMERIC
        elif kind == "null":
            found = ALL_CWES
        elif kind == "string":
            found = _string_cleans(schema)
        else:
            found = _EMPTY  # objects and arrays: their parts are read by their own keys
        by_type = _meet(by_type, found)
    return by_type if cleaned is None else _join(cleaned, by_type)


def _string_cleans(schema: dict[str, Any]) -> frozenset[int]:
    if schema.get("format") == "uuid":
        return NUMERIC
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        allowed = pattern_characters(pattern)
        if allowed is not None:
            if allowed & {".", "/", "\\"}:
                return SAFE_TEXT
            return SAFE_TEXT | {22}
    return _EMPTY


def pattern_characters(pattern: str) -> frozenset[str] | None:
    """The characters a regular expression anchored at both ends (`^[a-z0-9-]+$`) can match,
    if every one is a safe character; None otherwise (unanchored, a negated class, `.`)."""
    if len(pattern) > 512:
        return None
    try:
        parsed = list(_sre_parser.parse(pattern))
    except (re.error, RecursionError, OverflowError):
        return None
    at = _sre_parser.AT
    if (
        len(parsed) < 2
        or parsed[0] != (at, _sre_parser.AT_BEGINNING)
        or parsed[-1][0] is not at
        or parsed[-1][1] not in (_sre_parser.AT_END, _sre_parser.AT_END_STRING)
    ):
        return None
    allowed: set[str] = set()
    return frozenset(allowed) if _safe_items(parsed[1:-1], allowed, 0) else None


def _safe_items(items: Iterable[Any], allowed: set[str], depth: int) -> bool:
    p = _sre_parser
    if depth > 20:
        return False
    for op, value in items:
        if op is p.LITERAL:
            if chr(value) not in _SAFE_CHARS:
                return False
            allowed.add(chr(value))
        elif op is p.IN:
            for inner_op, inner in value:
                if inner_op is p.LITERAL:
                    if chr(inner) not in _SAFE_CHARS:
                        return False
                    allowed.add(chr(inner))
                elif inner_op is p.RANGE:
                    low, high = inner
                    if high - low > 128 or any(
                        chr(c) not in _SAFE_CHARS for c in range(low, high + 1)
                    ):
                        return False
                    allowed.update(chr(c) for c in range(low, high + 1))
                elif inner_op is p.CATEGORY and inner in (p.CATEGORY_DIGIT, p.CATEGORY_WORD):
                    allowed.update("0123456789")
                else:
                    return False  # a negated class, spaces, anything else
        elif op is p.CATEGORY and value in (p.CATEGORY_DIGIT, p.CATEGORY_WORD):
            allowed.update("0123456789")
        elif op in _REPEATS:
            if not _safe_items(value[2], allowed, depth + 1):
                return False
        elif op is p.SUBPATTERN:
            if not _safe_items(value[-1], allowed, depth + 1):
                return False
        elif op is p.BRANCH:
            if not all(_safe_items(branch, allowed, depth + 1) for branch in value[1]):
                return False
        else:
            return False  # `.`, anchors inside, look-arounds, back references
    return True


def at_path(schema: Any, path: tuple[str, ...]) -> Any:
    """The schema of the value at `path` (keys) of a value `schema` describes, or None."""
    for key in path:
        if not isinstance(schema, dict):
            return None
        properties = schema.get("properties")
        if not isinstance(properties, dict) or key not in properties:
            return None
        schema = properties[key]
    return schema


def check_cleans(check: SchemaCheck, lookup: Any) -> frozenset[int]:
    """What every schema of `check` leaves the value at its path clean of."""
    cleaned = ALL_CWES
    for schema in check.schemas:
        if isinstance(schema, Ref):
            schema = lookup(schema.qualname)
        cleaned = _meet(cleaned, value_cleans(at_path(schema, check.path)))
        if not cleaned:
            return _EMPTY
    return cleaned


def resolve_schema_checks(modules: Iterable[ModuleIR], lookup: Any) -> None:
    """Replace the `SchemaCheck` marks of the functions that have them by what they clean."""
    answers: dict[SchemaCheck, frozenset[int]] = {}

    def rewrite(op: Any) -> Any:
        if type(op) is not tuple or not op:
            return op
        if len(op) == 3 and op[0] == "k" and isinstance(op[2], SchemaCheck):
            check = op[2]
            if check not in answers:
                answers[check] = check_cleans(check, lookup)
            return ("k", rewrite(op[1]), answers[check])
        items = tuple(rewrite(item) for item in op)
        return op if all(a is b for a, b in zip(items, op, strict=True)) else items

    for module in modules:
        for function in module.functions.values():
            if not function.schema_checked:
                continue
            function.body = rewrite(function.body)
            for site in function.calls:
                _rewrite_site(site, rewrite)
            function.schema_checked = False


def _rewrite_site(site: CallSite, rewrite: Any) -> None:
    site.receiver = rewrite(site.receiver)
    site.args = rewrite(site.args)
    site.kwargs = rewrite(site.kwargs)
    site.star = rewrite(site.star)
    site.star_kwargs = rewrite(site.star_kwargs)
    site.star_args = rewrite(site.star_args)
