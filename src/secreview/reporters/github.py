"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding, so
findings show as annotations on the pull request's changed lines.

    ::error file=app/db.py,line=12,col=5,endLine=12,endColumn=40,title=SR401 CWE-89 …::message

Escaping follows the Actions toolkit: in the message `%`, CR and LF become %25, %0D and %0A;
in property values `:` and `,` also become %3A and %2C.
"""

from __future__ import annotations

from typing import IO

from secreview.analysis import ScanResult
from secreview.findings import Finding, Severity

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None and value != ""
    )
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def finding_command(finding: Finding, result: ScanResult) -> str:
    anchor = getattr(result, "anchor", None)
    path, line, end_line = (
        anchor(finding) if anchor else (finding.path, finding.line, finding.end_line)
    )
    own = (path, line) == (finding.path, finding.line)
    message = finding.message
    if not own:  # annotated on the changed line that feeds a sink elsewhere
        message += f" (sink at {finding.where})"
    elif finding.cell:  # the annotation marks the .ipynb line; say where in the notebook
        message += f" (cell {finding.cell}, line {finding.cell_line})"
    if finding.fix is not None:
        message += f"\nFix: {finding.fix.description}"
        if finding.fix.replacement:
            message += f" -> {finding.fix.replacement}"
    single_line = own and finding.line == finding.end_line and not finding.cell
    return command(
        LEVELS[finding.severity],
        message,
        file=path,
        line=line,
        endLine=end_line,
        col=finding.col + 1 if own and not finding.cell else None,
        endColumn=finding.end_col + 1 if single_line else None,
        title=f"{finding.rule_id} CWE-{finding.cwe} [{finding.severity}] {finding.slug}",
    )


def render(result: ScanResult, stream: IO[str], colour: bool = False) -> None:
    for finding in result.findings:
        stream.write(finding_command(finding, result) + "\n")
    for diagnostic in result.all_diagnostics:
        stream.write(
            command(
                "warning",
                diagnostic.message,
                file=diagnostic.path if not diagnostic.path.startswith("<") else None,
                line=diagnostic.line or None,
                title=f"secreview: {diagnostic.kind}",
            )
            + "\n"
        )
    for finding in getattr(result, "resolved", ()):
        stream.write(
            command(
                "notice",
                f"resolved: CWE-{finding.cwe} at {finding.where} "
                f"({finding.rule_id}: {finding.message})",
                title=f"secreview: resolved {finding.rule_id} CWE-{finding.cwe}",
            )
            + "\n"
        )
    findings = result.findings
    counts = ", ".join(
        f"{n} {s}" for s in reversed(Severity) if (n := sum(f.severity is s for f in findings))
    )
    summary = f"secreview: {len(findings)} finding{'s' if len(findings) != 1 else ''}"
    stream.write(summary + (f" ({counts})" if counts else "") + "\n")
