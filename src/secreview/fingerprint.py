"""Stable identities for findings, shared by baselines and SARIF `partialFingerprints`.

A fingerprint must survive the code moving up or down the file and unrelated edits nearby, and
change when the flagged code itself changes. So it hashes the rule, the file, the enclosing
function or class and the flagged code with whitespace and comments normalised, never the line
number. Identical findings in one scope are told apart by their order of appearance.
"""

from __future__ import annotations

import hashlib
import io
import re
import tokenize
from collections.abc import Iterable

from secreview.findings import Finding

_COMMENT = re.compile(r"#.*$", re.MULTILINE)
_SPACE = re.compile(r"\s+")
_SKIPPED = frozenset(
    {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
)


def normalised_code(snippet: str) -> str:
    """The flagged code without comments and without whitespace between tokens.

    Tokenized, so a `#` or a run of spaces inside a string literal is kept: the code's meaning
    is in there (`"http://host/#" + fragment`). A snippet that does not tokenize (a statement
    cut short, an unterminated string) falls back to stripping by regular expression.
    """
    parts: list[str] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(snippet).readline):
            if token.type in _SKIPPED:
                continue
            if token.type == tokenize.ERRORTOKEN and not token.string.strip():
                continue
            parts.append(token.string)
    except tokenize.TokenError as exc:
        # Brackets still open at the end (a multi-line call cut short): every token was read.
        if "multi-line statement" not in str(exc):
            return _SPACE.sub("", _COMMENT.sub("", snippet))
    except SyntaxError:
        return _SPACE.sub("", _COMMENT.sub("", snippet))
    return "".join(parts)


def _digest(*parts: str) -> str:
    # surrogateescape: a file name that is not UTF-8 is hashed as the bytes it is
    joined = "\x1f".join(parts).encode("utf-8", "surrogateescape")
    return hashlib.sha256(joined).hexdigest()[:32]


def fingerprints(findings: Iterable[Finding]) -> dict[Finding, str]:
    """The fingerprint of each finding (findings in the stable path/line/column/rule order)."""
    seen: dict[str, int] = {}
    out: dict[Finding, str] = {}
    for finding in sorted(findings, key=lambda f: f.sort_key):
        base = _digest(
            finding.rule_id, finding.path, finding.scope, normalised_code(finding.snippet)
        )
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        out[finding] = base if occurrence == 0 else f"{base}:{occurrence}"
    return out


def fingerprint(finding: Finding) -> str:
    """The fingerprint of one finding on its own (occurrence 0)."""
    return fingerprints([finding])[finding]
