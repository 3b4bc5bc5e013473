"""The review as one self-contained HTML page (`--format html`).

No external assets: the style and the filter script are inline, and a Content-Security-Policy
allows nothing else (the script by its hash, so even markup that slipped through could not run
a script). Every piece of scanned code and every message goes through `html.escape`; the
filters read `data-` attributes, never markup built from data.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape
from pathlib import Path
from typing import IO

from secreview.analysis import ScanResult
from secreview.config import Config
from secreview.cwe import cwe_url
from secreview.review import (
    DEFECTS_FOUND,
    NO_DEFECTS,
    NOT_APPLICABLE,
    Review,
    ReviewFinding,
    build_review,
)
from secreview.review.categories import category_for

CONTEXT_LINES = 2
SEVERITIES = ("critical", "high", "medium", "low")

STYLE = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --code: #f6f8fa;
  --critical: #8b0000; --high: #cf222e; --medium: #9a6700; --low: #0969da; --ok: #1a7f37; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 12px; }
h2 { font-size: 1.25em; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 1.05em; margin: 0 0 6px; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
table.summary td { padding: 2px 12px 2px 0; vertical-align: top; }
table.summary td:first-child { font-weight: 600; }
.muted { color: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; padding: 10px 12px;
  background: var(--code); border: 1px solid var(--line); border-radius: 6px; }
.filters label { cursor: pointer; }
.finding { border: 1px solid var(--line); border-left: 6px solid var(--line); border-radius: 6px;
  padding: 12px 16px; margin: 14px 0; }
.finding[data-severity="critical"] { border-left-color: var(--critical); }
.finding[data-severity="high"] { border-left-color: var(--high); }
.finding[data-severity="medium"] { border-left-color: var(--medium); }
.finding[data-severity="low"] { border-left-color: var(--low); }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px;
  font-weight: 600; color: #fff; }
.badge.critical { background: var(--critical); } .badge.high { background: var(--high); }
.badge.medium { background: var(--medium); } .badge.low { background: var(--low); }
.code { background: var(--code); border: 1px solid var(--line); border-radius: 6px;
  overflow-x: auto; margin: 8px 0; }
.code table { border-collapse: collapse; width: 100%; }
.code td { padding: 0 8px; white-space: pre; font: 13px/1.45 ui-monospace, Menlo, monospace; }
.code td.n { color: var(--muted); text-align: right; user-select: none; width: 1%; }
.code tr.flagged { background: #ffebe9; }
.code tr.flagged td.n { color: var(--high); font-weight: 700; }
ol.trace { margin: 4px 0; padding-left: 24px; }
ol.trace .kind { display: inline-block; min-width: 56px; color: var(--muted); }
pre.fix { background: #dafbe1; border: 1px solid #aceebb; border-radius: 6px; padding: 8px;
  overflow-x: auto; }
table.checklist { border-collapse: collapse; width: 100%; }
table.checklist th, table.checklist td { border-top: 1px solid var(--line); padding: 6px 8px;
  text-align: left; vertical-align: top; }
.verdict { font-weight: 600; white-space: nowrap; }
.verdict.defects { color: var(--high); } .verdict.clean { color: var(--ok); }
.verdict.na { color: var(--muted); } .verdict.other { color: var(--medium); }
.hidden { display: none; }
"""

SCRIPT = """
(function () {
  var boxes = document.querySelectorAll('input[name="severity"]');
  var select = document.getElementById('cwe-filter');
  var findings = document.querySelectorAll('.finding');
  var rows = document.querySelectorAll('table.checklist tbody tr');
  var shown = document.getElementById('shown');
  function apply() {
    var wanted = {};
    boxes.forEach(function (box) { wanted[box.value] = box.checked; });
    var cwe = select.value;
    var count = 0;
    findings.forEach(function (item) {
      var visible = wanted[item.dataset.severity] &&
        (!cwe || item.dataset.cwes.split(' ').indexOf(cwe) >= 0);
      item.classList.toggle('hidden', !visible);
      if (visible) { count += 1; }
    });
    rows.forEach(function (row) {
      var cwes = row.dataset.cwes.split(' ');
      row.classList.toggle('hidden', !!cwe && cwes.indexOf(cwe) < 0);
    });
    shown.textContent = String(count);
  }
  boxes.forEach(function (box) { box.addEventListener('change', apply); });
  select.addEventListener('change', apply);
  apply();
})();
"""


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    )


def e(text: object) -> str:
    return escape(str(text), quote=True)


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def prose(text: str) -> str:
    """Escaped text whose `quoted code` is shown as code."""
    out: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(text):
        out.append(e(text[position : match.start()]))
        out.append(f"<code>{e(match.group(1))}</code>")
        position = match.end()
    out.append(e(text[position:]))
    return "".join(out)


def render(
    result: ScanResult, stream: IO[str], colour: bool = False, config: Config | None = None
) -> None:
    stream.write(to_html(build_review(result, config)))


