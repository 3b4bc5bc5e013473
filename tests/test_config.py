"""Configuration: discovery by walking up, validation with suggestions, provenance."""

from __future__ import annotations

import json

import pytest

from secreview.config import ConfigError, config_from_table, load_config

VULNERABLE = "import os\n\ndef ping(host):\n    os.system('ping ' + host)\n"


def test_no_config_is_fine(tmp_path):
    config = load_config(tmp_path)
    assert config.file is None and config.select is None


def test_found_by_walking_up(tmp_path, write):
    write("pyproject.toml", '[tool.secreview]\nignore = ["SR202"]\n')
    sub = tmp_path / "src" / "pkg"
    sub.mkdir(parents=True)
    config = load_config(sub)
    assert config.ignore == ["SR202"] and config.file == tmp_path / "pyproject.toml"


def test_pyproject_without_our_table_keeps_looking(tmp_path, write):
    write("secreview.toml", 'ignore = ["CWE-78"]\n')
    write("inner/pyproject.toml", "[project]\nname = 'x'\n")
    config = load_config(tmp_path / "inner")
    assert config.ignore == ["CWE-78"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"selct": ["SR201"]}, "unknown key 'selct' in [tool.secreview]; did you mean 'select'?"),
        ({"ignore": ["SR2O1"]}, "unknown rule 'SR2O1'; did you mean 'SR201'?"),
        (
            {"severity": "hgh"},
            "severity must be one of low, medium, high, critical, not 'hgh'; did you mean 'high'?",
        ),
        ({"exclude": "build"} | {"max-file-size": "lots"}, "max-file-size must be a size"),
        ({"respect-gitignore": "yes"}, "respect-gitignore must be true or false"),
        (
            {"overrides": [{"path": ["x"]}]},
            "unknown key 'path' in overrides[0]; did you mean 'paths'?",
        ),
    ],
)
def test_bad_values_name_the_key(table, message):
    with pytest.raises(ConfigError, match=None) as info:
        config_from_table(table, None)
    assert message in str(info.value)


def test_select_ignore_and_per_file_ignores(run_cli, write):
    write("app/ping.py", VULNERABLE)
    write("scripts/ping.py", VULNERABLE)
    write(
        "pyproject.toml",
        '[tool.secreview]\nselect = ["CWE-78"]\n[tool.secreview.per-file-ignores]\n"scripts/*" = ["SR202"]\n',
    )
    code, out, _ = run_cli("scan", ".", "--format", "json")
    assert [f["path"] for f in json.loads(out)["findings"]] == ["app/ping.py"]
    # Ignoring every selected rule would run nothing and pass: an error instead.
    code, out, err = run_cli("scan", ".", "--format", "json", "--ignore", "CWE-78")
    assert code == 2 and out == ""
    assert "select and ignore together leave no rule to run" in err


def test_overrides_set_severity_threshold_per_path(run_cli, write):
    write("legacy/ping.py", VULNERABLE)
    write("app/ping.py", VULNERABLE)
    write(
        "pyproject.toml",
        '[[tool.secreview.overrides]]\npaths = ["legacy"]\nseverity = "critical"\n',
    )
    _, out, _ = run_cli("scan", ".", "--format", "json")
    assert [f["path"] for f in json.loads(out)["findings"]] == ["app/ping.py"]


def test_fail_on_and_severity_threshold(run_cli, write):
    write("ping.py", VULNERABLE)
    assert run_cli("scan", ".", "--fail-on", "critical")[0] == 0
    assert run_cli("scan", ".", "--fail-on", "high")[0] == 1
    code, out, _ = run_cli("scan", ".", "--severity", "critical", "--format", "json")
    assert json.loads(out)["findings"] == [] and code == 0
    assert run_cli("scan", ".", "--severity", "extreme")[0] == 2


def test_config_command_prints_values_and_origins(run_cli, write):
    write("pyproject.toml", '[tool.secreview]\nfail-on = "high"\n')
    code, out, _ = run_cli("config")
    assert code == 0
    assert 'fail-on = "high"  # from' in out and "pyproject.toml" in out
    assert 'severity = "low"  # from default' in out


def test_explicit_test_code_paths(run_cli, write):
    write("qa/ping.py", VULNERABLE)
    write("pyproject.toml", '[tool.secreview]\ntest-code = ["qa"]\n')
    _, out, _ = run_cli("scan", ".", "--format", "json", "--include-tests")
    (finding,) = json.loads(out)["findings"]
    assert finding["test_code"] is True and finding["severity"] == "low"


def test_findings_in_test_code_are_left_out_and_counted(run_cli, write):
    write("tests/test_ping.py", VULNERABLE)
    write("app/ping.py", VULNERABLE)
    code, out, _ = run_cli("scan", ".", "--format", "json")
    report = json.loads(out)
    assert {f["path"] for f in report["findings"]} == {"app/ping.py"}
    assert report["counts"]["test_code_hidden"] == 1
    _, text, _ = run_cli("scan", ".")
    assert "1 in test code not shown (--include-tests)" in text
    write("pyproject.toml", "[tool.secreview]\ninclude-tests = true\n")
    _, out, _ = run_cli("scan", ".", "--format", "json")
    report = json.loads(out)
    assert {f["path"] for f in report["findings"]} == {"app/ping.py", "tests/test_ping.py"}
    assert report["counts"]["test_code_hidden"] == 0
