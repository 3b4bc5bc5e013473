"""Inline suppressions: `# secreview: ignore[SR201, CWE-78] -- reason`, Bandit's `# nosec` and
Ruff's `# noqa: S602`.

A comment applies to the innermost statement that spans it, so a suppression on any line of a
multi-line call works (the line-range bugs of Bandit's and Semgrep's comments do not apply).
Bandit ids and test names and Ruff's S codes hide every rule the equivalence table
(`secreview.equivalents`) maps them to, pattern and data-flow rules alike. Suppressions that
match nothing are reported as stale.

A bare `# noqa` hides nothing: Ruff users write it for style findings, and a security finding
should not vanish behind one. Neither do comments that name only ids secreview has no
equivalent for (`# nosec B404`, `# noqa: E501`): they belong to the other tool and are neither
used nor stale here.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass, field

from secreview import equivalents
from secreview.cwe import parse_cwe
from secreview.findings import Finding

_SECREVIEW = re.compile(r"#\s*secreview:\s*ignore(?:\[(?P<ids>[^\]]*)\])?", re.IGNORECASE)
# Bandit's own pattern: nosec alone, with ids (`nosec B602`, `nosec: B602, B607`) or with test
# names; the list ends at the next comment sign or at `--` (the start of a reason).
_NOSEC = re.compile(r"#\s*nosec\b:?(?P<ids>[^#]*)", re.IGNORECASE)
# Ruff's noqa comment with codes (`noqa: S602`, `noqa:S602,S608`, codes of other linters mixed
# in). The file-level forms (`ruff: noqa`, `flake8: noqa`) are not line suppressions: left alone.
_NOQA = re.compile(
    r"#\s*noqa\b(?::\s*(?P<codes>[A-Za-z]+\d+(?:[\s,]+[A-Za-z]+\d+)*))?", re.IGNORECASE
)
_FILE_NOQA = re.compile(r"#\s*(?:ruff|flake8)\s*:\s*noqa", re.IGNORECASE)
_NOQA_S_CODE = re.compile(r"\s*:[^\n]*?\bs\d{3}")


@dataclass(slots=True)
class Suppression:
    line: int
    kind: str  # "secreview", "nosec" or "noqa"
    text: str
    rule_ids: frozenset[str] = frozenset()  # none of the three: every rule
    cwes: frozenset[int] = frozenset()
    foreign_ids: frozenset[str] = frozenset()  # Bandit ids (B602) and Ruff codes (S602)
    used: bool = field(default=False)

    def matches(self, finding: Finding, foreign_map: Mapping[str, tuple[str, ...]]) -> bool:
        if not (self.rule_ids or self.cwes or self.foreign_ids):
            return True
        if finding.rule_id in self.rule_ids or finding.slug in self.rule_ids:
            return True
        if finding.cwe in self.cwes:
            return True
        return any(finding.rule_id in foreign_map.get(i, ()) for i in self.foreign_ids)


def read_suppressions(text: str) -> list[Suppression]:
    """Suppression comments of a source, found with the tokenizer so strings never count."""
    if not _may_suppress(text):
        return []  # the common case, even with Ruff's style noqa comments: no tokenizing
    found: list[Suppression] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found.extend(parse_comment(token.string, token.start[0]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass  # the parser already accepted the file; a tokenizer quirk only loses suppressions
    return found


def _may_suppress(text: str) -> bool:
    """Whether a source can hold a suppression at all, by plain substring search (a regex over
    every file costs more than the tokenizer saves). Most noqa comments name style codes only."""
    lowered = text.lower()
    if "nosec" in lowered or "secreview:" in lowered:
        return True
    at = lowered.find("noqa")
    while at != -1:
        if _NOQA_S_CODE.match(lowered, at + 4):
            return True
        at = lowered.find("noqa", at + 4)
    return False


def parse_comment(comment: str, line: int) -> list[Suppression]:
    """The suppressions of one comment token; a comment may carry `# noqa: S602 # nosec B602`."""
    found: list[Suppression] = []
    match = _SECREVIEW.search(comment)
    if match:
        found.append(_secreview_comment(match.group("ids") or "", line, comment))
    match = _NOSEC.search(comment)
    if match:
        nosec = _nosec_comment(match.group("ids"), line, comment)
        if nosec is not None:
            found.append(nosec)
    match = _NOQA.search(comment) if not _FILE_NOQA.search(comment) else None
    if match and match.group("codes"):
        codes = {
            code.upper()
            for code in re.split(r"[\s,]+", match.group("codes"))
            if equivalents.rules_for(code)
        }
        if codes:
            found.append(Suppression(line, "noqa", comment.strip(), foreign_ids=frozenset(codes)))
    return found


def _secreview_comment(ids: str, line: int, comment: str) -> Suppression:
    rule_ids: set[str] = set()
    cwes: set[int] = set()
    foreign: set[str] = set()
    for item in _split_ids(ids):
        cwe = parse_cwe(item)
        if cwe is not None:
            cwes.add(cwe)
        elif equivalents.is_foreign_id(item):
            foreign.add(item.upper())
        else:
            rule_ids.add(item.upper() if item[:2].upper() == "SR" else item.lower())
    return Suppression(
        line, "secreview", comment.strip(), frozenset(rule_ids), frozenset(cwes), frozenset(foreign)
    )


def _nosec_comment(ids: str, line: int, comment: str) -> Suppression | None:
    """Bandit's reading: ids and test names it knows narrow the comment; other words (a reason)
    are ignored, and a comment left with none hides everything. Known ids that secreview has no
    equivalent for make the comment Bandit's alone."""
    named: set[str] = set()
    for item in _split_ids(ids):
        foreign = equivalents.normalise(item)
        if foreign is not None and foreign.startswith("B"):
            named.add(foreign)
        elif re.fullmatch(r"[Bb]\d+", item):
            named.add(item.upper())  # an id Bandit does not know: still not a blanket comment
    if not named:
        return Suppression(line, "nosec", comment.strip())
    covered = {i for i in named if equivalents.rules_for(i)}
    if not covered:
        return None
    return Suppression(line, "nosec", comment.strip(), foreign_ids=frozenset(covered))


def _split_ids(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", text.split("--")[0].strip()) if part]


def apply_suppressions(
    findings: list[Finding],
    spans: dict[Finding, tuple[int, int]],
    suppressions: list[Suppression],
    foreign_map: Mapping[str, tuple[str, ...]],
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
                if suppression.matches(finding, foreign_map):
                    suppression.used = True
                    hit = suppression
        if hit is None:
            kept.append(finding)
        else:
            hidden.append((finding, hit.kind))
    return kept, hidden
