"""The review of a scan: a header, the findings most severe first, the CWE checklist with its
evidence, and a conclusion. Computed from a ScanResult alone, so the same scan gives the same
review, word for word; the reporters only lay it out.
"""

from __future__ import annotations

import configparser
import keyword
import posixpath
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from secreview import __version__
from secreview.analysis import ScanResult
from secreview.config import Config
from secreview.cwe import cwe_name
from secreview.findings import Diagnostic, ExaminedSite, Finding, Severity
from secreview.findings import location as located
from secreview.models import ModelSet, builtin_models
from secreview.parsing.source import read_bytes
from secreview.review.categories import (
    APPLIES_ONLY_WITH,
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

if TYPE_CHECKING:
    from secreview.changes.review import DiffResult

DEFECTS_FOUND = "defects found"
PRESENT_BEFORE = "defects present before this change"
BELOW_THRESHOLDS = "flagged below the configured thresholds"
NO_DEFECTS = "no defects found"
NOTHING_MODELLED = "nothing that secreview models"
NOT_APPLICABLE = "not applicable"
NOT_REVIEWED = "not reviewed"
VERDICTS = (
    DEFECTS_FOUND,
    PRESENT_BEFORE,
    BELOW_THRESHOLDS,
    NO_DEFECTS,
    NOTHING_MODELLED,
    NOT_APPLICABLE,
    NOT_REVIEWED,
)
# The checklist's sections, in order: categories with findings, categories examined and clean,
# then one line for those with nothing to examine and one for those not reviewed.
FLAGGED_VERDICTS = (DEFECTS_FOUND, PRESENT_BEFORE, BELOW_THRESHOLDS)
EMPTY_VERDICTS = (NOTHING_MODELLED, NOT_APPLICABLE)

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
    modelled: str = ""  # what secreview models for this category, in a few words

    @property
    def label(self) -> str:
        return f"CWE-{self.cwe} {self.title}"

    @property
    def section(self) -> int:
        """0: findings, 1: examined and clean, 2: nothing to examine, 3: not reviewed."""
        if self.verdict in FLAGGED_VERDICTS:
            return 0
        if self.verdict == NO_DEFECTS:
            return 1
        return 2 if self.verdict in EMPTY_VERDICTS else 3

    @property
    def short(self) -> str:
        """The category in the one line of its section: `CWE-90 LDAP injection (LDAP searches)`."""
        if self.verdict == NOTHING_MODELLED:
            return f"{self.label} ({self.modelled})"
        if self.verdict == NOT_APPLICABLE:
            return f"{self.label} ({_lower_first(self.evidence.rstrip('.'))})"
        return self.label

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
class ChangeReview:
    """What a change review adds: the change's name and what it did to the findings."""

    name: str  # "main...feature", "fix.patch", "HEAD..working tree"
    compared: str  # "HEAD (1a2b3c4) -> working tree, 1 Python file changed"
    resolved: tuple[ReviewFinding, ...]  # findings of the base revision the change removed
    before: tuple[ReviewFinding, ...]  # findings of the changed files that it left in place


@dataclass(frozen=True, slots=True)
class Review:
    header: Header
    findings: tuple[ReviewFinding, ...]
    checklist: tuple[ChecklistEntry, ...]  # in display order: see ChecklistEntry.section
    conclusion: str
    by_severity: tuple[tuple[str, int], ...] = field(default=())
    change: ChangeReview | None = None

    @property
    def summary(self) -> str:
        total = len(self.findings)
        parts = ", ".join(f"{n} {s}" for s, n in self.by_severity if n)
        counted = f"{total} defect{'s' if total != 1 else ''} ({parts})" if total else ""
        if self.change is None:
            if counted:
                return counted
            if any(e.verdict == BELOW_THRESHOLDS for e in self.checklist):
                return "no defects at the configured thresholds"
            return "no defects found"
        out = [f"{counted} introduced" if total else "no new defects"]
        if self.change.resolved:
            out.append(f"{len(self.change.resolved)} resolved")
        if self.change.before:
            out.append(f"{len(self.change.before)} present before this change")
        return ", ".join(out)

    @property
    def examined(self) -> tuple[ChecklistEntry, ...]:
        """The checklist's own lines: categories with findings, then examined and clean."""
        return tuple(e for e in self.checklist if e.section < 2)

    @property
    def nothing_to_examine(self) -> str:
        """The one line that names every category with nothing to examine ("" for none)."""
        modelled = [e.short for e in self.checklist if e.verdict == NOTHING_MODELLED]
        inapplicable = [e.short for e in self.checklist if e.verdict == NOT_APPLICABLE]
        count = len(modelled) + len(inapplicable)
        if not count:
            return ""
        parts = []
        if modelled:
            parts.append("nothing that secreview models, for " + "; ".join(modelled))
        if inapplicable:
            parts.append("not applicable: " + "; ".join(inapplicable))
        noun = "category" if count == 1 else "categories"
        return f"Nothing to examine in {count} {noun}: " + "; and ".join(parts) + "."

    @property
    def not_reviewed(self) -> str:
        """The one line that names the categories no selected rule checks ("" for none)."""
        entries = [e for e in self.checklist if e.section == 3]
        if not entries:
            return ""
        return (
            "Not reviewed: "
            + "; ".join(f"{e.label} ({_lower_first(e.evidence.rstrip('.'))})" for e in entries)
            + "."
        )


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


# -- building -------------------------------------------------------------------------------------
def build_review(result: ScanResult, config: Config | None = None) -> Review:
    rules = result.rules
    selected = _selected_rules(rules, config)
    change = _change_of(result)
    paths = Paths.for_result(result, change)
    findings = sorted(result.findings, key=_severity_order)
    categories = checklist_categories(rules, config)
    header = _header(result, paths, rules, selected, config, change)
    review_findings = tuple(_review_finding(i, f, paths, rules) for i, f in enumerate(findings, 1))
    change_review = _change_review(change, paths, rules) if change is not None else None
    models = _models(config)
    checklist = tuple(
        sorted(
            (_entry(category, result, paths, rules, selected, models) for category in categories),
            key=lambda entry: entry.section,  # stable: the categories' order within a section
        )
    )
    by_severity = tuple(
        (str(s), sum(1 for f in findings if f.severity is s)) for s in reversed(Severity)
    )
    conclusion = _conclusion(
        result, paths, review_findings, checklist, categories, by_severity, change_review
    )
    return Review(header, review_findings, checklist, conclusion, by_severity, change_review)


def _change_of(result: ScanResult) -> DiffResult | None:
    from secreview.changes.review import DiffResult  # the change machinery needs the analysis

    return result if isinstance(result, DiffResult) else None


def _change_review(change: DiffResult, paths: Paths, rules: Sequence[type[Rule]]) -> ChangeReview:
    files = len(change.change.files)
    compared = (
        f"{change.change.base_label} -> {change.change.head_label}, "
        f"{files} Python file{'s' if files != 1 else ''} changed"
    )
    if change.analysed_for_context:
        compared += f" ({change.analysed_for_context} more analysed for data flow)"
    resolved = sorted(change.resolved, key=_severity_order)
    before = sorted(change.preexisting, key=_severity_order)
    return ChangeReview(
        name=change.change.name or f"{change.change.base_label}..{change.change.head_label}",
        compared=compared,
        resolved=tuple(_review_finding(i, f, paths, rules) for i, f in enumerate(resolved, 1)),
        before=tuple(_review_finding(i, f, paths, rules) for i, f in enumerate(before, 1)),
    )


def _models(config: Config | None) -> ModelSet | None:
    if config is None:
        return builtin_models()
    return config.model_set() if config.dataflow else None


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
    def for_result(cls, result: ScanResult, change: DiffResult | None = None) -> Paths:
        names = [r.path for r in result.files] + [
            d.path for d in result.all_diagnostics if not d.path.startswith("<")
        ]
        if change is not None:
            names += [f.path for f in (*change.resolved, *change.preexisting)]
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
    result: ScanResult,
    paths: Paths,
    rules: Sequence[type[Rule]],
    selected: set[str],
    config: Config | None,
    change: DiffResult | None,
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
    if change is not None:
        title = change.change.name or "the change"
    else:
        title = review_title([r.path for r in files], paths.base)
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


def review_title(paths: Sequence[str], base: str) -> str:
    """What was reviewed: the file, when there is one; else the project, by the name its
    pyproject.toml or setup.cfg gives it, or by its directory's name."""
    if len(paths) == 1:
        return paths[0]
    directory = Path(base) if base else Path.cwd()
    name = project_name(directory)
    if name:
        return name
    return base or directory.resolve().name or str(directory)


def project_name(directory: Path) -> str:
    """The project name pyproject.toml ([project] or [tool.poetry]) or setup.cfg ([metadata])
    gives, or "" when neither file names one (or cannot be read: the review goes on)."""
    from secreview.reporters.escape import escape_line

    # The scanned project's files, so read like its code: regular files only (a FIFO named
    # pyproject.toml would block), at most 1 MB, and the name shown escaped.
    pyproject = read_bytes(directory / "pyproject.toml", "pyproject.toml", 1 << 20)
    try:
        data = tomllib.loads(pyproject.decode("utf-8")) if isinstance(pyproject, bytes) else {}
        for table in (data.get("project"), data.get("tool", {}).get("poetry")):
            if isinstance(table, dict) and isinstance(table.get("name"), str) and table["name"]:
                return escape_line(str(table["name"]))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, AttributeError, RecursionError):
        pass
    setup_cfg = read_bytes(directory / "setup.cfg", "setup.cfg", 1 << 20)
    if not isinstance(setup_cfg, bytes):
        return ""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(setup_cfg.decode("utf-8"))
        return escape_line(parser.get("metadata", "name", fallback="").strip())
    except (configparser.Error, UnicodeDecodeError):
        return ""


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
    before: list[Finding] = field(default_factory=list)  # there before the change reviewed

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
    models: ModelSet | None,
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
    running = [r for r in own_rules if r.id in selected]
    modelled = modelled_scope(category, running, models)
    flow_rule = bool(members & _flow_cwes(rules))
    sites, findings = category_sites(category, result, rules)
    test_paths = {r.path for r in result.files if r.test_code}
    groups = _groups(category, sites, test_paths, paths, flow_rule)
    total = len(sites)
    statuses = {g.status for g in groups}
    if findings:
        verdict = DEFECTS_FOUND
    elif PRESENT in statuses:
        verdict = PRESENT_BEFORE
    elif BELOW in statuses:
        verdict = BELOW_THRESHOLDS
    elif total:
        verdict = NO_DEFECTS
    else:
        verdict = _nothing_examined(category, result)
    if total:
        evidence = _sentence(total, _noun(category, sites), groups)
    elif verdict == NOT_APPLICABLE:
        evidence = (
            APPLIES_ONLY_WITH[category.cwe][1] if result.files else "No Python code was read."
        )
    else:
        evidence = f"Nothing that secreview models in the reviewed code; it models {modelled}."
    resolved = _resolved_here(category, result, paths, rules)
    if resolved:
        n = len(resolved)
        evidence += (
            f" The change resolves {n} finding{'s' if n != 1 else ''} here "
            f"({format_sites(resolved)}, before the change)."
        )
    return ChecklistEntry(
        category.cwe,
        category.title,
        verdict,
        evidence,
        total,
        len(findings),
        groups,
        modelled=modelled,
        **base,  # type: ignore[arg-type]
    )


