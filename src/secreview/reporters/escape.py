"""Text from scanned files, made safe to show: one helper for every reporter and for stderr.

Paths, snippets and messages come from the code under review, and whoever wrote it chose
them. Printed raw, an ESC sequence would drive the reader's terminal, a bidirectional override
would reorder what the reader sees (Trojan Source, CVE-2021-42574), and a newline in a file
name would start a line of its author's choosing (a fake finding, or `::stop-commands::` in a
GitHub Actions log). Those characters are shown as escapes instead: `\\x1b`, `\\u202e`, `\\n`.
A byte of a file name that is not UTF-8 (kept by Python as a lone surrogate) is shown as the
byte it stands for, `\\xff`.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from typing import Any, TypeVar

# C0 and C1 controls and DEL; the bidirectional controls (embeddings, overrides, isolates,
# marks); the line and paragraph separators; lone surrogates.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_INVISIBLE = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_SURROGATES = "\ud800-\udfff"
_UNSAFE_IN_BLOCK = re.compile(f"[{_CONTROLS}{_INVISIBLE}{_SURROGATES}]")
_UNSAFE_IN_LINE = re.compile(f"[\t\n{_CONTROLS}{_INVISIBLE}{_SURROGATES}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte itself
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_line(text: str) -> str:
    """`text` on one line with every control, bidi and line-breaking character escaped: for
    paths, messages and diagnostics."""
    return _UNSAFE_IN_LINE.sub(_escape, text)


def escape_block(text: str) -> str:
    """Like escape_line, but newlines and tabs are kept: for snippets of code."""
    return _UNSAFE_IN_BLOCK.sub(_escape, text)


def is_safe(text: str) -> bool:
    return _UNSAFE_IN_LINE.search(text) is None


# Fields whose text is code spanning lines; every other string is shown on one line.
_BLOCK_FIELDS = frozenset({"snippet", "replacement", "content"})
# The data classes a report is made of. Anything else a result carries (the IR, a notebook's
# cell map, rule classes) is not shown and is passed through untouched.
_REPORT_MODULES = frozenset(
    {
        "secreview.findings",
        "secreview.analysis",
        "secreview.changes.model",
        "secreview.changes.review",
    }
)

T = TypeVar("T")


def safe_for_display(result: T) -> T:
    """A copy of a scan or diff result whose every string is escaped for display.

    Reporters for people (text, review, Markdown, HTML, GitHub annotations) render this copy;
    the JSON formats write the original, which JSON's own escaping keeps intact.
    """
    return _copy_escaped(result, block=False)


def _copy_escaped(value: Any, block: bool) -> Any:
    kind = type(value)
    if kind is str:
        return escape_block(value) if block else escape_line(value)
    if kind in (list, tuple, set, frozenset):
        return kind(_copy_escaped(item, block) for item in value)
    if kind is dict:
        return {_copy_escaped(k, False): _copy_escaped(v, block) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if kind.__module__ not in _REPORT_MODULES:
            return value
        duplicate = copy.copy(value)
        for item in dataclasses.fields(value):
            field_value = getattr(value, item.name)
            escaped = _copy_escaped(field_value, item.name in _BLOCK_FIELDS)
            if escaped is not field_value:
                object.__setattr__(duplicate, item.name, escaped)
        return duplicate
    return value
