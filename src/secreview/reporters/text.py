"""Human output for the terminal: findings grouped by file, a summary line at the end."""

from __future__ import annotations

from itertools import groupby
from typing import IO

from rich.console import Console
from rich.markup import escape
from rich.style import Style
from rich.text import Text

from secreview.analysis import ScanResult
from secreview.doc_links import DocLinks, doc_links
from secreview.findings import Finding, Severity

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
}


def make_console(stream: IO[str], colour: bool) -> Console:
    return Console(
        file=stream,
        force_terminal=colour,
        no_color=not colour,
        highlight=False,
        soft_wrap=True,
        width=10_000 if not colour else None,
    )


def render(
    result: ScanResult, stream: IO[str], colour: bool = False, links: DocLinks | None = None
) -> None:
    console = make_console(stream, colour)
    links = links or doc_links()
    findings = result.findings
    for path, group in groupby(findings, key=lambda f: f.path):
        console.print(Text(path, style="bold underline"))
        for finding in group:
            _render_finding(console, finding, links)
        console.print()
    console.print(summary_line(result))


def _render_finding(console: Console, finding: Finding, links: DocLinks) -> None:
    style = SEVERITY_STYLE[finding.severity]
    docs = links.url(finding.rule_id, finding.slug)
    # In a notebook the cell and its line; the .ipynb file's line means little to a reader.
    place = f"cell {finding.cell}:line {finding.cell_line}" if finding.cell else finding.line
    first = finding.cell_line if finding.cell else finding.line
    head = Text.assemble(
        (f"  {place}:{finding.col + 1}", "bold"),
        "  ",
        (finding.rule_id, Style(color="magenta", link=docs)),  # a link in terminals that can
        " ",
        (f"[{finding.severity}]", style),
        f" CWE-{finding.cwe} ",
        finding.message,
        (f"  (confidence: {finding.confidence}", "dim"),
        (f"; {finding.evidence})" if finding.evidence else ")", "dim"),
    )
    console.print(head)
    for offset, line in enumerate(finding.snippet.splitlines()[:3]):
        console.print(Text(f"    {first + offset:>5} | ", style="dim") + Text(line))
    for step in finding.trace:
        console.print(
            Text(f"      {step.kind:>6}: ", style="dim") + Text(f"{step.where} {step.description}")
        )
    if finding.fix is not None:
        fix = f"      fix: {finding.fix.description}"
        if finding.fix.replacement:
            fix += f" -> {finding.fix.replacement}"
        console.print(Text(fix, style="green"))
    # Without a page to link to (no docs-url, an installed package), the docs are one command away.
    shown = docs or f"secreview explain {finding.rule_id}"
    console.print(Text(f"     docs: {shown}", style="dim"))


def _dialects(result: ScanResult) -> str:
    """How many of the files were notebooks or Python 2, when any were."""
    notebooks = sum(r.dialect == "notebook" for r in result.files)
    python2 = sum(r.dialect == "python2" for r in result.files)
    parts = []
    if notebooks:
        parts.append(f"{notebooks} notebook{'s' if notebooks != 1 else ''}")
    if python2:
        parts.append(f"{python2} Python 2 file{'s' if python2 != 1 else ''}")
    return "; " + ", ".join(parts) if parts else ""


def summary_line(result: ScanResult) -> str:
    """The summary as Rich markup, for a console."""
    return escape(summary_text(result))


def summary_text(result: ScanResult) -> str:
    """One sentence: the findings by severity, the files and lines, the time, what was
    suppressed and what could not be analysed."""
    findings = result.findings
    by_sev = [
        f"{n} {s}" for s in reversed(Severity) if (n := sum(f.severity is s for f in findings))
    ]
    word = "finding" if len(findings) == 1 else "findings"
    text = f"{len(findings)} {word}"
    if by_sev:
        text += f" ({', '.join(by_sev)})"
    files = len(result.files)
    text += (
        f" in {files} file{'s' if files != 1 else ''} ({result.lines:,} lines{_dialects(result)})"
    )
    text += f" in {result.seconds:.2f}s"
    if result.suppressed:
        text += f"; {len(result.suppressed)} suppressed"
    if result.tests_hidden:
        text += f"; {result.tests_hidden} in test code not shown (--include-tests)"
    stale = result.stale_suppressions
    if stale:
        text += f"; {len(stale)} unused suppression{'s' if len(stale) != 1 else ''}"
    not_analysed = len({d.path for d in result.all_diagnostics})
    if not_analysed:
        text += f"; {not_analysed} file{'s' if not_analysed != 1 else ''} not fully analysed"
    return text + "."