PRESENT = "review:present-before"
BELOW = "review:below-threshold"


def _nothing_examined(category: Category, result: ScanResult) -> str:
    """ "not applicable" where the parse proves the category cannot apply, else "nothing that
    secreview models": its absence from the models is no evidence that the code is safe."""
    if not result.files:
        return NOT_APPLICABLE
    rule = APPLIES_ONLY_WITH.get(category.cwe)
    if rule is None:
        return NOTHING_MODELLED
    imports, _reason = rule
    if not imports:
        return NOT_APPLICABLE
    imported = set().union(*(r.framework_hints for r in result.files))
    return NOTHING_MODELLED if imports & imported else NOT_APPLICABLE


def modelled_scope(category: Category, rules: Sequence[type[Rule]], models: ModelSet | None) -> str:
    """What secreview models for `category`: the constructs its rules judge and, when a
    data-flow rule covers it, the libraries whose calls the models make its sinks."""
    text = category.modelled or "what " + ", ".join(sorted(r.id for r in rules)) + " check"
    if models is None or not any(issubclass(r, FlowRule) for r in rules):
        return text
    calls = {
        sink.call
        for sinks in models.sinks.values()
        for sink in sinks
        if sink.cwe in category.members
    }
    # Sinks are named by qualified call: a builtin (`eval`, `builtins.open`) is shown as a
    # call, a method of any receiver (`*.cursor.execute`) as `.execute()`, anything else by
    # its package; pseudo-calls (`raise`, `<shell -c>`) are left out. The names with the most
    # sinks come first: `subprocess` before `platform`.
    counted: Counter[str] = Counter()
    for call in calls:
        if call.startswith("<"):
            continue
        if call.startswith("*"):
            counted[f".{call.rsplit('.', 1)[-1]}()"] += 1
            continue
        name = call.removeprefix("builtins.").removeprefix("__builtin__.")
        head = name.split(".", 1)[0]
        if not keyword.iskeyword(head):
            counted[head if "." in name else f"{head}()"] += 1
    names = sorted(counted, key=lambda n: (-counted[n], n))
    if not names:
        return text
    shown = names[:MAX_PACKAGES]
    more = f" and {len(names) - MAX_PACKAGES} more" if len(names) > MAX_PACKAGES else ""
    return f"{text}, and data flow into {', '.join(shown)}{more}"


