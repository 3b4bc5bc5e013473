"""The review of a scan: a header, the findings most severe first, the CWE checklist with its
evidence, and a conclusion. Computed from a ScanResult alone, so the same scan gives the same
review, word for word; the reporters only lay it out.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from secreview import __version__
from secreview.analysis import ScanResult
from secreview.config import Config
from secreview.cwe import cwe_name
from secreview.findings import Diagnostic, ExaminedSite, Finding, Severity
from secreview.findings import location as located
from secreview.review.categories import (
    DEFAULT_CATEGORIES,
    FLAGGED,
    FLOW_KINDS,
    KNOWN,
    UNRESOLVED,
    Category,
    category_for,
    generic_category,
    kind_noun,
    verdict_phrase,
    verdict_rank,
)
from secreview.review.kind import code_kinds, describe_kinds
from secreview.rules.base import FlowRule, Rule

DEFECTS_FOUND = "defects found"
NO_DEFECTS = "no defects found"
NOT_APPLICABLE = "not applicable"
NOT_REVIEWED = "not reviewed"
VERDICTS = (DEFECTS_FOUND, NO_DEFECTS, NOT_APPLICABLE, NOT_REVIEWED)

DEFECT = "defect"
MAX_SITES = 8  # locations named in one parenthesis before "and N more"


@dataclass(frozen=True, slots=True)
class TraceLine:
    kind: str
    path: str
    line: int
    description: str
    cell: int = 0  # in a notebook: the cell and the line within it
    cell_line: int = 0

    @property
    def where(self) -> str:
        return located(self.path, self.line, self.cell, self.cell_line)


@dataclass(frozen=True, slots=True)
class ReviewFinding:
    """A finding as the review shows it: paths relative to the review's base directory."""

    number: int
    finding: Finding
    path: str
    category: str  # the checklist title of its CWE, e.g. "SQL injection"
    cwe_name: str
    rule_title: str
    message: str
    code: tuple[tuple[int, str], ...]  # (line number, text)
    trace: tuple[TraceLine, ...]
    fix: str  # in words; "" when the rule gives none
    fix_code: str  # the fixed code, "" when the fix is not mechanical

    @property
    def location(self) -> str:
        return located(self.path, self.finding.line, self.finding.cell, self.finding.cell_line)

    @property
    def heading(self) -> str:
        return f"CWE-{self.finding.cwe} {self.category}"


@dataclass(frozen=True, slots=True)
class SiteGroup:
    status: str  # "defect", a verdict, or "review:…"
    phrase: tuple[str, str]  # singular, plural verb phrase
    sites: tuple[tuple[str, int], ...]  # (relative path, line)


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    cwe: int
    title: str
    verdict: str
    evidence: str
    examined: int  # distinct sites (path, line) examined
    defects: int  # findings counted in this category
    groups: tuple[SiteGroup, ...] = ()
    members: tuple[int, ...] = ()
    rule_ids: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"CWE-{self.cwe} {self.title}"

    @property
    def line(self) -> str:
        return f"{self.label}: {self.verdict}. {self.evidence}"


@dataclass(frozen=True, slots=True)
class Header:
    title: str
    base: str  # the directory the paths of the review are relative to ("" for none)
    files: int
    lines: int
    test_files: int
    kinds: tuple[tuple[str, int], ...]
    tool: str
    rules: str
    not_analysed: tuple[Diagnostic, ...]

    @property
    def kind_text(self) -> str:
        return describe_kinds(self.kinds)

    @property
    def scope_text(self) -> str:
        files = f"{self.files} file{'s' if self.files != 1 else ''}"
        lines = f"{self.lines:,} line{'s' if self.lines != 1 else ''}"
        if self.test_files == self.files and self.files:
            return f"{files}, {lines}; all test code"
        if self.test_files:
            return f"{files} ({self.test_files} of them test code), {lines}"
        return f"{files}, {lines}; no test code"


