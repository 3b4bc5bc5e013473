"""One line per finding, for grep, editors' quickfix lists and long CI logs:

    app/db.py:12:5: SR204 [CWE-89] high/high SQL text built from ... (f-string)

`path:line:column:` (column 1-based), the rule id, the CWE in brackets, severity/confidence,
and the message on one line; then the summary line. With colour on, the rule id links to its
documentation.
"""

from __future__ import annotations

from typing import IO

from rich.style import Style
from rich.text import Text

from secreview.analysis import ScanResult
from secreview.doc_links import DocLinks, doc_links
from secreview.findings import Finding
from secreview.reporters.text import SEVERITY_STYLE, make_console, summary_line


def line_of(finding: Finding) -> str:
    """The finding as one plain line, without colour."""
    return _text(finding, None).plain


def _text(finding: Finding, docs: str | None) -> Text:
    message = " ".join(finding.message.split())  # one line, whatever the message holds
    return Text.assemble(
        (f"{finding.path}:{finding.line}:{finding.col + 1}:", "bold"),
        " ",
        (finding.rule_id, Style(color="magenta", link=docs)),
        f" [CWE-{finding.cwe}] ",
        (str(finding.severity), SEVERITY_STYLE[finding.severity]),
        f"/{finding.confidence} ",
        message,
    )


def render(
    result: ScanResult, stream: IO[str], colour: bool = False, links: DocLinks | None = None
) -> None:
    console = make_console(stream, colour)
    links = links or doc_links()
    for finding in result.findings:
        console.print(_text(finding, links.url(finding.rule_id, finding.slug) if colour else None))
    console.print(summary_line(result))
