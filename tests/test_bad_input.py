"""Bad input never crashes the scan: each problem is one line naming the file, and the scan goes on."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

VULNERABLE = "import os\n\ndef ping(host):\n    os.system('ping ' + host)\n"


def _scan_json(run_cli, *extra: str) -> tuple[int, dict, str]:
    code, out, err = run_cli("scan", ".", "--format", "json", *extra)
    return code, json.loads(out), err


def _assert_one_line_diagnostic(err: str, filename: str, kind: str) -> None:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if filename in line]
    assert len(lines) == 1, err
    assert f": {kind}: " in lines[0]


@pytest.mark.parametrize(
    ("filename", "content", "kind"),
    [
        ("syntax.py", "def broken(:\n    pass\n", "syntax-error"),
        ("latin.py", b"name = '\xff\xfe caf\xe9'\n", "decode-error"),
        ("blob.py", bytes(range(256)) * 20, "binary"),
        # Python 2 is analysed (tests/test_python2.py); Python 2 that its grammar refuses is not.
        ("legacy.py", "print 'hello'\ndef broken(:\n", "python2"),
        ("nested.py", "x = " + "(" * 2000 + "1" + ")" * 2000 + "\n", "too-complex"),
    ],
)
def test_bad_file_gives_one_line_and_scan_goes_on(write, run_cli, filename, content, kind):
    write(filename, content)
    write("ok.py", VULNERABLE)
    code, report, err = _scan_json(run_cli)
    _assert_one_line_diagnostic(err, filename, kind)
    assert code == 1  # the good file's finding is still reported
    assert [f["path"] for f in report["findings"]] == ["ok.py"]
    assert [d["kind"] for d in report["diagnostics"]] == [kind]


def test_huge_file_is_skipped_with_a_reason(write, run_cli):
    write("generated.py", "x = 1\n" * 900_000)  # 5.4 MB
    write("ok.py", VULNERABLE)
    code, report, err = _scan_json(run_cli)
    _assert_one_line_diagnostic(err, "generated.py", "too-large")
    assert report["counts"]["files_not_analysed"] == 1
    assert code == 1


def test_file_size_limit_is_configurable(write, run_cli):
    write("generated.py", f"BLOB = {'x' * 100!r}\n" * 12_000)  # 1.3 MB
    write("pyproject.toml", '[tool.secreview]\nmax-file-size = "1MB"\n')
    _, report, _ = _scan_json(run_cli)
    assert [d["kind"] for d in report["diagnostics"]] == ["too-large"]
    write("pyproject.toml", '[tool.secreview]\nmax-file-size = "2MB"\n')
    code, report, _ = _scan_json(run_cli)
    assert report["diagnostics"] == [] and code == 0


def test_deeply_nested_expression_without_parentheses_is_analysed(write, run_cli):
    write("chain.py", "import os\nx = " + " + ".join(["'a'"] * 3000) + "\nos.system(x + input())\n")
    code, report, err = _scan_json(run_cli)
    assert "Traceback" not in err
    if sys.version_info >= (3, 13):
        # input() reaches the shell: the data-flow rule reports it (replacing the pattern rule).
        assert [(f["rule_id"], f["line"]) for f in report["findings"]] == [("SR901", 3)]
    else:
        # Python 3.12's parser gives up on a chain this long: one line says so, nothing crashes.
        assert report["findings"] == []
        assert [d["kind"] for d in report["diagnostics"]] == ["too-complex"]
        assert err.count("\n") == 1


def test_unreadable_file(write, run_cli, monkeypatch):
    target = write("secret.py", VULNERABLE)
    original = os.open

    # Files are opened with os.open (never following a FIFO into a blocking read); the test
    # runs as root in CI, where a mode of 000 would not stop the read.
    def deny(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name == target.name:
            raise PermissionError(13, "Permission denied")
        return original(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    write("ok.py", VULNERABLE)
    code, report, err = _scan_json(run_cli)
    _assert_one_line_diagnostic(err, "secret.py", "unreadable")
    assert code == 1


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_symlink_loops(tmp_path, write, run_cli):
    os.symlink("b.py", tmp_path / "a.py")
    os.symlink("a.py", tmp_path / "b.py")
    (tmp_path / "pkg").mkdir()
    os.symlink("..", tmp_path / "pkg" / "up")  # a directory loop
    write("pkg/ok.py", VULNERABLE)
    code, report, err = _scan_json(run_cli)
    assert "Traceback" not in err
    kinds = {(d["path"], d["kind"]) for d in report["diagnostics"]}
    assert ("a.py", "symlink-loop") in kinds and ("b.py", "symlink-loop") in kinds
    assert [f["path"] for f in report["findings"]] == ["pkg/ok.py"]


def test_bad_config_is_exit_2_with_one_line(write, run_cli):
    write("pyproject.toml", "[tool.secreview]\nselct = ['SR201']\n")
    write("ok.py", VULNERABLE)
    code, out, err = run_cli("scan", ".")
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "unknown key 'selct'" in err and "did you mean 'select'" in err


def test_config_that_is_not_toml(write, run_cli):
    write("pyproject.toml", "[tool.secreview\nselect = \n")
    code, out, err = run_cli("scan", ".")
    assert code == 2 and "not valid TOML" in err and err.count("\n") == 1


def test_strict_makes_unparsed_files_fail(write, run_cli):
    write("syntax.py", "def broken(:\n")
    code, _, _ = run_cli("scan", ".")
    assert code == 0
    code, _, err = run_cli("scan", ".", "--strict")
    assert code == 1 and "syntax.py" in err


def test_missing_path(run_cli):
    code, out, err = run_cli("scan", "does-not-exist")
    assert "does-not-exist" in err and "Traceback" not in err
    assert code == 0
    code, _, _ = run_cli("scan", "does-not-exist", "--strict")
    assert code == 1


def test_newer_syntax_names_the_construct_and_version(write, run_cli):
    write("tstrings.py", 'greeting = t"hello {name}"\n')
    code, report, err = _scan_json(run_cli)
    (diag,) = report["diagnostics"]
    if sys.version_info >= (3, 14):
        pytest.skip("the running Python parses template strings")
    assert diag["kind"] == "newer-syntax" and "PEP 750" in diag["message"]
    assert "Python 3.14" in diag["message"] and diag["line"] == 1


def test_async_as_identifier_in_old_code(write, run_cli):
    write("old.py", "import os\nasync = True\ndef run(cmd):\n    os.system(cmd)\n")
    code, report, err = _scan_json(run_cli)
    if sys.version_info[:2] <= (3, 12):  # their parsers still take feature_version=(3, 6)
        assert [f["line"] for f in report["findings"]] == [4]
    else:
        (diag,) = report["diagnostics"]
        assert diag["kind"] == "old-syntax" and "Python 3.12" in diag["message"]


@pytest.mark.parametrize(
    "source, construct, line",
    [
        ("Point = tuple[float, float]\ntype Pair = tuple[Point, Point]\n", "PEP 695", 2),
        ("def first[T](items: list[T]) -> T:\n    return items[0]\n", "PEP 695", 1),
        ("class Registry[K, V]:\n    entries: dict[K, V]\n", "PEP 695", 1),
        ('names = ["a", "b"]\nlabel = f"{", ".join(names)}"\n', "PEP 701", 2),
        ('rows = ["a"]\ntext = f"{"\\n".join(rows)}"\n', "PEP 701", 2),
    ],
)
def test_python_312_grammar_is_named_on_older_interpreters(write, run_cli, source, construct, line):
    write("app/models.py", source)
    write("app/tasks.py", "import os\n\ndef run(cmd):\n    os.system(cmd)\n")
    code, report, _ = _scan_json(run_cli)
    assert [(f["path"], f["line"]) for f in report["findings"]] == [("app/tasks.py", 4)]
    if sys.version_info >= (3, 12):
        assert report["diagnostics"] == []
        return
    (diag,) = report["diagnostics"]
    assert diag["path"] == "app/models.py" and diag["kind"] == "newer-syntax"
    assert construct in diag["message"] and "needs Python 3.12" in diag["message"]
    assert diag["line"] == line