@dataclass(frozen=True, slots=True)
class Review:
    header: Header
    findings: tuple[ReviewFinding, ...]
    checklist: tuple[ChecklistEntry, ...]
    conclusion: str
    by_severity: tuple[tuple[str, int], ...] = field(default=())

    @property
    def summary(self) -> str:
        total = len(self.findings)
        if not total:
            return "no defects found"
        parts = ", ".join(f"{n} {s}" for s, n in self.by_severity if n)
        return f"{total} defect{'s' if total != 1 else ''} ({parts})"


# -- building -------------------------------------------------------------------------------------
def build_review(result: ScanResult, config: Config | None = None) -> Review:
    rules = result.rules
    selected = _selected_rules(rules, config)
    paths = Paths.for_result(result)
    findings = sorted(result.findings, key=_severity_order)
    categories = checklist_categories(rules, config)
    header = _header(result, paths, rules, selected)
    review_findings = tuple(_review_finding(i, f, paths, rules) for i, f in enumerate(findings, 1))
    checklist = tuple(_entry(category, result, paths, rules, selected) for category in categories)
    by_severity = tuple(
        (str(s), sum(1 for f in findings if f.severity is s)) for s in reversed(Severity)
    )
    conclusion = _conclusion(result, paths, review_findings, checklist, categories, by_severity)
    return Review(header, review_findings, checklist, conclusion, by_severity)


def _severity_order(finding: Finding) -> tuple[int, int, str, int, int, str]:
    return (
        -finding.severity,
        -finding.confidence,
        finding.path,
        finding.line,
        finding.col,
        finding.rule_id,
    )


def _selected_rules(rules: Sequence[type[Rule]], config: Config | None) -> set[str]:
    if config is None:
        return {r.id for r in rules}
    return {r.id for r in config.rules_for("")}


def checklist_categories(
    rules: Sequence[type[Rule]], config: Config | None = None
) -> tuple[Category, ...]:
    """The checklist: the configured CWEs, or the default categories and every other one the
    rules cover, each category once."""
    wanted: list[int] = []
    configured = _configured_cwes(config)
    if configured:
        wanted = configured
    else:
        wanted = [c.cwe for c in DEFAULT_CATEGORIES]
        extra = sorted({r.checklist_family() for r in rules if r.checklist_family()})
        wanted += extra
    out: list[Category] = []
    seen: set[int] = set()
    for cwe in wanted:
        category = category_for(cwe) or generic_category(cwe)
        if category.cwe in seen:
            continue
        if category.cwe not in KNOWN and any(cwe in c.members for c in out):
            continue
        seen.add(category.cwe)
        out.append(category)
    return tuple(out)


def _configured_cwes(config: Config | None) -> list[int]:
    return list(config.review_cwes) if config is not None else []


