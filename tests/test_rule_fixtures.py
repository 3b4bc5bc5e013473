"""Every rule fixture produces exactly the findings its `# expect:` comments name: rule id, CWE
and line. Safe twins have no expectations, so they must be silent."""

from __future__ import annotations

import pytest

from secreview.rules import all_rules
from secreview.rules.base import FlowRule
from tests.harness import FIXTURES, all_fixtures, analyse_fixture

FIXTURE_FILES = all_fixtures()


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_findings_match_expectations(fixture):
    result, expected, actual = analyse_fixture(fixture)
    assert not result.diagnostics, [d.one_line() for d in result.diagnostics]
    missing = sorted(expected - actual)
    spurious = sorted(actual - expected)
    messages = {(f.line, f.rule_id): f.message for f in result.findings}
    assert not missing and not spurious, (
        f"missing: {missing}\nspurious: {[(s, messages.get((s.line, s.rule_id))) for s in spurious]}"
    )


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_every_rule_has_a_vulnerable_example_and_a_safe_twin(rule):
    vulnerable = [p for p in FIXTURE_FILES if p.name.startswith(f"{rule.id}_vulnerable")]
    safe = [p for p in FIXTURE_FILES if p.name.startswith(f"{rule.id}_safe")]
    assert vulnerable, f"{rule.id} has no {rule.id}_vulnerable*.py fixture"
    assert safe, f"{rule.id} has no {rule.id}_safe*.py fixture"
    fired = set()
    for path in vulnerable:
        _, expected, _ = analyse_fixture(path)
        fired |= {e.rule_id for e in expected}
    assert rule.id in fired, f"no vulnerable fixture of {rule.id} expects a finding of it"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_every_rule_is_documented(rule):
    sections = rule.doc_sections()
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead", "References"):
        assert sections.get(heading, "").strip(), f"{rule.id} docs lack '## {heading}'"
    assert f"cwe.mitre.org/data/definitions/{rule.cwe}.html" in sections["References"]
    assert rule.slug and rule.title and rule.cwe
    assert rule.in_tests in ("report", "lower", "skip")
    if not issubclass(rule, FlowRule):  # flow rules are fed by the engine, not the walker
        assert rule.node_types, f"{rule.id} subscribes to no node type"
