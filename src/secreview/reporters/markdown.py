"""The review as CommonMark, for a pull-request comment or a file (`--format markdown`).

Everything that comes from the scanned code or from a message is escaped, or put in a code
span or a fenced block whose fence is longer than any backtick run inside, so a source file
cannot add links, images or raw HTML to the document.
"""

from __future__ import annotations

import re
from typing import IO

from secreview.analysis import ScanResult
from secreview.config import Config
from secreview.cwe import cwe_url
from secreview.review import Review, ReviewFinding, build_review

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=\bwww)(\.)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def escape(text: str) -> str:
    """Text that renders literally, on one line: the characters that could start emphasis, code,
    links, raw HTML, entities or table cells are escaped, and so are bare URLs (which GitHub
    would link)."""
    text = _SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))
    return _AUTOLINK.sub(lambda m: "\\" + (m.group(1) or m.group(2)), text)


def code_span(text: str) -> str:
    text = text.replace("\r", " ").replace("\n", " ")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    if not text.strip():
        return escape(text) or "` `"
    return f"{fence}{pad}{text}{pad}{fence}"


def prose(text: str) -> str:
    """A message: its `quoted code` as code spans, everything else escaped."""
    out: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(code_span(match.group(2)))
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def fenced(code: str, language: str = "python") -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}|~{3,}", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code}\n{fence}"


def render(
    result: ScanResult, stream: IO[str], colour: bool = False, config: Config | None = None
) -> None:
    stream.write(to_markdown(build_review(result, config)))


def to_markdown(review: Review) -> str:
    header = review.header
    parts: list[str] = [f"# Security review of {code_span(header.title)}", ""]
    parts += [
        "| | |",
        "|---|---|",
        f"| Reviewed | {escape(header.scope_text)} |",
        f"| Code | {escape(header.kind_text)} |",
        f"| Tool | {escape(header.tool + ', ' + header.rules)} |",
    ]
    if review.change is not None:
        parts.append(f"| Change | {escape(review.change.compared)} |")
    parts += [f"| Result | {escape(review.summary)} |", ""]
    if header.base:
        parts += [f"Paths are relative to {code_span(header.base + '/')}.", ""]
    if header.not_analysed:
        parts += ["**Not analysed:**", ""]
        parts += [f"- {code_span(d.one_line())}" for d in header.not_analysed]
        parts.append("")
    if review.change is None:
        parts += [f"## Findings: {escape(review.summary)}", ""]
        if not review.findings:
            parts += [f"{escape(review.summary[0].upper() + review.summary[1:])}.", ""]
    else:
        parts += [f"## Introduced by this change: {_count(len(review.findings))}", ""]
    for finding in review.findings:
        parts += finding_markdown(finding)
    if review.change is not None:
        parts += _listed("Resolved by this change", review.change.resolved)
        parts += _listed(
            "Present before this change, in the files it touches", review.change.before
        )
    parts += ["## Checklist", ""]
    for entry in review.examined:
        parts.append(
            f"- **{escape(entry.label)}: {escape(entry.verdict)}.** {prose(entry.evidence)}"
        )
    for line in (review.nothing_to_examine, review.not_reviewed):
        if line:
            parts.append(f"- {prose(line)}")
    parts += ["", "## Conclusion", "", prose(review.conclusion), ""]
    return "\n".join(parts)


def _count(n: int) -> str:
    return "no defects" if not n else f"{n} defect{'s' if n != 1 else ''}"


def _listed(title: str, items: tuple[ReviewFinding, ...]) -> list[str]:
    """What a change resolved or left in place: one bullet per finding."""
    if not items:
        return []
    out = [f"## {title}: {_count(len(items))}", ""]
    for item in items:
        f = item.finding
        out.append(
            f"- **{escape(item.heading)}** at {code_span(item.location)} "
            f"({f.severity}, {f.confidence} confidence, {code_span(f.rule_id)}): "
            f"{prose(item.message)}"
        )
    return [*out, ""]


def finding_markdown(item: ReviewFinding) -> list[str]:
    f = item.finding
    lines = [
        f"### {item.number}. {escape(item.heading)} at {code_span(item.location)}",
        "",
        f"**{f.severity}** severity, **{f.confidence}** confidence"
        + (f" ({escape(f.evidence)})" if f.evidence else "")
        + f" · [CWE-{f.cwe}]({cwe_url(f.cwe)}): {escape(item.cwe_name)}"
        + f" · rule {code_span(f.rule_id)} {escape(f.slug)}",
        "",
    ]
    if item.code:
        first = item.code[0][0]
        last = item.code[-1][0]
        where = f"Line {first}" if first == last else f"Lines {first} to {last}"
        lines += [f"{where}:", "", fenced("\n".join(text for _, text in item.code)), ""]
    lines += [f"**Why:** {prose(item.message)}", ""]
    if item.trace:
        lines += ["**Data flow:**", ""]
        for index, step in enumerate(item.trace, 1):
            lines.append(
                f"{index}. {escape(step.kind)} {code_span(step.where)}: {prose(step.description)}"
            )
        lines.append("")
    if item.fix:
        lines += [f"**Fix:** {prose(item.fix)}", ""]
    if item.fix_code:
        lines += [fenced(item.fix_code), ""]
    return lines
