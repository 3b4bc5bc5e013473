"""CWE-838: bidirectional control characters that make code read differently than it runs."""

from __future__ import annotations

import ast
import io
import re
import tokenize
import unicodedata

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.source_integrity._shared import TextPosition
from secreview.rules.web._shared import ast_lines

# Embeddings, overrides and isolates: they reorder the text that follows them.
REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Marks: invisible, but they only nudge neutral characters.
MARKS = frozenset("\u200e\u200f\u061c")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Letters of right-to-left scripts: a direction mark next to them is ordinary typography.
_RTL_TEXT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


class TrojanSourceBidi(Rule):
    r"""Contains Unicode bidirectional control characters: the code may not be what it looks like.

    ## What it does
    Reports every bidirectional control character in the source text, comments and strings
    included: the embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069 and the
    marks U+200E, U+200F and U+061C. The marks only nudge neutral characters and cannot
    reorder code: a mark on a line that contains Hebrew or Arabic text, or inside a string
    literal (Django's Arabic date format `"d\u200f/m\u200f/Y"`), is ordinary typography and is
    not reported; elsewhere (in a comment) it is reported with low severity. Pure ASCII files
    are skipped at once.

    (The rule reads the raw text in `begin_module`; it subscribes to `ast.Module`, which the
    walker never dispatches, because the framework requires a subscription.)

    ## Why is this bad?
    Editors and code review tools display these characters by reordering the text around them,
    while the interpreter reads the bytes in order ("Trojan Source", CVE-2021-42574). A comment
    can appear to end a line that in fact continues, a string can appear to close early, and
    `if access_level != "user":` can be displayed as something quite different. Reviewers
    approve code that does not do what they read.

    ## Example
    The string below holds raw U+202E and U+2066 characters (shown here as escapes); an editor
    displays the line as `if access_level != "user": # check if admin`.
    ```python
    def is_admin(access_level):
        if access_level != "user\u202e \u2066# check if admin\u2069 \u2066":
            return True
        return False
    ```

    ## Use instead
    ```python
    def is_admin(access_level):
        return access_level == "admin"
    ```
    If right-to-left text really must contain such a character, write it as an escape
    (`"\u202e"`), which is visible in every editor.

    ## References
    - https://cwe.mitre.org/data/definitions/838.html
    - https://trojansource.codes/
    - https://www.unicode.org/reports/tr9/
    """

    id = "SR801"
    slug = "trojan-source-bidi"
    cwe = 838
    related_cwes = (1007,)
    title = "Bidirectional control character in source code"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    node_types = (ast.Module,)
    in_tests = "report"

    def check(self, node: ast.AST) -> None:
        """Never called: the walker does not dispatch the Module root (see begin_module)."""

    def begin_module(self) -> None:
        walker = self.walker
        text = walker.parsed.text
        if text.isascii():
            walker.examine(838, walker.parsed.tree, "source-text", "ascii", "no bidi controls")
            return
        found = 0
        strings: dict[int, list[tuple[int, int]]] | None = None
        for number, line in enumerate(ast_lines(walker), 1):
            if line.isascii() or not _BIDI.search(line):
                continue
            rtl_text = bool(_RTL_TEXT.search(line))
            for match in _BIDI.finditer(line):
                char = match.group()
                if char in MARKS:
                    if rtl_text:
                        continue
                    if strings is None:
                        strings = _string_spans(text)
                    column = match.start()
                    if any(start <= column < end for start, end in strings.get(number, ())):
                        continue  # a mark in a string literal: typography (d\u200f/m\u200f/Y)
                found += 1
                self._report(number, line, match.start(), char)
        if not found:
            walker.examine(838, walker.parsed.tree, "source-text", "clean", "no bidi controls")

    def _report(self, number: int, line: str, index: int, char: str) -> None:
        walker = self.walker
        code = f"U+{ord(char):04X}"
        name = unicodedata.name(char, code)
        position = TextPosition(number, line, index, index + 1)
        walker.examine(838, position, "source-text", "flagged", f"{code} {name}")
        if char in REORDERING:
            walker.report(
                self,
                position,
                f"bidirectional control character {code} ({name}) in the source: editors "
                "display the code around it reordered, so it may not be what it looks like",
                evidence="character in source",
                fix=Fix(f"remove it, or write it as the escape \\u{ord(char):04x} inside a string"),
            )
        else:
            walker.report(
                self,
                position,
                f"invisible direction mark {code} ({name}) in the source, on a line without "
                "right-to-left text",
                severity=Severity.LOW,
                confidence=Confidence.MEDIUM,
                evidence="character in source",
                fix=Fix(f"remove it, or write it as the escape \\u{ord(char):04x} inside a string"),
            )


def _string_spans(text: str) -> dict[int, list[tuple[int, int]]]:
    """Line -> (start, end) character columns of string literals on it."""
    spans: dict[int, list[tuple[int, int]]] = {}
    kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type not in kinds:
                continue
            (line, start), (end_line, end) = token.start, token.end
            if line == end_line:
                spans.setdefault(line, []).append((start, end))
                continue
            spans.setdefault(line, []).append((start, 1 << 30))
            for middle in range(line + 1, end_line):
                spans.setdefault(middle, []).append((0, 1 << 30))
            spans.setdefault(end_line, []).append((0, end))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return spans
