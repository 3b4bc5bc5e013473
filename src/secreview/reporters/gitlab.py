"""The GitLab SAST report (gl-sast-report.json, security report schema 15.x), for
`artifacts: reports: sast:` in .gitlab-ci.yml. Each finding is a vulnerability with the rule id
as primary identifier (GitLab tracks a vulnerability by its first identifier, and a rule is
more specific than a CWE) followed by the CWE."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import IO, Any

from secreview import __version__
from secreview.analysis import ScanResult
from secreview.cwe import cwe_name, cwe_url
from secreview.doc_links import DocLinks, doc_links, is_web_url
from secreview.findings import Finding, Severity
from secreview.fingerprint import fingerprints
from secreview.rules import find_rule

SCHEMA_VERSION = "15.0.7"
SCHEMA_URL = (
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/"
    f"v{SCHEMA_VERSION}/dist/sast-report-format.json"
)
SEVERITIES = {
    Severity.CRITICAL: "Critical",
    Severity.HIGH: "High",
    Severity.MEDIUM: "Medium",
    Severity.LOW: "Low",
}
_MAX_DESCRIPTION, _MAX_SOLUTION = 1_048_576, 7_000  # the schema's limits
_NAMESPACE = uuid.UUID("6f7c1f4e-7a2b-5b8e-9a51-3c0d5e6a7b8c")
_TOOL = {
    "id": "secreview",
    "name": "secreview",
    "version": __version__,
    "vendor": {"name": "secreview"},
}


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def vulnerability(
    finding: Finding, fingerprint: str, links: DocLinks | None = None
) -> dict[str, Any]:
    rule = find_rule(finding.rule_id)
    title = rule.title if rule is not None else finding.slug
    location: dict[str, Any] = {
        "file": finding.path,
        "start_line": finding.line,
        "end_line": finding.end_line,
    }
    if finding.scope:
        method = finding.scope.rsplit(".", 1)
        location["method"] = method[-1]
        if len(method) == 2:
            location["class"] = method[0]
    description = finding.message
    if finding.cell:  # `location` holds the .ipynb file's lines
        description += f"\n\nIn cell {finding.cell}, line {finding.cell_line} of the notebook."
    if finding.trace:
        steps = "\n".join(f"- {s.kind}: {s.where} {s.description}" for s in finding.trace)
        description += f"\n\nData flow:\n{steps}"
    data: dict[str, Any] = {
        # stable across runs: GitLab matches vulnerabilities of successive pipelines by id
        "id": str(uuid.uuid5(_NAMESPACE, fingerprint)),
        "name": f"{title} (CWE-{finding.cwe})"[:255],
        "description": description[:_MAX_DESCRIPTION],
        "severity": SEVERITIES[finding.severity],
        "location": location,
        "identifiers": [
            {
                "type": "secreview_rule_id",
                "name": f"secreview {finding.rule_id} {finding.slug}",
                "value": finding.rule_id,
                **_url((links or doc_links()).url(finding.rule_id, finding.slug)),
            },
            {
                "type": "cwe",
                "name": f"CWE-{finding.cwe}",
                "value": str(finding.cwe),
                "url": cwe_url(finding.cwe),
            },
        ],
        "details": {
            "confidence": {"type": "text", "name": "Confidence", "value": str(finding.confidence)},
            "cwe_name": {"type": "text", "name": "CWE", "value": cwe_name(finding.cwe)},
        },
    }
    if finding.fix is not None:
        solution = finding.fix.description
        if finding.fix.replacement:
            solution += f"\n\nReplacement: {finding.fix.replacement}"
        data["solution"] = solution[:_MAX_SOLUTION]
    if finding.snippet:
        data["raw_source_code_extract"] = finding.snippet
    return data


def _url(url: str | None) -> dict[str, str]:
    """The identifier's link to the rule's page; GitLab takes only http(s) links."""
    return {"url": url} if url is not None and is_web_url(url) else {}


def build(
    result: ScanResult, now: datetime | None = None, links: DocLinks | None = None
) -> dict[str, Any]:
    end = now or datetime.now(UTC)
    start = end - timedelta(seconds=result.seconds)
    findings = result.findings
    prints = fingerprints(findings)
    messages = [
        {"level": "warn", "value": diagnostic.one_line()} for diagnostic in result.all_diagnostics
    ]
    return {
        "version": SCHEMA_VERSION,
        "schema": SCHEMA_URL,
        "scan": {
            "analyzer": _TOOL,
            "scanner": _TOOL,
            "type": "sast",
            "start_time": _time(start),
            "end_time": _time(end),
            "status": "success",
            "messages": messages,
        },
        "vulnerabilities": [vulnerability(f, prints[f], links) for f in findings],
    }


def render(
    result: ScanResult, stream: IO[str], colour: bool = False, links: DocLinks | None = None
) -> None:
    json.dump(build(result, links=links), stream, indent=2)
    stream.write("\n")
