"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

One run: the driver with every rule (CWE tags, `security-severity`, help from the rule's docs),
one result per finding (suppressed findings included, marked as suppressed in source), with
`partialFingerprints` that survive lines moving, `codeFlows` for data-flow traces and `fixes`
for mechanical fixes; one invocation whose notifications are the files that could not be
analysed.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import quote

from secreview import __version__
from secreview.analysis import ScanResult
from secreview.cwe import cwe_name, cwe_url
from secreview.doc_links import DocLinks, doc_links, is_web_url
from secreview.findings import Confidence, Diagnostic, Edit, Finding, Severity
from secreview.fingerprint import fingerprints
from secreview.rules.base import Rule

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "secreview/v1"
CWE_TAXONOMY = "CWE"

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}
# GitHub reads `security-severity` as CVSS-like: >= 9 critical, >= 7 high, >= 4 medium.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
PRECISION = {Confidence.HIGH: "high", Confidence.MEDIUM: "medium", Confidence.LOW: "low"}


@cache
def information_uri() -> str | None:
    """The project's home page, when the installed package declares one."""
    try:
        from importlib.metadata import metadata

        meta = metadata("secreview")
    except Exception:
        return None
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository"):
            return url.strip()
    home = meta.get("Home-page")
    return home.strip() if home and home.strip().upper() != "UNKNOWN" else None


def _what_it_does(rule: type[Rule]) -> str:
    sections = rule.doc_sections()
    text = sections.get("What it does", "").strip()
    if text:
        return text
    return (rule.docs().split("\n\n", 1)[0] or rule.title).strip()


def rule_descriptor(
    rule: type[Rule], links: DocLinks | None = None, taxa: dict[int, int] | None = None
) -> dict[str, Any]:
    """The rule's reportingDescriptor: `helpUri` is its documentation page when that is a web
    URL (a file:// link means nothing where the SARIF is read); its CWEs are relationships to the
    run's CWE taxonomy, where each taxon links to MITRE. `taxa` maps a CWE to its taxon index."""
    tags = ["security", *(f"external/cwe/cwe-{c}" for c in rule.all_cwes())]
    docs = rule.docs().strip()
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.slug,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": _what_it_does(rule)},
        "help": {"text": docs, "markdown": docs},
    }
    url = (links or doc_links()).url(rule.id, rule.slug)
    # Without published rule pages (no docs-url, no Documentation URL), the CWE's page.
    descriptor["helpUri"] = url if url is not None and is_web_url(url) else cwe_url(rule.cwe)
    descriptor["relationships"] = [
        {
            "target": {
                "id": str(cwe),
                **({"index": taxa[cwe]} if taxa and cwe in taxa else {}),
                "toolComponent": {"name": CWE_TAXONOMY, "index": 0},
            },
            "kinds": ["superset"],
        }
        for cwe in rule.all_cwes()
    ]
    return descriptor | {
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "tags": tags,
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": PRECISION[rule.confidence],
            "problem.severity": {"error": "error", "warning": "warning", "note": "recommendation"}[
                LEVEL[rule.severity]
            ],
        },
    }


class _Locations:
    """Artifact locations relative to the working directory (%SRCROOT%) when possible."""

    def __init__(self) -> None:
        self.root = Path.cwd()

    def artifact(self, path: str) -> dict[str, Any]:
        posix = path.replace("\\", "/")
        pure = PurePosixPath(posix)
        if not pure.is_absolute():
            return {"uri": quote(posix, errors="surrogateescape"), "uriBaseId": SRCROOT}
        try:
            relative = Path(path).resolve().relative_to(self.root.resolve())
        except ValueError:
            return {"uri": Path(path).as_uri()}
        return {"uri": quote(relative.as_posix(), errors="surrogateescape"), "uriBaseId": SRCROOT}


def _utf16_column(line_text: str | None, byte_col: int) -> int:
    """A 1-based UTF-16 column from the 0-based UTF-8 byte offset `ast` gives."""
    if line_text is None:
        return byte_col + 1
    prefix = line_text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore")
    return len(prefix.encode("utf-16-le")) // 2 + 1


def _snippet_line(finding: Finding, line: int) -> str | None:
    lines = finding.snippet.split("\n") if finding.snippet else []
    index = line - finding.line
    return lines[index] if 0 <= index < len(lines) else None


def _region(finding: Finding) -> dict[str, Any]:
    if finding.cell:
        # A notebook: the lines of the .ipynb file the code is stored on. Columns and the
        # snippet are the cell's, not the JSON file's, so they go in the result's properties.
        return {"startLine": max(finding.line, 1), "endLine": max(finding.end_line, finding.line)}
    region: dict[str, Any] = {
        "startLine": max(finding.line, 1),
        "startColumn": _utf16_column(_snippet_line(finding, finding.line), finding.col),
    }
    end_line = max(finding.end_line, finding.line)
    end_column = _utf16_column(_snippet_line(finding, end_line), finding.end_col)
    region["endLine"] = end_line
    if end_line > finding.line or end_column > region["startColumn"]:
        region["endColumn"] = end_column
    if finding.snippet:
        region["snippet"] = {"text": finding.snippet}
    return region