class Paths:
    """Paths of the review, relative to the directory every reviewed file is under."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._prefix = base + "/" if base else ""
        # the base directory where it starts the path of a Python file, in running text
        self._in_text = (
            re.compile(rf"(?<![\w/.-]){re.escape(self._prefix)}(?=[^\s:`'\"]*\.py\b)")
            if base
            else None
        )

    @classmethod
    def for_result(cls, result: ScanResult) -> Paths:
        names = [r.path for r in result.files] + [
            d.path for d in result.all_diagnostics if not d.path.startswith("<")
        ]
        return cls(common_directory(names))

    def rel(self, path: str) -> str:
        if self._prefix and path.startswith(self._prefix):
            return path[len(self._prefix) :]
        return path

    def text(self, text: str) -> str:
        """A message with the base directory taken off the paths it names."""
        return self._in_text.sub("", text) if self._in_text is not None else text


def common_directory(paths: Iterable[str]) -> str:
    directories = [posixpath.dirname(p.replace("\\", "/")) for p in paths]
    if not directories:
        return ""
    try:
        common = posixpath.commonpath(directories)
    except ValueError:  # absolute and relative paths mixed
        return ""
    return "" if common in (".", "") else common


def _header(
    result: ScanResult, paths: Paths, rules: Sequence[type[Rule]], selected: set[str]
) -> Header:
    files = [r for r in result.files]
    not_analysed = tuple(result.all_diagnostics)
    ids = sorted(r.id for r in rules)
    if len(selected) == len(rules):
        rule_text = f"{len(rules)} rules"
    else:
        rule_text = f"{len(selected)} of {len(rules)} rules selected by the configuration"
    if ids:
        rule_text += f" ({ids[0]} to {ids[-1]})"
    flow = sum(1 for r in rules if issubclass(r, FlowRule) and r.id in selected)
    if flow:
        rule_text += f", {flow} of them data-flow"
    title = paths.base or "."
    return Header(
        title=title,
        base=paths.base,
        files=len(files),
        lines=result.lines,
        test_files=sum(1 for r in files if r.test_code),
        kinds=code_kinds(files),
        tool=f"secreview {__version__}",
        rules=rule_text,
        not_analysed=not_analysed,
    )


def _rule_map(rules: Sequence[type[Rule]]) -> dict[str, type[Rule]]:
    return {r.id: r for r in rules}


def _category_title(cwe: int) -> str:
    category = category_for(cwe)
    return category.title if category is not None else cwe_name(cwe)


def _review_finding(
    number: int, finding: Finding, paths: Paths, rules: Sequence[type[Rule]]
) -> ReviewFinding:
    rule = _rule_map(rules).get(finding.rule_id)
    lines = finding.snippet.split("\n") if finding.snippet else []
    code = tuple((finding.line + i, text) for i, text in enumerate(lines[:6]))
    trace = tuple(
        TraceLine(
            step.kind,
            paths.rel(step.path),
            step.line,
            paths.text(step.description),
            step.cell,
            step.cell_line,
        )
        for step in finding.trace
    )
    fix_text = ""
    fix_code = ""
    if finding.fix is not None:
        fix_text = finding.fix.description
        fix_code = fixed_code(finding) or (finding.fix.replacement or "")
    return ReviewFinding(
        number=number,
        finding=finding,
        path=paths.rel(finding.path),
        category=_category_title(finding.cwe),
        cwe_name=cwe_name(finding.cwe),
        rule_title=rule.title if rule is not None else finding.slug,
        message=paths.text(finding.message),
        code=code,
        trace=trace,
        fix=fix_text,
        fix_code=fix_code,
    )


def fixed_code(finding: Finding) -> str:
    """The flagged lines with the fix's edits applied, when every edit falls inside them."""
    fix = finding.fix
    if fix is None or not fix.edits or not finding.snippet:
        return ""
    lines = [line.encode("utf-8") for line in finding.snippet.split("\n")]
    first, last = finding.line, finding.line + len(lines) - 1
    if any(e.line < first or e.end_line > last for e in fix.edits):
        return ""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    text = b"\n".join(lines)
    for edit in sorted(fix.edits, key=lambda e: (e.line, e.col), reverse=True):
        start = starts[edit.line - first] + edit.col
        end = starts[edit.end_line - first] + edit.end_col
        if not 0 <= start <= end <= len(text):
            return ""
        text = text[:start] + edit.content.encode("utf-8") + text[end:]
    return text.decode("utf-8", errors="replace")


# -- the checklist ---------------------------------------------------------------------------------
@dataclass(slots=True)
class _Site:
    path: str
    line: int
    records: list[ExaminedSite] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)

    @property
    def kind(self) -> str:
        pattern = [r.kind for r in self.records if not r.verdict.startswith("flow-")]
        if pattern:
            return sorted(pattern)[0]
        flow = [FLOW_KINDS.get(r.kind, r.kind) for r in self.records]
        return sorted(flow)[0] if flow else ""


