"""Inline expectations for rule fixtures (CodeQL-style).

A fixture is a small realistic module. A line that must produce a finding ends with
`# expect: SR201 CWE-78` (several separated by commas). Every other line must produce nothing,
for any rule. A first-line comment `# fixture-path: myapp/tests/test_x.py` sets the path the
module is analysed under (it decides whether it counts as test code); the default is
`app/<file name>`.

A fixture that renders templates names their directory in a comment
`# fixture-templates: SR931_vulnerable_flask_templates` (beside the fixture): the module and
that directory, copied to `templates/` next to it, are then scanned as one project. A template
line that must produce a finding holds `{# expect: SR931 CWE-79 #}`.

A fixture that imports other modules of its project names the directory that holds them
(`# fixture-modules: SR103_vulnerable_imported_key_modules`, beside the fixture, with no `.py`
files: they are named `.py.txt` so that they are no fixtures of their own); they are copied
next to the module as `.py` files and the whole is scanned as one project.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from secreview.analysis import analyze_source, scan
from secreview.config import Config
from secreview.findings import FileResult

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
_EXPECT = re.compile(r"#\s*expect:\s*(?P<items>.+)$")
_ITEM = re.compile(r"(SR\d{3})\s+CWE-(\d+)")
_PATH = re.compile(r"^#\s*fixture-path:\s*(\S+)")
_TEMPLATES = re.compile(r"^#\s*fixture-templates:\s*(\S+)", re.M)
_TEMPLATE_EXPECT = re.compile(r"\{#\s*expect:\s*(?P<items>.+?)\s*#\}")
_MODULES = re.compile(r"^#\s*fixture-modules:\s*(\S+)", re.M)


@dataclass(frozen=True, order=True)
class Expected:
    line: int
    rule_id: str
    cwe: int
    path: str = ""  # a template's path (`templates/page.html`); "" for the fixture module


def expectations(text: str) -> set[Expected]:
    found: set[Expected] = set()
    for number, line in enumerate(text.splitlines(), 1):
        match = _EXPECT.search(line)
        if match:
            items = _ITEM.findall(match.group("items"))
            assert items, f"line {number}: malformed expectation {match.group(0)!r}"
            found.update(Expected(number, rule, int(cwe)) for rule, cwe in items)
    return found


def fixture_path(text: str, file: Path) -> str:
    match = _PATH.match(text)
    return match.group(1) if match else f"app/{file.name}"


def analyse_fixture(file: Path) -> tuple[FileResult, set[Expected], set[Expected]]:
    text = file.read_text(encoding="utf-8")
    templates = _TEMPLATES.search(text)
    if templates:
        return _analyse_with_templates(file, text, file.parent / templates.group(1))
    modules = _MODULES.search(text)
    if modules:
        return _analyse_with_modules(file, text, file.parent / modules.group(1))
    # Rules decide how test code is treated; the fixtures check that, so nothing is hidden.
    result = analyze_source(text, fixture_path(text, file), config=Config(include_tests=True))
    actual = {Expected(f.line, f.rule_id, f.cwe) for f in result.findings}
    return result, expectations(text), actual


def _analyse_with_templates(
    file: Path, text: str, templates: Path
) -> tuple[FileResult, set[Expected], set[Expected]]:
    """The fixture module and its templates scanned as one project."""
    path = fixture_path(text, file)
    expected = expectations(text)
    for template in sorted(templates.rglob("*")):
        if template.is_file():
            name = f"templates/{template.relative_to(templates).as_posix()}"
            for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
                match = _TEMPLATE_EXPECT.search(line)
                if match:
                    items = _ITEM.findall(match.group("items"))
                    assert items, f"{name}:{number}: malformed expectation"
                    expected.update(Expected(number, r, int(c), name) for r, c in items)
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        module = root / path
        module.parent.mkdir(parents=True)
        module.write_text(text, encoding="utf-8")
        shutil.copytree(templates, module.parent / "templates")
        result, actual = _scan_project(root, module)
    return result, expected, actual


def _scan_project(root: Path, module: Path) -> tuple[FileResult, set[Expected]]:
    """Scan the project written under `root` and keep the fixture module's result; findings
    in other files are named by their path relative to the module's directory."""
    scanned = scan([root], Config(root=root, include_tests=True), jobs=1)
    result = next(r for r in scanned.files if Path(r.path) == module)
    result = replace(result, diagnostics=scanned.all_diagnostics)
    actual: set[Expected] = set()
    for finding in scanned.findings:
        where = Path(finding.path).relative_to(module.parent).as_posix()
        actual.add(
            Expected(
                finding.line,
                finding.rule_id,
                finding.cwe,
                "" if where == module.name else where,
            )
        )
    return result, actual


def _analyse_with_modules(
    file: Path, text: str, modules: Path
) -> tuple[FileResult, set[Expected], set[Expected]]:
    """The fixture module and the other modules of its project scanned as one project."""
    path = fixture_path(text, file)
    expected = expectations(text)
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        module = root / path
        module.parent.mkdir(parents=True)
        module.write_text(text, encoding="utf-8")
        for other in sorted(modules.rglob("*.py.txt")):
            name = other.relative_to(modules).as_posix().removesuffix(".txt")
            written = other.read_text(encoding="utf-8")
            expected.update(replace(e, path=name) for e in expectations(written))
            target = module.parent / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(written, encoding="utf-8")
        result, actual = _scan_project(root, module)
    return result, expected, actual


def all_fixtures() -> list[Path]:
    return sorted(FIXTURES.rglob("*.py"))
