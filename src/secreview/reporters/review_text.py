"""The review as plain text for a terminal (`--format review`, and `secreview review`)."""

from __future__ import annotations

from typing import IO

from secreview.analysis import ScanResult
from secreview.config import Config
from secreview.review import (
    BELOW_THRESHOLDS,
    DEFECTS_FOUND,
    NO_DEFECTS,
    PRESENT_BEFORE,
    Review,
    ReviewFinding,
    build_review,
)

VERDICT_STYLE = {
    DEFECTS_FOUND: "bold red",
    PRESENT_BEFORE: "red",
    BELOW_THRESHOLDS: "yellow",
    NO_DEFECTS: "green",
}
SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
}

Segment = tuple[str, str]  # text, rich style ("" for none)
Line = list[Segment]


def render(
    result: ScanResult, stream: IO[str], colour: bool = False, config: Config | None = None
) -> None:
    lines = review_lines(build_review(result, config))
    if not colour:
        stream.write("\n".join("".join(text for text, _ in line) for line in lines) + "\n")
        return
    from rich.text import Text

    from secreview.reporters.text import make_console

    console = make_console(stream, colour)
    for line in lines:
        console.print(Text.assemble(*((text, style) if style else text for text, style in line)))


def _rule(text: str, char: str) -> Line:
    return [(char * len(text), "dim")]


def review_lines(review: Review) -> list[Line]:
    header = review.header
    title = f"Security review of {header.title}"
    out: list[Line] = [[(title, "bold")], _rule(title, "=")]
    out.append([("Reviewed: ", "bold"), (header.scope_text, "")])
    out.append([("Code:     ", "bold"), (header.kind_text, "")])
    out.append([("Tool:     ", "bold"), (f"{header.tool}, {header.rules}", "")])
    if review.change is not None:
        out.append([("Change:   ", "bold"), (review.change.compared, "")])
    if header.base:
        out.append([(f"Paths are relative to {header.base}/.", "dim")])
    if header.not_analysed:
        out.append([("Not analysed:", "bold yellow")])
        for diagnostic in header.not_analysed:
            out.append([("  " + _rel(header.base, diagnostic.one_line()), "yellow")])
    out.append([])
    if review.change is None:
        heading = f"Findings: {review.summary}"
    else:
        heading = f"Introduced by this change: {_count(len(review.findings))}"
    out += [[(heading, "bold")], _rule(heading, "-")]
    if not review.findings and review.change is None:
        out.append([(f"{review.summary[0].upper()}{review.summary[1:]}.", "green")])
    for finding in review.findings:
        out += finding_lines(finding)
        out.append([])
    if review.findings:
        out.pop()
    out.append([])
    if review.change is not None:
        out += _listed("Resolved by this change", review.change.resolved, "green")
        out += _listed(
            "Present before this change, in the files it touches", review.change.before, "red"
        )
    out += [[("Checklist", "bold")], _rule("Checklist", "-")]
    for entry in review.examined:
        out.append(
            [
                (f"{entry.label}: ", "bold"),
                (entry.verdict, VERDICT_STYLE.get(entry.verdict, "yellow")),
                (f". {entry.evidence}", ""),
            ]
        )
    for line in (review.nothing_to_examine, review.not_reviewed):
        if line:
            out.append([(line, "dim")])
    out.append([])
    out += [[("Conclusion", "bold")], _rule("Conclusion", "-"), [(review.conclusion, "")]]
    return out


def _count(n: int) -> str:
    return "no defects" if not n else f"{n} defect{'s' if n != 1 else ''}"


def _listed(title: str, items: tuple[ReviewFinding, ...], style: str) -> list[Line]:
    """A short section of findings, one line each, for what a change resolved or left."""
    if not items:
        return []
    heading = f"{title}: {_count(len(items))}"
    out: list[Line] = [[(heading, "bold")], _rule(heading, "-")]
    for item in items:
        f = item.finding
        out.append(
            [
                (f"[{item.number}] ", "bold"),
                (f"{item.heading} at {item.location}", style),
                (f" ({f.severity}, {f.confidence} confidence, {f.rule_id}): ", "dim"),
                (item.message, ""),
            ]
        )
    out.append([])
    return out


def _rel(base: str, text: str) -> str:
    return text.removeprefix(base + "/") if base else text


def finding_lines(item: ReviewFinding) -> list[Line]:
    f = item.finding
    severity = str(f.severity)
    lines: list[Line] = [
        [(f"[{item.number}] ", "bold"), (f"{item.heading} at {item.location}", "bold")],
        [
            ("    ", ""),
            (f"{severity} severity", SEVERITY_STYLE.get(severity, "")),
            (f", {f.confidence} confidence", ""),
            (f" ({f.evidence})" if f.evidence else "", "dim"),
            (f"; {f.rule_id} {f.slug}: {item.rule_title}", "dim"),
        ],
        [(f"    {item.cwe_name}", "dim")],
    ]
    if item.code:
        width = len(str(item.code[-1][0]))
        lines.append([("    Code:", "bold")])
        for number, text in item.code:
            lines.append([(f"    {number:>{width}} | ", "dim"), (text, "")])
    lines.append([("    Why: ", "bold"), (item.message, "")])
    if item.trace:
        lines.append([("    Data flow:", "bold")])
        kind_width = max(len(step.kind) for step in item.trace)
        for step in item.trace:
            lines.append(
                [
                    (f"      {step.kind:<{kind_width}}  ", "magenta"),
                    (step.where, "bold"),
                    (f"  {step.description}", ""),
                ]
            )
    if item.fix:
        lines.append([("    Fix: ", "bold green"), (item.fix, "green")])
    if item.fix_code:
        for text in item.fix_code.split("\n"):
            lines.append([("      ", ""), (text, "green")])
    return lines
