"""Inline suppressions: `# secreview: ignore[SR201, CWE-78] -- reason` and Bandit's `# nosec`.

A comment applies to the innermost statement that spans it, so a suppression on any line of a
multi-line call works (the line-range bugs of Bandit's and Semgrep's comments do not apply).
Suppressions that match nothing are reported as stale.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass, field

from secreview.cwe import parse_cwe
from secreview.findings import Finding

_SECREVIEW = re.compile(r"#\s*secreview:\s*ignore(?:\[(?P<ids>[^\]]*)\])?", re.IGNORECASE)
_NOSEC = re.compile(r"#\s*nosec\b:?(?P<ids>[\sA-Za-z0-9_,\-]*)", re.IGNORECASE)


@dataclass(slots=True)
class Suppression:
    line: int
    kind: str  # "secreview" or "nosec"
    text: str
    rule_ids: frozenset[str] = frozenset()  # empty means every rule
    cwes: frozenset[int] = frozenset()
    bandit_ids: frozenset[str] = frozenset()
    used: bool = field(default=False)

    def matches(self, finding: Finding, bandit_map: Mapping[str, tuple[str, ...]]) -> bool:
        if not (self.rule_ids or self.cwes or self.bandit_ids):
            return True
        if finding.rule_id in self.rule_ids or finding.slug in self.rule_ids:
            return True
        if finding.cwe in self.cwes:
            return True
        return any(finding.rule_id in bandit_map.get(b, ()) for b in self.bandit_ids)


def read_suppressions(text: str) -> list[Suppression]:
    """Suppression comments of a source, found with the tokenizer so strings never count."""
    if "nosec" not in text and "secreview:" not in text.lower():
        return []  # the common case: no tokenizing at all
    found: list[Suppression] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT:
                continue
            parsed = parse_comment(token.string, token.start[0])
            if parsed is not None:
                found.append(parsed)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass  # the parser already accepted the file; a tokenizer quirk only loses suppressions
    return found


def parse_comment(comment: str, line: int) -> Suppression | None:
    match = _SECREVIEW.search(comment)
    if match:
        rule_ids: set[str] = set()
        cwes: set[int] = set()
        for item in _split_ids(match.group("ids") or ""):
            cwe = parse_cwe(item)
            if cwe is not None:
                cwes.add(cwe)
            else:
                rule_ids.add(item.upper() if item[:2].upper() == "SR" else item.lower())
        return Suppression(line, "secreview", comment.strip(), frozenset(rule_ids), frozenset(cwes))
    match = _NOSEC.search(comment)
    if match:
        ids = {
            i.upper() for i in _split_ids(match.group("ids") or "") if re.fullmatch(r"[Bb]\d+", i)
        }
        return Suppression(line, "nosec", comment.strip(), bandit_ids=frozenset(ids))
    return None


def _split_ids(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", text.split("--")[0].strip()) if part]


def apply_suppressions(
    findings: list[Finding],
    spans: dict[Finding, tuple[int, int]],
    suppressions: list[Suppression],
    bandit_map: Mapping[str, tuple[str, ...]],
) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """Split findings into (kept, suppressed with the comment kind that hid them)."""
    if not suppressions:
        return findings, []
    by_line: dict[int, list[Suppression]] = {}
    for suppression in suppressions:
        by_line.setdefault(suppression.line, []).append(suppression)
    kept: list[Finding] = []
    hidden: list[tuple[Finding, str]] = []
    for finding in findings:
        start, end = spans.get(finding, (finding.line, finding.end_line))
        hit: Suppression | None = None
        for line in range(start, end + 1):
            for suppression in by_line.get(line, ()):
                if suppression.matches(finding, bandit_map):
                    suppression.used = True
                    hit = suppression
        if hit is None:
            kept.append(finding)
        else:
            hidden.append((finding, hit.kind))
    return kept, hidden