def _edit_region(finding: Finding, edit: Edit) -> dict[str, Any]:
    return {
        "startLine": edit.line,
        "startColumn": _utf16_column(_snippet_line(finding, edit.line), edit.col),
        "endLine": edit.end_line,
        "endColumn": _utf16_column(_snippet_line(finding, edit.end_line), edit.end_col),
    }


def _result(
    finding: Finding,
    rule_index: dict[str, int],
    fingerprint: str,
    where: _Locations,
    suppressed_by: str | None = None,
) -> dict[str, Any]:
    location = {"artifactLocation": where.artifact(finding.path), "region": _region(finding)}
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {
            "cwe": f"CWE-{finding.cwe}",
            "severity": str(finding.severity),
            "confidence": str(finding.confidence),
            "security-severity": SECURITY_SEVERITY[finding.severity],
            "evidence": finding.evidence,
            "testCode": finding.test_code,
        },
    }
    if finding.cell:
        result["properties"].update(
            cell=finding.cell,
            cellLine=finding.cell_line,
            cellColumn=finding.col + 1,
            cellSnippet=finding.snippet,
        )
    if finding.rule_id in rule_index:
        result["ruleIndex"] = rule_index[finding.rule_id]
    if finding.scope:
        result["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": finding.scope}]
    if finding.trace:
        steps = []
        for step in finding.trace:
            physical: dict[str, Any] = {"artifactLocation": where.artifact(step.path)}
            if step.line > 0:
                physical["region"] = {"startLine": step.line, "startColumn": step.col + 1}
            located: dict[str, Any] = {
                "physicalLocation": physical,
                "message": {"text": step.description},
            }
            if step.cell:
                physical["region"] = {"startLine": step.line}
                located["properties"] = {"cell": step.cell, "cellLine": step.cell_line}
            steps.append({"location": located, "kinds": [step.kind]})
        result["codeFlows"] = [
            {
                "message": {"text": finding.message},
                "threadFlows": [{"locations": steps}],
            }
        ]
    if finding.fix is not None and finding.fix.edits:
        result["fixes"] = [
            {
                "description": {"text": finding.fix.description},
                "artifactChanges": [
                    {
                        "artifactLocation": where.artifact(finding.path),
                        "replacements": [
                            {
                                "deletedRegion": _edit_region(finding, edit),
                                "insertedContent": {"text": edit.content},
                            }
                            for edit in finding.fix.edits
                        ],
                    }
                ],
            }
        ]
    if suppressed_by is not None:
        result["suppressions"] = [
            {"kind": "inSource", "justification": f"{suppressed_by} comment in the source"}
        ]
    return result


def _notification(diagnostic: Diagnostic, where: _Locations) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "error" if diagnostic.kind == "internal-error" else "warning",
        "message": {"text": f"{diagnostic.path}: {diagnostic.message}"},
        "descriptor": {"id": diagnostic.kind},
    }
    if not diagnostic.path.startswith("<"):
        physical: dict[str, Any] = {"artifactLocation": where.artifact(diagnostic.path)}
        if diagnostic.line > 0:
            physical["region"] = {"startLine": diagnostic.line, "startColumn": diagnostic.col + 1}
        if diagnostic.cell:
            physical["region"] = {"startLine": diagnostic.line}
            notification["properties"] = {"cell": diagnostic.cell, "cellLine": diagnostic.cell_line}
        notification["locations"] = [{"physicalLocation": physical}]
    return notification


def cwe_taxonomy(cwes: list[int]) -> dict[str, Any]:
    """The CWE as a SARIF taxonomy: one taxon per CWE the run's rules check."""
    return {
        "name": CWE_TAXONOMY,
        "organization": "MITRE",
        "shortDescription": {"text": "The MITRE Common Weakness Enumeration"},
        "informationUri": "https://cwe.mitre.org/",
        "isComprehensive": False,
        "taxa": [
            {
                "id": str(cwe),
                "name": f"CWE-{cwe}",
                "shortDescription": {"text": cwe_name(cwe)},
                "helpUri": cwe_url(cwe),
            }
            for cwe in cwes
        ],
    }


def build(result: ScanResult, links: DocLinks | None = None) -> dict[str, Any]:
    where = _Locations()
    rules = list(result.rules)
    cwes = sorted({cwe for rule in rules for cwe in rule.all_cwes()})
    taxa = {cwe: index for index, cwe in enumerate(cwes)}
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    findings = result.findings
    suppressed = sorted(result.suppressed, key=lambda item: item[0].sort_key)
    prints = fingerprints([*findings, *(f for f, _ in suppressed)])
    results = [_result(f, rule_index, prints[f], where) for f in findings]
    results += [_result(f, rule_index, prints[f], where, how) for f, how in suppressed]
    driver: dict[str, Any] = {
        "name": "secreview",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [rule_descriptor(r, links, taxa) for r in rules],
        "supportedTaxonomies": [{"name": CWE_TAXONOMY, "index": 0}],
    }
    uri = information_uri()
    if uri:
        driver["informationUri"] = uri
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "taxonomies": [cwe_taxonomy(cwes)],
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    _notification(d, where) for d in result.all_diagnostics
                ],
            }
        ],
        "originalUriBaseIds": {SRCROOT: {"uri": where.root.resolve().as_uri() + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(
    result: ScanResult, stream: IO[str], colour: bool = False, links: DocLinks | None = None
) -> None:
    json.dump(build(result, links), stream, indent=2)
    stream.write("\n")
