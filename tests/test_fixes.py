"""Machine-applicable fixes apply: for every finding that carries edits, in every rule fixture
and fixture project, the edits applied to the file give valid Python whose names are all
defined (the imports a fix needs come with it), the fixed finding is gone and no new one
appears."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

from secreview.analysis import analyze_source, scan
from secreview.config import Config
from secreview.findings import Edit, Finding
from tests.harness import FIXTURES, all_fixtures, fixture_path

PROJECTS = Path(__file__).parent / "fixtures" / "projects"


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """The text with the edits applied (1-based lines, 0-based UTF-8 byte columns), the last
    first so that earlier positions stay valid."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line.encode("utf-8")))
    data = text.encode("utf-8")
    for edit in sorted(edits, key=lambda e: (e.line, e.col, e.end_line, e.end_col), reverse=True):
        start = starts[edit.line - 1] + edit.col
        end = starts[edit.end_line - 1] + edit.end_col
        assert start <= end <= len(data), f"edit out of range: {edit}"
        data = data[:start] + edit.content.encode("utf-8") + data[end:]
    return data.decode("utf-8")


_RUFF = (sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--output-format=json")


def undefined_and_redefined(text: str) -> Counter[str]:
    """Names used but never defined (F821) and imports that repeat an unused one (F811)."""
    done = subprocess.run(
        [*_RUFF, "--select", "F821,F811", "--stdin-filename", "fixed.py", "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return Counter(f"{d['code']} {d['message']}" for d in json.loads(done.stdout))


def _key(finding: Finding) -> tuple[str, int, str, str]:
    """What a finding is, whatever its line (an added import moves lines down) and its code
    (another finding's fix may rewrite the same statement)."""
    return (finding.rule_id, finding.cwe, finding.path, finding.scope)


def _with_edits(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.fix is not None and f.fix.edits]


def _check_fixed(before: list[Finding], finding: Finding, after: list[Finding]) -> None:
    expected = Counter(map(_key, before))
    expected[_key(finding)] -= 1
    actual = Counter(map(_key, after))
    where = f"{finding.rule_id} at line {finding.line} ({finding.fix.description})"
    appeared = actual - expected
    assert not appeared, f"{where}: still reported, or new findings after the fix: " + ", ".join(
        f"{f.rule_id} line {f.line}: {f.message}" for f in after if _key(f) in appeared
    )


def _check_text(original: str, fixed: str, finding: Finding) -> None:
    where = f"{finding.rule_id} at line {finding.line}"
    try:
        ast.parse(fixed)
    except SyntaxError as exc:
        pytest.fail(f"{where}: the fixed code does not parse: {exc}\n{fixed}")
    added = undefined_and_redefined(fixed) - undefined_and_redefined(original)
    assert not added, f"{where}: the fix leaves {sorted(added)}\n{fixed}"


FIXTURES_WITH_FIXES = [
    path
    for path in all_fixtures()
    if _with_edits(
        analyze_source(text := path.read_text(encoding="utf-8"), fixture_path(text, path)).findings
    )
]


def test_the_fixtures_exercise_many_rules_fixes():
    rules = set()
    for path in FIXTURES_WITH_FIXES:
        text = path.read_text(encoding="utf-8")
        rules |= {
            f.rule_id for f in _with_edits(analyze_source(text, fixture_path(text, path)).findings)
        }
    assert len(rules) >= 15, sorted(rules)


@pytest.mark.parametrize("fixture", FIXTURES_WITH_FIXES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fix_of_a_rule_fixture_applies(fixture: Path):
    text = fixture.read_text(encoding="utf-8")
    path = fixture_path(text, fixture)
    before = analyze_source(text, path).findings
    for finding in _with_edits(before):
        fixed = apply_edits(text, finding.fix.edits)
        _check_text(text, fixed, finding)
        _check_fixed(before, finding, analyze_source(fixed, path).findings)


def _project_findings(root: Path) -> list[Finding]:
    return scan([root], Config(root=root), jobs=1).findings


@pytest.mark.parametrize("project", sorted(p.name for p in PROJECTS.iterdir() if p.is_dir()))
def test_every_fix_in_a_fixture_project_applies(project: str, tmp_path: Path):
    root = tmp_path / project
    shutil.copytree(PROJECTS / project, root, ignore=shutil.ignore_patterns("__pycache__"))
    before = _project_findings(root)
    for finding in _with_edits(before):
        file = Path(finding.path)
        original = file.read_text(encoding="utf-8")
        fixed = apply_edits(original, finding.fix.edits)
        _check_text(original, fixed, finding)
        file.write_text(fixed, encoding="utf-8")
        try:
            _check_fixed(before, finding, _project_findings(root))
        finally:
            file.write_text(original, encoding="utf-8")


def _fix_of(source: str, rule_id: str) -> tuple[str, str]:
    source = textwrap.dedent(source)
    findings = [f for f in analyze_source(source, "app/tokens.py").findings if f.rule_id == rule_id]
    assert findings and findings[0].fix is not None and findings[0].fix.edits, findings
    fixed = apply_edits(source, findings[0].fix.edits)
    _check_text(source, fixed, findings[0])
    return source, fixed


def test_an_added_import_goes_after_the_docstring_future_imports_and_imports():
    _, fixed = _fix_of(
        '''\
        """Password reset tokens."""

        from __future__ import annotations

        import random
        import string  # for the alphabet

        ALPHABET = string.ascii_letters


        def reset_token():
            token = "".join(random.choice(ALPHABET) for _ in range(32))
            return token
        ''',
        "SR408",
    )
    assert fixed.splitlines()[:7] == [
        '"""Password reset tokens."""',
        "",
        "from __future__ import annotations",
        "",
        "import random",
        "import string  # for the alphabet",
        "import secrets",
    ]
    assert 'token = "".join(secrets.choice(ALPHABET) for _ in range(32))' in fixed


def test_an_import_alias_is_used_and_no_import_is_added():
    source, fixed = _fix_of(
        """\
        import random
        import secrets as sec


        def api_key():
            api_key = random.getrandbits(128)
            return api_key
        """,
        "SR408",
    )
    assert fixed.count("import") == source.count("import")
    assert "api_key = sec.randbits(128)" in fixed


def test_an_existing_import_is_not_repeated():
    source, fixed = _fix_of(
        """\
        import random
        import secrets


        def session_token():
            session_token = random.getrandbits(64)
            return session_token
        """,
        "SR408",
    )
    assert fixed.count("import secrets") == 1
    assert "session_token = secrets.randbits(64)" in fixed


def test_a_comment_header_and_from_import_keep_their_place():
    _, fixed = _fix_of(
        """\
        #!/usr/bin/env python3
        # Issue one-time passwords.
        from random import getrandbits


        def otp_secret():
            otp_secret = getrandbits(80)
            return otp_secret
        """,
        "SR408",
    )
    lines = fixed.splitlines()
    assert lines[:4] == [
        "#!/usr/bin/env python3",
        "# Issue one-time passwords.",
        "from random import getrandbits",
        "import secrets",
    ]
    assert "otp_secret = secrets.randbits(80)" in fixed


def test_no_mechanical_fix_when_the_name_means_something_else():
    source = textwrap.dedent(
        """\
        import random

        secrets = {"db": "from-vault"}


        def api_token():
            api_token = random.getrandbits(128)
            return api_token
        """
    )
    findings = [f for f in analyze_source(source, "app/tokens.py").findings if f.rule_id == "SR408"]
    assert findings and findings[0].fix is not None
    assert findings[0].fix.edits == ()
    assert "secrets" in findings[0].fix.description


def test_a_submodule_import_joins_the_package_already_imported():
    source, fixed = _fix_of(
        """\
        import defusedxml.sax
        from xml.etree import ElementTree


        def parse_upload(request):
            return ElementTree.fromstring(request.body)
        """,
        "SR304",
    )
    assert fixed.splitlines()[:3] == [
        "import defusedxml.sax",
        "from xml.etree import ElementTree",
        "import defusedxml.ElementTree",
    ]
    assert "return defusedxml.ElementTree.fromstring(request.body)" in fixed
