"""The rule framework: a rule declares what it is and which node types it wants to see.

Rules never walk the tree themselves. The walker visits every node once and hands each one to
the rules subscribed to its type (Bandit's `@checks`, Ruff's single traversal), so adding a rule
costs one method call per matching node, not a walk.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from secreview.cwe import cwe_name, cwe_url
from secreview.findings import Confidence, Severity

if TYPE_CHECKING:
    from secreview.engine.project_constants import PendingConstant
    from secreview.engine.taint import FlowHit
    from secreview.engine.walker import Walker
    from secreview.findings import ExaminedSite, Finding

DOC_HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead", "References")


class Rule:
    """Base class. Subclasses set the class attributes and implement `check`.

    A fresh instance is made for every file, so a rule may keep per-module state on `self`
    and report it from `end_module` (e.g. the views of one module that lack a decorator).
    """

    id: ClassVar[str] = ""
    slug: ClassVar[str] = ""
    cwe: ClassVar[int] = 0
    related_cwes: ClassVar[tuple[int, ...]] = ()
    title: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.MEDIUM
    confidence: ClassVar[Confidence] = Confidence.MEDIUM
    # The walker reads this from the instance, so a rule may narrow it in __init__ (see
    # TrackingRule: one rule of a walk feeds the shared record of assignments).
    node_types: ClassVar[tuple[type[ast.AST], ...]] = ()
    # For a rule that judges only calls of known functions: the last segments of their names
    # (`loads` for `pickle.loads`, `execute` for `cursor.execute`). The walker then hands the
    # rule only calls whose resolved or written name ends so. None: every call. A class-level
    # declaration: the walker indexes it once per selection of rules.
    call_leaves: ClassVar[frozenset[str] | None] = None
    # How the rule treats test code: "report" as usual, "lower" to low severity, "skip" entirely.
    in_tests: ClassVar[str] = "report"
    # The review checklist category this rule's evidence belongs to (defaults to `cwe`).
    family: ClassVar[int] = 0

    def __init__(self, walker: Walker) -> None:
        self.walker = walker

    def check(self, node: ast.AST) -> None:
        raise NotImplementedError(f"{type(self).__name__} subscribes to nodes but has no check()")

    def begin_module(self) -> None:
        """Called before the walk of a module."""

    def end_module(self) -> None:
        """Called after the walk of a module, deferred function bodies included."""

    @classmethod
    def complete_constant(
        cls, pending: PendingConstant, value: Any
    ) -> tuple[Finding | None, ExaminedSite | None]:
        """Answer a `Walker.defer_constant` question once every module is walked: `value` is
        the constant another module defines (NOT_CONSTANT when it defines none). Gives the
        finding to report, if any, and the site as the review's evidence, if any."""
        return None, None

    # -- documentation ----------------------------------------------------------------------
    @classmethod
    def docs(cls) -> str:
        return _dedent(cls.__doc__ or "")

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        """The docstring split at its `## Heading` lines."""
        sections: dict[str, str] = {}
        current = ""
        for line in cls.docs().splitlines():
            match = re.match(r"^##\s+(.*\S)\s*$", line)
            if match:
                current = match.group(1)
                sections[current] = ""
            elif current:
                sections[current] += line + "\n"
        return {k: v.strip("\n") for k, v in sections.items()}

    @classmethod
    def checklist_family(cls) -> int:
        return cls.family or cls.cwe

    @classmethod
    def cwe_name(cls) -> str:
        return cwe_name(cls.cwe)

    @classmethod
    def cwe_url(cls) -> str:
        return cwe_url(cls.cwe)

    @classmethod
    def all_cwes(cls) -> tuple[int, ...]:
        return (cls.cwe, *cls.related_cwes)


def _dedent(text: str) -> str:
    lines = text.expandtabs().splitlines()
    if not lines:
        return ""
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    margin = min(indents) if indents else 0
    out = [lines[0].strip()] + [line[margin:] for line in lines[1:]]
    return "\n".join(out).strip() + "\n"


class FlowRule(Rule):
    """A data-flow rule: untrusted data of `source_kinds` reaching a sink of `cwe`.

    Flow rules do not look at nodes; the solver finds their flows across the whole project and
    the rule decides what a flow means: its severity by source kind and its message.
    """

    source_kinds: ClassVar[frozenset[str]] = frozenset({"remote", "local", "cli"})
    # Severity by the kind of the source; kinds not listed use the rule's severity.
    kind_severity: ClassVar[dict[str, Severity]] = {
        "local": Severity.MEDIUM,
        "cli": Severity.LOW,
    }
    # The sink concepts this rule reports, when not every sink of its CWE (another rule of
    # the same CWE reports the rest): a template's unescaped output is not a response body.
    concepts: ClassVar[frozenset[str]] = frozenset()
    # Pattern rules whose finding at the same site this rule's finding replaces.
    supersedes: ClassVar[tuple[str, ...]] = ()
    # Whether those pattern findings are replaced at the flow's source too (a pattern rule that
    # flags where a value is made, not where it is used).
    supersedes_at_source: ClassVar[bool] = False

    def check(self, node: ast.AST) -> None:  # pragma: no cover - flow rules get no nodes
        return

    @classmethod
    def severity_for(cls, kind: str) -> Severity:
        return cls.kind_severity.get(kind, cls.severity)

    @classmethod
    def judge(
        cls, hit: FlowHit, severity: Severity, confidence: Confidence
    ) -> tuple[Severity, Confidence]:
        """The severity and confidence of one flow, given those of its source kind: a rule whose
        sinks differ in weight (a key against a value merely named like one) adjusts them."""
        return severity, confidence

    @classmethod
    def select(cls, hits: list[FlowHit]) -> list[FlowHit]:
        """The flows of this rule's CWE worth reporting, among all the scan's flows (others are
        passed through): a rule with fallback sinks drops those a surer sink already covers."""
        return hits

    # The fix in words, shown with every finding of the rule.
    fix: ClassVar[str] = ""

    @classmethod
    def fix_text(cls) -> str:
        return cls.fix or f"see `secreview explain {cls.id}`"


def leaves_of(*names: Iterable[str]) -> frozenset[str]:
    """The last segments of qualified names: what `Rule.call_leaves` holds."""
    return frozenset(name.rpartition(".")[2] for group in names for name in group)