def _entry(
    category: Category,
    result: ScanResult,
    paths: Paths,
    rules: Sequence[type[Rule]],
    selected: set[str],
) -> ChecklistEntry:
    members = category.members
    own_rules = [r for r in rules if set(r.all_cwes()) & members or r.checklist_family() in members]
    rule_ids = tuple(sorted(r.id for r in own_rules))
    base = {"members": tuple(sorted(members)), "rule_ids": rule_ids}
    if not own_rules:
        return ChecklistEntry(
            category.cwe,
            category.title,
            NOT_REVIEWED,
            "No rule of secreview checks this category.",
            0,
            0,
            **base,  # type: ignore[arg-type]
        )
    if not any(r.id in selected for r in own_rules):
        return ChecklistEntry(
            category.cwe,
            category.title,
            NOT_REVIEWED,
            f"Its rules ({', '.join(rule_ids)}) were not selected by the configuration.",
            0,
            0,
            **base,  # type: ignore[arg-type]
        )
    flow_rule = bool(members & _flow_cwes(rules))
    sites, findings = category_sites(category, result, rules)
    test_paths = {r.path for r in result.files if r.test_code}
    groups = _groups(category, sites, test_paths, paths, flow_rule)
    total = len(sites)
    if findings:
        verdict = DEFECTS_FOUND
    elif total:
        verdict = NO_DEFECTS
    else:
        verdict = NOT_APPLICABLE
    if total:
        evidence = _sentence(total, _noun(category, sites), groups)
    else:
        evidence = category.absent or f"No {_noun(category, sites)[1]} in the reviewed code."
    return ChecklistEntry(
        category.cwe,
        category.title,
        verdict,
        evidence,
        total,
        len(findings),
        groups,
        **base,  # type: ignore[arg-type]
    )


def _flow_cwes(rules: Sequence[type[Rule]]) -> set[int]:
    return {c for r in rules if issubclass(r, FlowRule) for c in r.all_cwes()}


def category_sites(
    category: Category, result: ScanResult, rules: Sequence[type[Rule]]
) -> tuple[list[_Site], list[Finding]]:
    """The sites of a category, each with its records, findings and suppressed findings.

    A sink that only the flow analysis recorded, with no finding of its own, a few lines away
    from a site a pattern rule judged (a multi-line call, a query built two lines above its
    execution) is taken to be that site.
    """
    members = category.members
    by_rule = _rule_map(rules)
    sites: dict[tuple[str, int], _Site] = {}
    for file_result in result.files:
        for record in file_result.examined:
            if record.cwe in members:
                key = (record.path, record.line)
                sites.setdefault(key, _Site(*key)).records.append(record)

    def belongs(finding: Finding) -> bool:
        if finding.cwe in members:
            return True
        rule = by_rule.get(finding.rule_id)
        related = set(rule.all_cwes()) if rule is not None else set()
        return bool(related & members) and (finding.path, finding.line) in sites

    counted: list[Finding] = []
    for finding in result.findings:
        if belongs(finding):
            key = (finding.path, finding.line)
            sites.setdefault(key, _Site(*key)).findings.append(finding)
            counted.append(finding)
    for finding, _how in result.suppressed:
        if belongs(finding):
            key = (finding.path, finding.line)
            sites.setdefault(key, _Site(*key)).suppressed.append(finding)
    _merge_nearby_flow_sites(sites)
    ordered = [sites[k] for k in sorted(sites)]
    return ordered, counted


NEARBY_LINES = 5


def _merge_nearby_flow_sites(sites: dict[tuple[str, int], _Site]) -> None:
    judged: dict[str, list[int]] = {}
    for (path, line), site in sites.items():
        if any(not r.verdict.startswith("flow-") for r in site.records):
            judged.setdefault(path, []).append(line)
    for key in sorted(sites):
        site = sites[key]
        if site.findings or site.suppressed:
            continue
        if any(not r.verdict.startswith("flow-") for r in site.records):
            continue
        near = [n for n in judged.get(key[0], ()) if abs(n - key[1]) <= NEARBY_LINES]
        if near:
            target = min(near, key=lambda n: (abs(n - key[1]), n))
            sites[(key[0], target)].records.extend(site.records)
            del sites[key]


