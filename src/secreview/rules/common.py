"""Small judgements many rules share: is this argument constant, how was this string built."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING
from unicodedata import normalize

from secreview.engine.strings import added_operands, short_text
from secreview.parsing.names import NOT_CONSTANT

if TYPE_CHECKING:
    from secreview.engine.walker import Walker
    from secreview.parsing.source import ParsedSource


def is_truthy(walker: Walker, expr: ast.expr | None) -> bool | None:
    """True/False when the value is known, None when it is not (a variable, a call)."""
    if expr is None:
        return False
    value = walker.const_value(expr)
    if value is NOT_CONSTANT:
        return None
    return bool(value)


def string_building(walker: Walker, expr: ast.expr) -> str | None:
    """How a non-constant string was built ("an f-string", "% formatting"…), or None."""
    if walker.is_constant(expr):
        return None
    match expr:
        case ast.JoinedStr():
            return "an f-string"
        case ast.BinOp(op=ast.Mod(), left=left) if _stringish(walker, left):
            return "% formatting"
        case ast.BinOp(op=ast.Add(), left=left, right=right) if _stringish(
            walker, left
        ) or _stringish(walker, right):
            return "string concatenation"
        case ast.Call(func=ast.Attribute(attr="format", value=value)) if _stringish(walker, value):
            return "str.format()"
        case ast.Call(func=ast.Attribute(attr="join", value=value)) if _stringish(walker, value):
            return "str.join()"
    return None


def _stringish(walker: Walker, expr: ast.expr) -> bool:
    if isinstance(expr, ast.JoinedStr):
        return True
    value = walker.const_value(expr)
    if isinstance(value, str | bytes):
        return True
    if isinstance(expr, ast.BinOp):
        return _stringish(walker, expr.left) or _stringish(walker, expr.right)
    return False


def nonconstant_parts(walker: Walker, expr: ast.expr, limit: int = 3) -> list[str]:
    """Source text of the non-constant pieces of a built string, for messages."""
    parts: list[ast.expr] = []
    match expr:
        case ast.JoinedStr(values=values):
            parts = [v.value for v in values if isinstance(v, ast.FormattedValue)]
        case ast.BinOp(op=ast.Mod(), right=ast.Tuple(elts=elts)):
            parts = list(elts)
        case ast.BinOp(op=ast.Mod(), right=right):
            parts = [right]
        case ast.BinOp(op=ast.Add()):
            parts = added_operands(expr)
        case ast.Call(func=ast.Attribute(attr="format"), args=args, keywords=keywords):
            parts = [*args, *(k.value for k in keywords)]
        case ast.Call(func=ast.Attribute(attr="join"), args=args):
            parts = list(args)
        case _:
            parts = [expr]
    names = [walker.segment(p) for p in parts if not walker.is_constant(p)]
    return names[:limit]


def describe_nonconstant(walker: Walker, expr: ast.expr) -> tuple[str, bool]:
    """A phrase for the message, and whether the value was built by interpolation."""
    how = string_building(walker, expr)
    if how is not None:
        parts = ", ".join(f"`{p}`" for p in nonconstant_parts(walker, expr))
        return f"built with {how} from {parts}", True
    return f"`{short_text(walker.segment(expr))}` is not a constant", False


def short_source(walker: Walker, node: ast.AST, limit: int = 60) -> str:
    return short_text(walker.segment(node), limit)


def source_may_name(walker: Walker, words: tuple[str, ...]) -> bool:
    """Whether an identifier of the module can contain one of `words` (ASCII): decided before
    the walk, from the source text, to leave out node types a rule has no use for there.
    """
    text = walker.parsed.text
    return any(word in text for word in words) or not _identifiers_as_written(walker.parsed)


# The last ParsedSource asked about, with the answer (one tuple: replaced at once).
_WRITTEN_CACHE: list[tuple[object, bool]] = [(None, True)]


def _identifiers_as_written(parsed: ParsedSource) -> bool:
    """Whether the ASCII text of every identifier is in the source as written.

    The parser NFKC-normalises identifiers: `django` spelled with a fullwidth `d` is `django`.
    Unless a character of the source normalises to something with ASCII in it (fullwidth
    letters, ligatures, the Kelvin sign...), that adds no ASCII to an identifier: no character
    normalises to nothing and no composition is ASCII. Computed once per module.
    """
    cached, answer = _WRITTEN_CACHE[0]
    if cached is not parsed:
        text = parsed.text
        answer = text.isascii() or not any(
            any(part < "\x80" for part in normalize("NFKC", char))
            for char in set(text)
            if char >= "\x80"
        )
        _WRITTEN_CACHE[0] = (parsed, answer)
    return answer


def judges_call(
    node: ast.Call,
    name: str | None,
    names: frozenset[str],
    methods: frozenset[str],
    keywords: frozenset[str],
) -> bool:
    """Whether a rule that judges calls by name, by method name, or by a keyword given to a
    call of any name (`verify=False`, `ssl_version=...`) has anything to judge in `node`."""
    if name in names:
        return True
    func = node.func
    if func.__class__ is ast.Attribute and func.attr in methods:  # type: ignore[attr-defined]
        return True
    return any(keyword.arg in keywords for keyword in node.keywords)
