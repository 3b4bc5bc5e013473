"""A fixture expectation may name the finding's severity: `# expect: SR207 CWE-829 low`.

Severity is what a reviewer acts on (medium or higher: change the code; low: worth knowing),
so the fixtures of pattern rules pin it where it is the point: the plugin loader whose module
name no outside party chooses is low, its twin that reads the name from the request is high.
"""

from __future__ import annotations

import re

import pytest

from tests.harness import FIXTURES, all_fixtures, analyse_fixture

_EXPECT = re.compile(r"#\s*expect:\s*(?P<items>.+)$")
_ITEM = re.compile(r"(SR\d{3})\s+CWE-(\d+)(?:\s+(low|medium|high|critical)\b)?")


def severities(text: str) -> dict[tuple[int, str], str]:
    found: dict[tuple[int, str], str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _EXPECT.search(line)
        if match:
            for rule, _cwe, severity in _ITEM.findall(match.group("items")):
                if severity:
                    found[(number, rule)] = severity
    return found


PINNED = [p for p in all_fixtures() if severities(p.read_text(encoding="utf-8"))]


def test_some_fixtures_pin_severities():
    assert PINNED


@pytest.mark.parametrize("fixture", PINNED, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_pinned_severities(fixture):
    pinned = severities(fixture.read_text(encoding="utf-8"))
    result, _, _ = analyse_fixture(fixture)
    actual = {(f.line, f.rule_id): str(f.severity) for f in result.findings}
    wrong = {
        key: (want, actual.get(key)) for key, want in pinned.items() if actual.get(key) != want
    }
    assert not wrong, f"(line, rule): (expected severity, actual): {wrong}"


def test_the_module_that_defines_mark_safe_is_not_reported_for_its_own_calls():
    # The harness analyses fixtures without a module name; a scan derives it from the path.
    from secreview.analysis import analyze_source

    fixture = FIXTURES / "web" / "SR701_safe_implementation.py"
    text = fixture.read_text(encoding="utf-8")
    own = analyze_source(text, "django/utils/safestring.py", module_name="django.utils.safestring")
    assert not [f for f in own.findings if f.rule_id == "SR701"]
    vendored = text.replace("class SafeString(str, SafeData)", "class LocalSafe(str, SafeData)")
    vendored = "from django.utils.safestring import SafeString\n" + vendored
    elsewhere = analyze_source(vendored, "shop/html.py", module_name="shop.html")
    assert [(f.rule_id, f.cwe, str(f.severity)) for f in elsewhere.findings] == [
        ("SR701", 79, "low")
    ] * len(elsewhere.findings) and elsewhere.findings