def _site_status(site: _Site, test_paths: set[str], flow_rule: bool) -> tuple[str, str]:
    """(status, kind) of one site: "defect", "review:…", or the verdict that explains it.

    A rule's own verdict explains a site better than the data flow's, except where a rule
    flagged the site and the flow then traced every value to something safe.
    """
    kind = site.kind
    if site.findings:
        return DEFECT, kind
    if site.suppressed:
        return "review:suppressed", kind
    pattern = [r for r in site.records if not r.verdict.startswith("flow-")]
    flow = [r for r in site.records if r.verdict.startswith("flow-")]
    tainted = any(r.verdict == "flow-tainted" for r in flow)
    if any(r.verdict in FLAGGED for r in pattern) or (tainted and flow_rule):
        if any(r.verdict == "flow-followed" for r in flow):
            return "flow-followed", kind
        if site.path in test_paths:
            return "review:test-code", kind
        return "review:below-threshold", kind
    if pattern:
        best = min(pattern, key=lambda r: (verdict_rank(r.kind, r.verdict), r.kind, r.verdict))
        return best.verdict, best.kind
    if tainted:
        return "review:unreported-flow", kind
    best = min(flow, key=lambda r: (verdict_rank(r.kind, r.verdict), r.kind, r.verdict))
    return best.verdict, kind


def _groups(
    category: Category,
    sites: list[_Site],
    test_paths: set[str],
    paths: Paths,
    flow_rule: bool,
) -> tuple[SiteGroup, ...]:
    """The sites grouped by what they say (the same words make one group): defects first,
    then suppressed findings and unreported flows, then the verdicts in the table's order."""
    groups: dict[str, tuple[tuple[int, int, str], str, tuple[str, str], list[tuple[str, int]]]] = {}
    for site in sites:
        status, kind = _site_status(site, test_paths, flow_rule)
        phrase = category.defect if status == DEFECT else verdict_phrase(kind, status)
        if status == DEFECT:
            order = (0, 0, "")
        elif status in ("review:suppressed", "review:unreported-flow"):
            order = (1, 0, status)
        else:
            order = (2, verdict_rank(kind, status), phrase[1])
        location = (paths.rel(site.path), site.line)
        if phrase[1] in groups:
            old_order, old_status, _, locations = groups[phrase[1]]
            locations.append(location)
            if order < old_order:
                groups[phrase[1]] = (order, status, phrase, locations)
        else:
            groups[phrase[1]] = (order, status, phrase, [location])
    ordered = sorted(groups.values(), key=lambda g: (g[0], g[2][1]))
    return tuple(
        SiteGroup(status, phrase, tuple(sorted(locs))) for _, status, phrase, locs in ordered
    )


def _noun(category: Category, sites: list[_Site]) -> tuple[str, str]:
    if category.noun_first and category.noun[0]:
        return category.noun
    kinds = {s.kind for s in sites if s.kind}
    if len(kinds) == 1:
        return kind_noun(kinds.pop())
    if category.noun[0]:
        return category.noun
    if len(kinds) > 1:
        return "site", "sites"
    members = sorted(r.kind for s in sites for r in s.records)
    return kind_noun(members[0]) if members else ("site", "sites")


def format_sites(sites: Sequence[tuple[str, int]], limit: int = MAX_SITES) -> str:
    """`db.py:40, 52, 77; app.py:3`, the first `limit` of them, then "and N more"."""
    shown = list(sites[:limit])
    parts: list[str] = []
    current = None
    for path, line in shown:
        if not line:  # the file as a whole
            parts.append(path)
            current = None
        elif path == current:
            parts[-1] += f", {line}"
        else:
            parts.append(f"{path}:{line}")
            current = path
    text = "; ".join(parts)
    if len(sites) > limit:
        text += f" and {len(sites) - limit} more"
    return text


def _sentence(total: int, noun: tuple[str, str], groups: tuple[SiteGroup, ...]) -> str:
    head = f"{total} {noun[0] if total == 1 else noun[1]} examined"
    if len(groups) == 1:
        group = groups[0]
        who = "it" if total == 1 else ("both" if total == 2 else "all")
        verb = group.phrase[0] if total == 1 else group.phrase[1]
        return f"{head}{_where(group.sites)}; {who} {verb}."
    parts = [
        f"{len(g.sites)} {g.phrase[0] if len(g.sites) == 1 else g.phrase[1]}{_where(g.sites)}"
        for g in groups
    ]
    return f"{head}: {_join(parts)}."


def _where(sites: Sequence[tuple[str, int]]) -> str:
    """` (db.py:40, 52)`; nothing for whole-file records (every file is one)."""
    if all(line == 0 for _, line in sites):
        return ""
    return f" ({format_sites(sites)})"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# -- the conclusion --------------------------------------------------------------------------------
