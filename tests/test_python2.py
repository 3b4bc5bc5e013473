"""Python 2 files are analysed with the same rules and models, at the lines the user wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from secreview.analysis import analyze_source
from secreview.parsing.python2 import Python2Error, Python2Source, parse_python2
from tests.harness import Expected, analyse_fixture

FIXTURES = Path(__file__).parent / "fixtures" / "python2"

# Each vulnerable fixture, with every finding it must produce (line, rule, CWE); its safe twin
# (`<name>_safe.py`) must produce none.
VULNERABLE = {
    # WebOb/OpenStack controller: request parameters and the routed id built into SQL text.
    "flavor_controller.py": [(23, "SR902", 89), (34, "SR902", 89)],
    # BaseHTTPServer handler: the request path in commands.getstatusoutput().
    "status_server.py": [(12, "SR901", 78)],
    # A cookie unpickled with cPickle.
    "session_cookie.py": [(16, "SR905", 502)],
    # A request parameter fetched with urllib2.urlopen().
    "feed_proxy.py": [(13, "SR909", 918)],
    # raw_input() into os.system(); Python 2's input() evaluates what is typed.
    "admin_console.py": [(9, "SR901", 78), (13, "SR904", 94)],
    # Python 2's sha and md5 modules, for a signature and a password.
    "release_signer.py": [(23, "SR405", 328), (29, "SR405", 328)],
    # Print statements, `except E, e`, backticks, tuple parameters… before every finding.
    "backup_tool.py": [(36, "SR502", 732), (40, "SR206", 94), (48, "SR901", 78)],
}


@pytest.mark.parametrize("name", sorted(VULNERABLE))
def test_vulnerable_python2_fixture(name: str) -> None:
    result, annotated, actual = analyse_fixture(FIXTURES / name)
    assert result.dialect == "python2"
    assert result.diagnostics == []
    expected = {Expected(line, rule, cwe) for line, rule, cwe in VULNERABLE[name]}
    assert annotated == expected  # the fixture's `# expect:` comments say the same
    assert actual == expected


@pytest.mark.parametrize("name", sorted(set(VULNERABLE) - {"backup_tool.py"}))
def test_safe_twin_has_no_findings(name: str) -> None:
    safe = FIXTURES / name.replace(".py", "_safe.py")
    result, annotated, actual = analyse_fixture(safe)
    assert result.dialect == "python2"
    assert result.diagnostics == []
    assert annotated == set() and actual == set()


def test_findings_after_python2_constructs_keep_their_lines_and_text() -> None:
    result, _, _ = analyse_fixture(FIXTURES / "backup_tool.py")
    chmod = next(f for f in result.findings if f.rule_id == "SR502")
    # The snippet is the line as written, not its conversion (`0o777`).
    assert chmod.snippet == "    os.chmod(target, 0777)  # expect: SR502 CWE-732"
    shell = next(f for f in result.findings if f.rule_id == "SR901")
    assert [(step.kind, step.line) for step in shell.trace] == [("source", 48), ("sink", 48)]
    controller, _, _ = analyse_fixture(FIXTURES / "flavor_controller.py")
    first = min(controller.findings, key=lambda f: f.line)
    assert 'cursor.execute("SELECT key, value' in first.snippet
    assert [(step.kind, step.line) for step in first.trace] == [
        ("source", 20),
        ("step", 20),
        ("sink", 23),
    ]


def test_examined_sites_are_at_the_original_lines() -> None:
    result, _, _ = analyse_fixture(FIXTURES / "backup_tool.py")
    lines = {(site.cwe, site.line) for site in result.examined}
    assert (94, 40) in lines and (732, 36) in lines


def test_scan_counts_python2_files_and_reports_findings(write, run_cli) -> None:
    write("legacy/tool.py", (FIXTURES / "admin_console.py").read_text(encoding="utf-8"))
    write("modern.py", "import os\n\ndef run(cmd):\n    os.system(cmd)\n")
    code, out, err = run_cli("scan", ".")
    assert code == 1 and err == ""
    assert "1 Python 2 file" in out
    code, out, _ = run_cli("scan", ".", "--format", "json")
    report = json.loads(out)
    assert report["diagnostics"] == []
    found = {(f["path"], f["line"], f["rule_id"]) for f in report["findings"]}
    assert {("legacy/tool.py", 9, "SR901"), ("legacy/tool.py", 13, "SR904")} <= found


def test_file_neither_grammar_parses_gets_one_line_with_both_errors(write, run_cli) -> None:
    write("broken.py", "import os\nprint 'starting'\n\ndef run(cmd)\n    os.system(cmd)\n")
    write("ok.py", "import os\nos.system(input())\n")
    code, out, err = run_cli("scan", ".", "--format", "json")
    report = json.loads(out)
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["path"] == "broken.py" and diagnostic["kind"] == "python2"
    assert diagnostic["line"] == 2  # Python 3 stops at the print statement
    message = diagnostic["message"]
    assert "not Python 3 (" in message and "line 2)" in message
    assert "nor Python 2 (unexpected end of line, line 4)" in message
    assert message.endswith("not analysed")
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if "broken.py" in line] == [
        f"secreview: warning: broken.py:2:0: python2: {message}"
    ]
    assert report["counts"]["files_not_analysed"] == 1
    assert [f["path"] for f in report["findings"]] == ["ok.py"]
    code, _, _ = run_cli("scan", ".", "--strict")
    assert code == 1


def test_plain_syntax_error_is_still_a_syntax_error() -> None:
    result = analyze_source("def broken(:\n    pass\n", "app/broken.py")
    (diagnostic,) = result.diagnostics
    assert diagnostic.kind == "syntax-error" and diagnostic.line == 1
    assert "nor Python 2 (invalid syntax at ':', line 1)" in diagnostic.message
    assert result.findings == []


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="Python 3.14 parses `except A, B:`")
def test_except_with_a_class_list_is_still_newer_syntax() -> None:
    text = "try:\n    run()\nexcept ValueError, TypeError:\n    pass\n"
    (diagnostic,) = analyze_source(text, "app/handler.py").diagnostics
    assert diagnostic.kind == "newer-syntax" and "PEP 758" in diagnostic.message


def test_except_binding_a_name_is_python2() -> None:
    text = "import os\ntry:\n    run()\nexcept ValueError, exc:\n    os.system(raw_input())\n"
    result = analyze_source(text, "app/handler.py")
    assert result.dialect == "python2" and result.diagnostics == []
    assert [(f.line, f.rule_id) for f in result.findings] == [(5, "SR901")]


def test_python3_files_are_not_converted() -> None:
    result = analyze_source("import os\nos.system(input())\n", "app/tool.py")
    assert result.dialect == "python3"
    assert [(f.line, f.rule_id) for f in result.findings] == [(2, "SR901")]


def test_input_bound_by_the_module_is_not_python2_input() -> None:
    text = "from six.moves import input\n\nprint 'ready'\nanswer = input('continue? ')\n"
    result = analyze_source(text, "app/prompt.py")
    assert result.dialect == "python2" and result.findings == []


def test_suppression_comments_hold_in_python2_files() -> None:
    text = (
        "import os\n"
        "print 'restarting'\n"
        "os.system(raw_input())  # secreview: ignore[SR901] -- operators only\n"
        "os.system(raw_input())\n"
    )
    result = analyze_source(text, "app/ops.py")
    assert [(f.line, f.rule_id) for f in result.findings] == [(4, "SR901")]


def test_windows_line_endings_and_mixed_tabs() -> None:
    text = (
        "import os\r\n"
        "def restart(name):\r\n"
        "    if name:\r\n"
        "\tprint 'restarting', name\r\n"  # a tab is eight columns in Python 2
        "\tos.system('service %s restart' % raw_input())\r\n"
    )
    result = analyze_source(text, "app/ops.py")
    assert result.dialect == "python2" and result.diagnostics == []
    assert [(f.line, f.rule_id) for f in result.findings] == [(5, "SR901")]


def test_future_print_function_file_with_other_python2_syntax() -> None:
    text = (
        '"""Deploy helper."""\n'
        "from __future__ import print_function\n"
        "import os\n"
        "print('deploying', file=sys.stderr)\n"
        "if os.environ.get('MODE') <> 'dry':\n"
        "    os.system('deploy ' + raw_input())\n"
    )
    result = analyze_source(text, "app/deploy.py")
    assert result.dialect == "python2"
    assert [(f.line, f.rule_id) for f in result.findings] == [(6, "SR901")]


# -- the conversion itself ---------------------------------------------------------------------
def _converted(text: str) -> str:
    result = parse_python2(text, "example.py")
    assert isinstance(result, Python2Source), result
    assert result.text.count("\n") == text.count("\n")
    return result.text


@pytest.mark.parametrize(
    ("python2", "python3"),
    [
        ("print 'a', b\n", "print('a', b)\n"),
        ("print >>f, x,\n", "print(x, end=' ', file=f)\n"),
        ('exec "code" in ns\n', 'exec("code", ns)\n'),
        ("x = `y`\n", "x = repr(y)\n"),
        ("m = 0777 + 10L + 0777L\n", "m = 0o777 + 10 + 0o777\n"),
        ("xs = [x for x in 1, 2]\n", "xs = [x for x in (1, 2)]\n"),
        ("ok = a <> b\n", "ok = a != b\n"),
        ('raise E, "msg"\n', 'raise E("msg")\n'),
        ('s = ur"\\d+" + u"x"\n', 's = r"\\d+" + u"x"\n'),
        ("f = lambda (k, v): v\n", "f = lambda k_v: k_v[1]\n"),
        (
            "try:\n    go()\nexcept E, e:\n    pass\n",
            "try:\n    go()\nexcept E as e:\n    pass\n",
        ),
        (
            "try:\n    go()\nexcept E, (code, text):\n    log(text)\n",
            "try:\n    go()\nexcept E as _exception:\n    (code, text) = _exception.args; log(text)\n",
        ),
        (
            "def f(self, (a, b), c=1):\n    return a\n",
            "def f(self, _args, c=1):\n    (a, b) = _args; return a\n",
        ),
        (
            'def f((a, b)):\n    """Doc."""\n    return a\n',
            'def f(_args):\n    """Doc."""; (a, b) = _args\n    return a\n',
        ),
        ("answer = input('n? ')\n", "answer = eval(raw_input('n? '))\n"),
        ("try:\n    go()\nexcept E,e:\n    pass\n", "try:\n    go()\nexcept E as e:\n    pass\n"),
        ("n = 7L.real\n", "n = 7 .real\n"),
        # In a Python 2 byte string, \\u and \\N are two characters each, not an escape.
        ('p = "C:\\users\\N" + u"\\u00e9"\n', 'p = "C:\\\\users\\\\N" + u"\\u00e9"\n'),
        # A fixer that drops a backslash continuation gets the line break back.
        (
            "raise Error, \\\n    'too long'\nx = 1\n",
            "raise Error('too long') \\\n\nx = 1\n",
        ),
        (
            "print 'a', \\\n    'b'\nx = 1\n",
            "print('a', \\\n    'b')\nx = 1\n",
        ),
    ],
)
def test_conversion_keeps_every_line(python2: str, python3: str) -> None:
    assert _converted(python2) == python3


def test_renamed_modules_keep_their_names() -> None:
    text = "import urllib2, commands, cPickle\nprint urllib2.urlopen(u).read()\n"
    assert _converted(text) == (
        "import urllib2, commands, cPickle\nprint(urllib2.urlopen(u).read())\n"
    )


def test_tuple_parameter_before_a_compound_statement_is_renamed_only() -> None:
    # Nothing can share the line of an `if`: the elements are left unbound, no line is added.
    text = "def f((a, b)):\n    if a:\n        return b\n"
    assert _converted(text) == "def f(_args):\n    if a:\n        return b\n"


def test_python2_grammar_error_names_its_line() -> None:
    error = parse_python2("print 'x'\nx = (\n", "example.py")
    assert isinstance(error, Python2Error)
    assert error.message == "EOF in multi-line statement" and error.line == 3


def test_unwritable_cache_directory_still_parses_python2(tmp_path: Path) -> None:
    # fissix caches its grammar tables in the user's cache directory; a read-only home (here a
    # cache "directory" that is a file, which stops root too) must not stop the analysis.
    blocker = tmp_path / "cache"
    blocker.write_text("not a directory\n", encoding="utf-8")
    script = tmp_path / "console.py"
    script.write_text((FIXTURES / "admin_console.py").read_text(encoding="utf-8"), "utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(blocker / "inner")}
    done = subprocess.run(
        [sys.executable, "-m", "secreview", "scan", "console.py", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(done.stdout)
    assert report["diagnostics"] == [] and "Traceback" not in done.stderr
    assert {(f["line"], f["rule_id"]) for f in report["findings"]} == {(9, "SR901"), (13, "SR904")}


def test_lines_after_a_rewritten_continuation_line_do_not_move() -> None:
    text = (
        "import os\n"
        "def check(name):\n"
        "    if not name:\n"
        "        raise ValueError, \\\n"
        "            'a name is needed'\n"
        "    print >>sys.stderr, 'checking', \\\n"
        "        name\n"
        "    os.system('check ' + raw_input())\n"
    )
    result = analyze_source(text, "app/check.py")
    assert result.dialect == "python2"
    assert [(f.line, f.rule_id) for f in result.findings] == [(8, "SR901")]


def test_python2_library_names_are_modelled() -> None:
    # os.popen2, popen2, commands.getstatus, file(), execfile(), urllib.urlretrieve, httplib,
    # xmlrpclib, urllib2.URLError and the SimpleHTTPServer/CGIHTTPServer/SocketServer handlers;
    # the urlparse check and urllib.quote_plus clean their lines (no `# expect:` there).
    result, annotated, actual = analyse_fixture(FIXTURES / "intranet_tools.py")
    assert result.dialect == "python2" and result.diagnostics == []
    assert len(annotated) == 12
    assert actual == annotated


def test_bandit_b322_comment_suppresses_python2_input() -> None:
    """Bandit's B322 flagged Python 2's input(); its nosec comment hides what replaces it."""
    text = (FIXTURES / "admin_console.py").read_text(encoding="utf-8")
    marked = text.replace("# expect: SR904 CWE-94", "# nosec B322")
    result = analyze_source(marked, "tools/admin_console.py")
    assert [(f.rule_id, f.line) for f in result.findings] == [("SR901", 9)]
    assert [(f.rule_id, f.line) for f, _ in result.suppressed] == [("SR904", 13)]


def test_a_python2_file_too_large_to_convert_is_named_not_converted() -> None:
    from secreview.parsing.source import MAX_PYTHON2_CHARS

    rows = ", ".join(str(n) for n in range(MAX_PYTHON2_CHARS // 6))
    text = f'print "loading lookup table"\nTABLE = [{rows}]\n'
    assert len(text) > MAX_PYTHON2_CHARS
    result = analyze_source(text, "legacy/lookup_table.py")
    (diagnostic,) = result.diagnostics
    assert diagnostic.kind == "python2" and diagnostic.line == 1
    assert "too large to be tried as Python 2" in diagnostic.message
    # Under the limit, the same kind of file is converted and analysed.
    small = 'print "loading lookup table"\nTABLE = [1, 2, 3]\n'
    assert analyze_source(small, "legacy/lookup_table.py").dialect == "python2"
