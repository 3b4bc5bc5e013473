"""The docs stay true: the generated rule reference is current and links resolve."""

from __future__ import annotations

import re
from pathlib import Path

from secreview.rules import all_rules
from secreview.rules_doc import rules_markdown

ROOT = Path(__file__).parent.parent


def test_rules_reference_is_current():
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), (
        "docs/rules.md is stale: run `secreview rules --format markdown > docs/rules.md`"
    )


def test_every_rule_has_a_section_in_the_reference():
    text = rules_markdown()
    for rule in all_rules():
        assert f"## {rule.id} {rule.slug}" in text


def test_relative_links_in_readme_and_docs_resolve():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        prose = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        for target in re.findall(r"\]\(([\w./-]+)(?:#[\w-]*)?\)", prose):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_readme_starts_with_install_scan_and_test_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text[: text.index("## Usage")]
    commands = [
        line.split("#")[0].strip()
        for block in re.findall(r"```sh\n(.*?)```", head, flags=re.DOTALL)
        for line in block.splitlines()
        if line.strip()
    ]
    # In an order that works when copied: the test command comes after the install of the
    # test extras, never after the plain install alone.
    assert commands == [
        "python3 -m pip install .",
        "secreview scan path/to/project",
        "python3 -m pip install -e '.[test]'",
        "python3 -m pytest",
    ]
    assert "Python 3.11 or newer" in head