def to_html(review: Review, read_context: bool = True) -> str:
    header = review.header
    title = f"Security review of {header.title}"
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(_csp())}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{e(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(title)}</h1>",
        '<table class="summary">',
        f"<tr><td>Reviewed</td><td>{e(header.scope_text)}</td></tr>",
        f"<tr><td>Code</td><td>{e(header.kind_text)}</td></tr>",
        f"<tr><td>Tool</td><td>{e(header.tool)}, {e(header.rules)}</td></tr>",
        f'<tr><td>Result</td><td id="summary">{e(review.summary)}</td></tr>',
    ]
    if header.base:
        out.append(f"<tr><td>Paths</td><td>relative to <code>{e(header.base)}/</code></td></tr>")
    out.append("</table>")
    if header.not_analysed:
        out.append('<h2 id="not-analysed">Not analysed</h2><ul>')
        out += [f"<li><code>{e(d.one_line())}</code></li>" for d in header.not_analysed]
        out.append("</ul>")
    out += _findings_html(review, read_context)
    out += _checklist_html(review)
    out += [
        '<h2 id="conclusion">Conclusion</h2>',
        f"<p>{prose(review.conclusion)}</p>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def _findings_html(review: Review, read_context: bool) -> list[str]:
    counts = dict(review.by_severity)
    out = [f'<h2 id="findings">Findings: {e(review.summary)}</h2>', '<div class="filters">']
    out.append("<span>Severity:</span>")
    for severity in SEVERITIES:
        out.append(
            f'<label><input type="checkbox" name="severity" value="{severity}" checked> '
            f"{severity} ({counts.get(severity, 0)})</label>"
        )
    titles = {c.cwe: c.title for c in review.checklist}
    for item in review.findings:
        titles.setdefault(item.finding.cwe, item.category)
    out.append('<label>CWE: <select id="cwe-filter"><option value="">all</option>')
    out += [f'<option value="{c}">CWE-{c} {e(titles[c])}</option>' for c in sorted(titles)]
    out.append("</select></label>")
    out.append(f'<span>showing <b id="shown">{len(review.findings)}</b> findings</span>')
    out.append("</div>")
    if not review.findings:
        out.append('<p class="muted">No defects found.</p>')
    for item in review.findings:
        out += _finding_html(item, read_context)
    return out


def _finding_html(item: ReviewFinding, read_context: bool) -> list[str]:
    f = item.finding
    severity = str(f.severity)
    out = [
        f'<article class="finding" id="finding-{item.number}" data-severity="{severity}" '
        f'data-cwes="{e(_finding_cwes(f.cwe))}">',
        f"<h3>{item.number}. {e(item.heading)} at <code>{e(item.location)}</code></h3>",
        f'<div><span class="badge {severity}">{severity}</span> '
        f"{e(f.confidence)} confidence"
        + (f' <span class="muted">({e(f.evidence)})</span>' if f.evidence else "")
        + f' · <a href="{e(cwe_url(f.cwe))}">CWE-{f.cwe}</a> {e(item.cwe_name)}'
        f" · rule <code>{e(f.rule_id)}</code> {e(f.slug)}: {e(item.rule_title)}</div>",
    ]
    out += _code_html(item, read_context)
    out.append(f"<p><b>Why:</b> {prose(item.message)}</p>")
    if item.trace:
        out.append('<div><b>Data flow:</b><ol class="trace">')
        for step in item.trace:
            out.append(
                f'<li><span class="kind">{e(step.kind)}</span> '
                f"<code>{e(step.where)}</code> {prose(step.description)}</li>"
            )
        out.append("</ol></div>")
    if item.fix:
        out.append(f"<p><b>Fix:</b> {prose(item.fix)}</p>")
    if item.fix_code:
        out.append(f'<pre class="fix">{e(item.fix_code)}</pre>')
    out.append("</article>")
    return out


def _finding_cwes(cwe: int) -> str:
    category = category_for(cwe)
    return " ".join(str(c) for c in sorted({cwe, category.cwe if category else cwe}))


def _source_lines(path: str) -> list[str] | None:
    try:
        with open(Path(path), encoding="utf-8", errors="replace") as handle:
            return handle.read().splitlines()
    except OSError:
        return None


def _code_html(item: ReviewFinding, read_context: bool) -> list[str]:
    """The flagged lines marked, with a little context read back from the file when it is
    still there and still says the same thing."""
    f = item.finding
    flagged = range(f.line, max(f.end_line, f.line) + 1)
    rows: list[tuple[int, str]] = list(item.code)
    source = _source_lines(f.path) if read_context and item.code else None
    if source is not None and item.code:
        start, end = item.code[0][0], item.code[-1][0]
        same = all(
            0 < number <= len(source) and source[number - 1] == text for number, text in item.code
        )
        if same:
            first = max(1, start - CONTEXT_LINES)
            last = min(len(source), end + CONTEXT_LINES)
            rows = [(n, source[n - 1]) for n in range(first, last + 1)]
    if not rows:
        return []
    out = ['<div class="code"><table>']
    for number, text in rows:
        mark = ' class="flagged"' if number in flagged else ""
        out.append(f'<tr{mark}><td class="n">{number}</td><td>{e(text)}</td></tr>')
    out.append("</table></div>")
    return out


_VERDICT_CLASS = {DEFECTS_FOUND: "defects", NO_DEFECTS: "clean", NOT_APPLICABLE: "na"}


def _checklist_html(review: Review) -> list[str]:
    out = [
        '<h2 id="checklist">Checklist</h2>',
        '<table class="checklist"><thead><tr><th>CWE</th><th>Category</th><th>Verdict</th>'
        "<th>Evidence</th></tr></thead><tbody>",
    ]
    for entry in review.checklist:
        css = _VERDICT_CLASS.get(entry.verdict, "other")
        cwes = " ".join(str(c) for c in sorted({entry.cwe, *entry.members}))
        out.append(
            f'<tr data-cwes="{e(cwes)}"><td><a href="{e(cwe_url(entry.cwe))}">CWE-{entry.cwe}</a>'
            f"</td><td>{e(entry.title)}</td>"
            f'<td class="verdict {css}">{e(entry.verdict)}</td><td>{prose(entry.evidence)}</td></tr>'
        )
    out.append("</tbody></table>")
    return out
