"""Help text of the command line: the formatter every parser uses, and the descriptions and
examples of the commands that run an analysis."""

from __future__ import annotations

import argparse


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples as written; each option's help ends with its values (the
    choices, unless the help names them) and its default (unless the help gives it)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if text == argparse.SUPPRESS:
            return text
        if action.choices is not None and not all(str(c) in text for c in action.choices):
            text += f" (one of: {', '.join(map(str, action.choices))})"
        default = action.default
        shown = default not in (None, False, [], argparse.SUPPRESS) and action.nargs != 0
        if shown and "default" not in text:
            text += " (default: %(default)s)"
        return text


SCAN_DESCRIPTION = """\
Scan Python files and directories for security defects. Each finding has its rule, CWE,
file:line:col, severity, confidence, how it was established and a fix."""

SCAN_EXAMPLES = """\
examples:
  secreview scan                              the current directory
  secreview scan src tests/conftest.py        some directories and files
  secreview scan . -f concise                 one line per finding
  secreview scan . -f json -o report.json     JSON to a file; the summary still goes to stderr
  secreview scan . -f sarif -o scan.sarif     for code scanning
  secreview scan . --select CWE-78,SR204      only some rules
  secreview scan . --fail-on high             exit 1 only for high and critical findings
  secreview scan . --exit-zero                report, but never fail (also: --fail-on none)
  secreview scan . --baseline .secreview-baseline.json   only findings not recorded there

exit codes: 0 no findings at or above --fail-on, 1 findings (with --strict also files that
could not be analysed), 2 usage or configuration error. The rule pages: docs/rules.md."""

REVIEW_DESCRIPTION = """\
Write a security review of files and directories: the findings, a checklist of CWE categories
with the evidence for each (the sites examined, and what was found there), and a conclusion."""

REVIEW_EXAMPLES = """\
examples:
  secreview review .                          in the terminal
  secreview review . -f markdown -o review.md
  secreview review . -f html -o review.html   one self-contained page
  secreview review app --select CWE-89        one category

exit codes: as for `secreview scan`."""

FORMAT_HELP = {
    "scan": "report format: text (grouped by file), concise (one line per finding), json, "
    "sarif, review, markdown, html, github, gitlab or gerrit (docs/output.md)",
    "review": "review format: review (terminal), markdown or html",
}
