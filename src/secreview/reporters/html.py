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
from secreview.parsing.source import read_bytes
from secreview.review import (
    BELOW_THRESHOLDS,
    DEFECTS_FOUND,
    NO_DEFECTS,
    PRESENT_BEFORE,
    Review,
    ReviewFinding,
    build_review,
)
from secreview.review.categories import category_for

CONTEXT_LINES = 2
OPEN_FILES_UP_TO = 10  # a CWE group with more findings than this shows its files closed
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
.cwe-id, table.checklist td:first-child { white-space: nowrap; }
details.group { margin: 10px 0; }
details.group > summary { cursor: pointer; padding: 6px 8px; border-radius: 6px;
  background: var(--code); border: 1px solid var(--line); }
details.group > summary .count { color: var(--muted); font-weight: normal; }
details.cwe > summary { font-weight: 600; font-size: 1.05em; }
details.file { margin-left: 18px; }
details.file > summary { background: transparent; border-style: dashed; }
ul.brief li { margin: 4px 0; }
p.empty, details.empty { color: var(--muted); margin: 12px 0; }
details.empty > summary { cursor: pointer; }
.hidden { display: none; }
"""

SCRIPT = """
(function () {
  var boxes = document.querySelectorAll('input[name="severity"]');
  var select = document.getElementById('cwe-filter');
  var findings = document.querySelectorAll('.finding');
  var groups = document.querySelectorAll('details.group');
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
    groups.forEach(function (group) {
      group.classList.toggle('hidden', !group.querySelector('.finding:not(.hidden)'));
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
    ]
    if review.change is not None:
        out.append(f"<tr><td>Change</td><td>{e(review.change.compared)}</td></tr>")
    out += [
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
    if review.change is not None:
        out += _listed_html("resolved", "Resolved by this change", review.change.resolved)
        out += _listed_html(
            "before",
            "Present before this change, in the files it touches",
            review.change.before,
        )
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
    if review.change is None:
        heading = f"Findings: {review.summary}"
    else:
        heading = f"Introduced by this change: {_count(len(review.findings))}"
    out = [f'<h2 id="findings">{e(heading)}</h2>', '<div class="filters">']
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
        empty = (
            f"{review.summary[0].upper()}{review.summary[1:]}."
            if review.change is None
            else "The change introduces none."
        )
        out.append(f'<p class="muted">{empty}</p>')
    for (cwe, title), items in _by_category(review.findings).items():
        many = len(items) > OPEN_FILES_UP_TO
        out.append(
            f'<details class="group cwe" open data-cwes="{cwe}"><summary>'
            f'<span class="cwe-id">CWE-{cwe}</span> {e(title)} '
            f'<span class="count">{e(_tally(items))}</span></summary>'
        )
        by_file: dict[str, list[ReviewFinding]] = {}
        for item in items:
            by_file.setdefault(item.path, []).append(item)
        for path in sorted(by_file):
            in_file = by_file[path]
            state = "" if many else " open"
            out.append(
                f'<details class="group file"{state}><summary><code>{e(path)}</code> '
                f'<span class="count">{e(_tally(in_file))}</span></summary>'
            )
            for item in in_file:
                out += _finding_html(item, read_context)
            out.append("</details>")
        out.append("</details>")
    return out


def _count(n: int) -> str:
    return "no defects" if not n else f"{n} defect{'s' if n != 1 else ''}"


def _tally(items: list[ReviewFinding]) -> str:
    """`3 findings: 2 critical, 1 high`."""
    severities = [str(item.finding.severity) for item in items]
    parts = ", ".join(f"{severities.count(s)} {s}" for s in SEVERITIES if s in severities)
    return f"{len(items)} finding{'s' if len(items) != 1 else ''}: {parts}"


def _by_category(items: tuple[ReviewFinding, ...]) -> dict[tuple[int, str], list[ReviewFinding]]:
    """The findings by their checklist category, the category of the most severe first (the
    findings come most severe first)."""
    groups: dict[tuple[int, str], list[ReviewFinding]] = {}
    for item in items:
        category = category_for(item.finding.cwe)
        key = (category.cwe, category.title) if category else (item.finding.cwe, item.category)
        groups.setdefault(key, []).append(item)
    return groups


def _listed_html(anchor: str, title: str, items: tuple[ReviewFinding, ...]) -> list[str]:
    """What a change resolved or left in place, one line per finding."""
    if not items:
        return []
    out = [f'<h2 id="{anchor}">{e(title)}: {e(_count(len(items)))}</h2>', '<ul class="brief">']
    for item in items:
        f = item.finding
        out.append(
            f'<li><span class="badge {f.severity}">{f.severity}</span> '
            f'<span class="cwe-id">CWE-{f.cwe}</span> {e(item.category)} at '
            f"<code>{e(item.location)}</code> ({e(f.confidence)} confidence, "
            f"<code>{e(f.rule_id)}</code>): {prose(item.message)}</li>"
        )
    out.append("</ul>")
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
    # Read back as the scan read it: a regular file only, and not without end.
    data = read_bytes(Path(path), path, 64 * 1024 * 1024)
    return data.decode("utf-8", "replace").splitlines() if isinstance(data, bytes) else None


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


_VERDICT_CLASS = {
    DEFECTS_FOUND: "defects",
    PRESENT_BEFORE: "defects",
    BELOW_THRESHOLDS: "other",
    NO_DEFECTS: "clean",
}


def _checklist_html(review: Review) -> list[str]:
    out = [
        '<h2 id="checklist">Checklist</h2>',
        '<table class="checklist"><thead><tr><th>CWE</th><th>Category</th><th>Verdict</th>'
        "<th>Evidence</th></tr></thead><tbody>",
    ]
    for entry in review.examined:
        css = _VERDICT_CLASS.get(entry.verdict, "other")
        cwes = " ".join(str(c) for c in sorted({entry.cwe, *entry.members}))
        out.append(
            f'<tr data-cwes="{e(cwes)}"><td><a href="{e(cwe_url(entry.cwe))}">CWE-{entry.cwe}</a>'
            f"</td><td>{e(entry.title)}</td>"
            f'<td class="verdict {css}">{e(entry.verdict)}</td><td>{prose(entry.evidence)}</td></tr>'
        )
    out.append("</tbody></table>")
    empty = [entry for entry in review.checklist if entry.section == 2]
    if empty:
        # One line that names them; what secreview models for each opens below it.
        names = ", ".join(f'<span class="cwe-id">CWE-{entry.cwe}</span>' for entry in empty)
        out.append(
            f'<details class="empty" id="empty"><summary>Nothing to examine in {len(empty)} '
            f"categor{'y' if len(empty) == 1 else 'ies'}: {names}</summary><ul>"
        )
        for entry in empty:
            out.append(
                f'<li><span class="cwe-id">{e(entry.label)}</span>: {e(entry.verdict)}. '
                f"{prose(entry.evidence)}</li>"
            )
        out.append("</ul></details>")
    if review.not_reviewed:
        out.append(f'<p class="empty" id="unreviewed">{prose(review.not_reviewed)}</p>')
    return out
