"""Positions in the raw source text, for rules that read the text rather than the tree."""

from __future__ import annotations


class TextPosition:
    """A span of source text that `walker.report` accepts like an AST node.

    Columns are UTF-8 byte offsets, as in the AST, so findings on non-ASCII lines line up
    with the findings of every other rule.
    """

    def __init__(self, line: int, text: str, start: int, end: int) -> None:
        self.lineno = line
        self.end_lineno = line
        self.col_offset = len(text[:start].encode("utf-8"))
        self.end_col_offset = len(text[:end].encode("utf-8"))