def _conclusion(
    result: ScanResult,
    paths: Paths,
    findings: tuple[ReviewFinding, ...],
    checklist: tuple[ChecklistEntry, ...],
    categories: tuple[Category, ...],
    by_severity: tuple[tuple[str, int], ...],
) -> str:
    sentences: list[str] = []
    files = len(result.files)
    if findings:
        counts = _join([f"{n} {s}" for s, n in by_severity if n])
        word = "defect" if len(findings) == 1 else "defects"
        categories_hit = [e.label for e in checklist if e.verdict == DEFECTS_FOUND]
        sentence = f"{len(findings)} {word} ({counts})"
        if categories_hit:
            sentence += (
                f" in {len(categories_hit)} categor{'y' if len(categories_hit) == 1 else 'ies'}"
            )
        sentences.append(sentence + ".")
        top = findings[0]
        f = top.finding
        sentences.append(
            f"The most important is {top.heading} at {top.location} ({f.severity}, "
            f"{f.confidence} confidence, {f.rule_id}): {_period(top.message)}"
        )
    else:
        clean = sum(1 for e in checklist if e.verdict == NO_DEFECTS)
        where = f"{files} file{'s' if files != 1 else ''}"
        if not files:
            sentences.append("No Python files were reviewed.")
        elif not clean:
            sentences.append(
                f"No defects found in {where}; none of the categories had sites to examine."
            )
        else:
            sentences.append(
                f"No defects found in {where}: {clean} of the {len(checklist)} categories had "
                "sites to examine, and no defect was reported in any of them."
            )
    unseen = _unseen(result, paths, categories)
    if unseen:
        sentences.append("The review could not see: " + "; ".join(unseen) + ".")
    else:
        sentences.append(
            "Every file was analysed, and no examined site depends on code outside the "
            "scanned tree."
        )
    return " ".join(sentences)


def _period(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _unseen(result: ScanResult, paths: Paths, categories: tuple[Category, ...]) -> list[str]:
    out: list[str] = []
    diagnostics = result.all_diagnostics
    files = [d for d in diagnostics if not d.path.startswith("<")]
    if files:
        shown = ", ".join(
            f"{paths.rel(d.path)}{':' + str(d.line) if d.line else ''} ({d.kind})"
            for d in files[:5]
        )
        more = f" and {len(files) - 5} more" if len(files) > 5 else ""
        count = len({d.path for d in files})
        out.append(
            f"{count} file{'s' if count != 1 else ''} that could not be fully analysed "
            f"({shown}{more})"
        )
    for d in diagnostics:
        if d.path.startswith("<"):
            out.append(paths.text(d.message))
    members = set().union(*(c.members for c in categories)) if categories else set()
    open_sites = sorted(
        {
            (paths.rel(e.path), e.line)
            for r in result.files
            for e in r.examined
            if e.verdict == "flow-open" and e.cwe in members
        }
    )
    if open_sites:
        n = len(open_sites)
        out.append(
            f"what callers outside the scanned code pass to {n} sink{'s' if n != 1 else ''} "
            f"({format_sites(open_sites, 6)})"
        )
    blind = sorted(
        {
            (paths.rel(step.path), step.line)
            for f in result.findings
            for step in f.trace
            if step.kind == "unknown"
        }
    )
    if blind:
        n = len(blind)
        out.append(
            f"inside {n} call{'s' if n != 1 else ''} that data flows through and that secreview "
            f"cannot see into ({format_sites(blind, 6)})"
        )
    unresolved = sorted(
        {
            (paths.rel(e.path), e.line)
            for r in result.files
            for e in r.examined
            if e.verdict in UNRESOLVED and e.cwe in members
        }
    )
    if unresolved:
        n = len(unresolved)
        out.append(
            f"the values at {n} examined site{'s' if n != 1 else ''} that are not constant and "
            f"were not resolved ({format_sites(unresolved, 6)})"
        )
    return out


def count_by_verdict(checklist: Iterable[ChecklistEntry]) -> Counter[str]:
    return Counter(e.verdict for e in checklist)
