"""JSON output, schema version 1 (documented in docs/output.md)."""

from __future__ import annotations

import json
from typing import IO, Any

from secreview import __version__
from secreview.analysis import ScanResult
from secreview.cwe import cwe_name
from secreview.doc_links import DocLinks, doc_links
from secreview.findings import Finding, Severity

SCHEMA_VERSION = 1


def finding_to_dict(finding: Finding, links: DocLinks | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "slug": finding.slug,
        "doc_url": (links or doc_links()).url(finding.rule_id, finding.slug),
        "cwe": finding.cwe,
        "cwe_name": cwe_name(finding.cwe),
        "severity": str(finding.severity),
        "confidence": str(finding.confidence),
        "path": finding.path,
        "line": finding.line,
        "column": finding.col + 1,
        "end_line": finding.end_line,
        "end_column": finding.end_col + 1,
        "message": finding.message,
        "evidence": finding.evidence,
        "snippet": finding.snippet,
        "scope": finding.scope,
        "test_code": finding.test_code,
        "fix": None,
        "trace": [
            _in_cell(
                {
                    "kind": s.kind,
                    "path": s.path,
                    "line": s.line,
                    "column": s.col + 1,
                    "description": s.description,
                },
                s.cell,
                s.cell_line,
            )
            for s in finding.trace
        ],
    }
    _in_cell(data, finding.cell, finding.cell_line)
    if finding.fix is not None:
        data["fix"] = {
            "description": finding.fix.description,
            "replacement": finding.fix.replacement,
            "edits": [
                {
                    "line": e.line,
                    "column": e.col + 1,
                    "end_line": e.end_line,
                    "end_column": e.end_col + 1,
                    "content": e.content,
                }
                for e in finding.fix.edits
            ],
        }
    return data


def _in_cell(data: dict[str, Any], cell: int, cell_line: int) -> dict[str, Any]:
    """In a notebook, `line` is the .ipynb file's line; `cell` and `cell_line` say where in
    the notebook it is (and `column` counts in the cell's line)."""
    if cell:
        data["cell"] = cell
        data["cell_line"] = cell_line
    return data


def build(result: ScanResult, links: DocLinks | None = None) -> dict[str, Any]:
    links = links or doc_links()
    findings = result.findings
    diagnostics = result.all_diagnostics
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "secreview", "version": __version__},
        "rules": [r.id for r in result.rules],
        "findings": [finding_to_dict(f, links) for f in findings],
        "diagnostics": [
            _in_cell(
                {
                    "path": d.path,
                    "kind": d.kind,
                    "message": d.message,
                    "line": d.line,
                    "column": d.col + 1 if d.line else 0,
                },
                d.cell,
                d.cell_line,
            )
            for d in diagnostics
        ],
        "suppressed": [
            _in_cell(
                {"rule_id": f.rule_id, "path": f.path, "line": f.line, "by": kind},
                f.cell,
                f.cell_line,
            )
            for f, kind in result.suppressed
        ],
        "stale_suppressions": [
            {"path": path, "line": line, "comment": text}
            for path, line, text in result.stale_suppressions
        ],
        "files": [
            {
                "path": r.path,
                "dialect": r.dialect,
                "lines": r.lines,
                "analysed": r.analysed,
            }
            for r in result.files
        ],
        "counts": {
            "files": len(result.files),
            "notebooks": sum(r.dialect == "notebook" for r in result.files),
            "python2_files": sum(r.dialect == "python2" for r in result.files),
            "files_not_analysed": len({d.path for d in diagnostics}),
            "lines": result.lines,
            "findings": len(findings),
            "by_severity": {
                str(s): sum(1 for f in findings if f.severity is s) for s in reversed(Severity)
            },
            "suppressed": len(result.suppressed),
            "test_code_hidden": result.tests_hidden,
        },
        "seconds": round(result.seconds, 3),
    }


def render(
    result: ScanResult, stream: IO[str], colour: bool = False, links: DocLinks | None = None
) -> None:
    json.dump(build(result, links), stream, indent=2)
    stream.write("\n")
