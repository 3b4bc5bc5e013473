"""Plain data produced by an analysis: findings, fixes, traces, diagnostics, examined sites."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


class Confidence(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Confidence:
        return cls[text.strip().upper()]


def location(path: str, line: int, cell: int = 0, cell_line: int = 0) -> str:
    """`path:line`, or `path:cell 3:line 2` for a line of a notebook's cell."""
    if cell:
        return f"{path}:cell {cell}:line {cell_line}"
    return f"{path}:{line}"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between two positions (1-based lines, 0-based columns) with `content`."""

    line: int
    col: int
    end_line: int
    end_col: int
    content: str


@dataclass(frozen=True, slots=True)
class Fix:
    """How to fix a finding: always in words, and as edits when the fix is mechanical."""

    description: str
    edits: tuple[Edit, ...] = ()
    replacement: str | None = None  # the fixed code of the flagged expression, for display


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One hop of a data flow: where the value is, and what happened to it there."""

    kind: str  # "source", "step", "call", "return", "sink"
    path: str
    line: int
    col: int
    description: str
    cell: int = 0  # in a notebook: the cell (`line` is then the .ipynb file's line)
    cell_line: int = 0  # and the line within the cell

    @property
    def where(self) -> str:
        return location(self.path, self.line, self.cell, self.cell_line)


@dataclass(frozen=True, slots=True)
class Finding:
    """One defect. Frozen, so equality and hashing agree and include the location."""

    rule_id: str
    slug: str
    cwe: int
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    severity: Severity
    confidence: Confidence
    message: str
    snippet: str = ""
    fix: Fix | None = None
    trace: tuple[TraceStep, ...] = ()
    evidence: str = ""  # how the finding was established: "proven flow", "non-constant argument"…
    test_code: bool = False
    scope: str = ""  # qualified name of the enclosing function or class, "" at module level
    # In a notebook: the cell (1-based among all cells) and the line within it; `line` and
    # `end_line` are then lines of the .ipynb file, `col` and `end_col` columns of the cell's line.
    cell: int = 0
    cell_line: int = 0

    @property
    def where(self) -> str:
        """`app.py:18`, or `nb.ipynb:cell 3:line 2` in a notebook."""
        return location(self.path, self.line, self.cell, self.cell_line)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.rule_id)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A file that could not be analysed (or a problem in one), with a one-line reason."""

    path: str
    kind: str  # syntax-error, python2, newer-syntax, decode-error, binary, too-large, …
    message: str
    line: int = 0
    col: int = 0
    cell: int = 0  # in a notebook, as in Finding
    cell_line: int = 0

    def one_line(self) -> str:
        where = self.path
        if self.line:
            where = f"{location(self.path, self.line, self.cell, self.cell_line)}:{self.col}"
        return f"{where}: {self.kind}: {self.message}"


@dataclass(frozen=True, slots=True)
class ExaminedSite:
    """A security-relevant site a rule looked at, whether or not it was a defect.

    The review's checklist is built from these: "3 SQL execution sites examined, all
    parameterised" needs the sites that were fine as much as the ones that were not.
    """

    cwe: int
    path: str
    line: int
    kind: str  # what the site is: "sql-execution", "process-execution", "credential-value", …
    verdict: str  # "constant", "parameterised", "sanitised", "flagged", "test-data", …
    detail: str = ""
    cell: int = 0  # in a notebook, as in Finding
    cell_line: int = 0

    @property
    def where(self) -> str:
        return location(self.path, self.line, self.cell, self.cell_line)


@dataclass(slots=True)
class FileResult:
    """Everything one file's analysis produced. Picklable, so workers can return it."""

    path: str
    lines: int = 0
    test_code: bool = False
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    examined: list[ExaminedSite] = field(default_factory=list)
    suppressed: list[tuple[Finding, str]] = field(default_factory=list)  # finding, comment kind
    tests_hidden: int = 0  # findings in test code left out of the report (--include-tests)
    stale_suppressions: list[tuple[int, str]] = field(default_factory=list)  # line, comment
    framework_hints: frozenset[str] = frozenset()
    relpath: str = ""  # the path inside the project that configuration patterns match
    dialect: str = "python3"  # "python3", "python2" or "notebook": see ParsedSource.dialect
    analysed: bool = True  # False when the file could not be read or parsed at all
    # A notebook's module line -> cell map (secreview.parsing.notebook.CellMap), until the
    # findings are moved to their cells after solving.
    cells: Any = None
    ir: Any = None  # the module's data-flow IR (secreview.engine.ir.ModuleIR), until solved
    # A template file's unescaped outputs (secreview.parsing.templates.TemplateInfo).
    template: Any = None