MAX_PACKAGES = 5


def _resolved_here(
    category: Category, result: ScanResult, paths: Paths, rules: Sequence[type[Rule]]
) -> list[tuple[str, int]]:
    resolved = getattr(result, "resolved", None) or []
    by_rule = _rule_map(rules)
    out = []
    for finding in resolved:
        rule = by_rule.get(finding.rule_id)
        family = rule.checklist_family() if rule is not None else 0
        if finding.cwe in category.members or family in category.members:
            out.append((paths.rel(finding.path), finding.line))
    return sorted(set(out))


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
    for finding in getattr(result, "preexisting", ()):
        if belongs(finding):
            key = (finding.path, finding.line)
            sites.setdefault(key, _Site(*key)).before.append(finding)
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
        if site.findings or site.suppressed or site.before:
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
    if site.before:
        return PRESENT, kind
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
        elif status == PRESENT:
            order = (0, 1, "")
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
    change: ChangeReview | None = None,
) -> str:
    sentences: list[str] = []
    files = len(result.files)
    introduced = " introduced by the change" if change is not None else ""
    if findings:
        counts = _join([f"{n} {s}" for s, n in by_severity if n])
        word = "defect" if len(findings) == 1 else "defects"
        categories_hit = [e.label for e in checklist if e.verdict == DEFECTS_FOUND]
        sentence = f"{len(findings)} {word}{introduced} ({counts})"
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
    elif change is not None:
        sentences.append("The change introduces no defects.")
    else:
        clean = sum(1 for e in checklist if e.verdict == NO_DEFECTS)
        where = f"{files} file{'s' if files != 1 else ''}"
        if not files:
            sentences.append("No Python files were reviewed.")
        elif any(e.verdict == BELOW_THRESHOLDS for e in checklist):
            sentences.append(f"No finding in {where} reaches the configured thresholds.")
        elif not clean:
            sentences.append(
                f"No defects found in {where}; none of the categories had sites to examine."
            )
        else:
            sentences.append(
                f"No defects found in {where}: {clean} of the {len(checklist)} categories had "
                "sites to examine, and no defect was reported in any of them."
            )
    if change is not None:
        sentences += _change_sentences(change)
    below = [e.label for e in checklist if e.verdict == BELOW_THRESHOLDS]
    if below:
        sentences.append(
            "Sites flagged below the configured thresholds (severity, confidence or baseline) "
            f"are not counted as defects, but are not shown clean either: {_join(below)}."
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


def _change_sentences(change: ChangeReview) -> list[str]:
    out: list[str] = []
    if change.resolved:
        out.append(f"It resolves {_join([_brief(r) for r in change.resolved])}.")
    if change.before:
        n = len(change.before)
        verb = "was" if n == 1 else "were"
        out.append(
            f"{n} defect{'s' if n != 1 else ''} {verb} present before this change in the "
            f"files it touches and {'is' if n == 1 else 'are'} still there: "
            f"{_join([_brief(r, severity=True) for r in change.before])}."
        )
    return out


def _brief(item: ReviewFinding, severity: bool = False) -> str:
    """`CWE-89 SQL injection at db.py:13 (SR902)`, with the severity when asked."""
    f = item.finding
    what = f"{f.severity}, {f.rule_id}" if severity else f.rule_id
    return f"{item.heading} at {item.location} ({what})"


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
