"""Stable identities for findings, shared by baselines and SARIF `partialFingerprints`.

A fingerprint must survive the code moving up or down the file and unrelated edits nearby, and
change when the flagged code itself changes. So it hashes the rule, the file, the enclosing
function or class and the flagged code with whitespace and comments normalised, never the line
number. Identical findings in one scope are told apart by their order of appearance.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from secreview.findings import Finding

_COMMENT = re.compile(r"#.*$", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def normalised_code(snippet: str) -> str:
    """The flagged code without comments and with every run of whitespace removed."""
    return _SPACE.sub("", _COMMENT.sub("", snippet))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


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
