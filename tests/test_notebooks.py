"""Jupyter notebooks: code cells joined in order, IPython syntax, findings named by cell."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from secreview.analysis import analyze_source
from secreview.cli import main
from secreview.parsing.notebook import ParsedNotebook, parse_notebook, translate_cell
from tests.gitrepo import ENV, make_repo, needs_git

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


@pytest.fixture(autouse=True)
def _plain(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def notebooks(tmp_path: Path) -> Path:
    """The fixture notebooks, copied where the scan runs."""
    target = tmp_path / "notebooks"
    shutil.copytree(FIXTURES, target)
    return target


def scan(run_cli, *args: str) -> tuple[int, dict, str]:
    code, out, err = run_cli("scan", *args, "--format", "json")
    return code, json.loads(out), err


def ipynb_line(path: Path, code: str) -> int:
    """The line of the .ipynb file whose JSON string holds `code` (as Jupyter writes it)."""
    needle = json.dumps(code)[1:-1]
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [n for n, line in enumerate(lines, 1) if needle in line]
    assert len(found) == 1, (code, found)
    return found[0]


def notebook(*cells: tuple[str, str], language: str = "python") -> str:
    """A notebook's JSON with the given (cell_type, source) cells, as Jupyter writes it."""
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": kind,
                    "metadata": {},
                    "source": source.splitlines(keepends=True),
                    **({"outputs": [], "execution_count": None} if kind == "code" else {}),
                }
                for kind, source in cells
            ],
            "metadata": {"kernelspec": {"name": "k", "display_name": "K", "language": language}},
            "nbformat": 4,
            "nbformat_minor": 5,
        },
        indent=1,
    )


# -- data flow across cells, shell escapes and their safe twins ------------------------------


def test_input_in_one_cell_reaches_shells_in_later_cells(notebooks, run_cli):
    path = notebooks / "log_triage.ipynb"
    code, report, _ = scan(run_cli, "notebooks/log_triage.ipynb")
    found = {
        (f["rule_id"], f["cwe"], f["cell"], f["cell_line"], f["line"], f["column"])
        for f in report["findings"]
    }
    assert found == {
        # `!scp deploy@{host}:…`: IPython puts the value of `host` into the command line
        ("SR901", 78, 5, 1, ipynb_line(path, "!scp deploy@{host}"), 1),
        # `archived = !ls …/$host`: `$name` too
        ("SR901", 78, 5, 2, ipynb_line(path, "archived = !ls"), 12),
        ("SR901", 78, 7, 1, ipynb_line(path, 'subprocess.run(f"grep'), 1),
    }
    assert code == 1
    first = next(f for f in report["findings"] if f["cell"] == 5 and f["cell_line"] == 1)
    assert first["path"] == "notebooks/log_triage.ipynb"
    assert first["snippet"] == "!scp deploy@{host}:/var/log/nginx/access.log ./access.log"
    assert [(s["kind"], s["cell"], s["cell_line"]) for s in first["trace"]] == [
        ("source", 3, 1),
        ("step", 3, 1),
        ("sink", 5, 1),
    ]
    assert first["trace"][0]["line"] == ipynb_line(path, 'host = input("Host')
    assert "log_triage.ipynb:cell 3:line 1" in first["message"]
    assert report["counts"]["notebooks"] == 1
    assert report["diagnostics"] == []


def test_quoted_values_and_argument_lists_have_no_findings(notebooks, run_cli):
    code, report, err = scan(run_cli, str(notebooks / "log_triage_safe.ipynb"))
    assert report["findings"] == []
    assert report["diagnostics"] == []
    assert report["counts"]["notebooks"] == 1
    assert code == 0, err


def test_text_output_names_cell_and_line(notebooks, run_cli):
    code, out, _ = run_cli("scan", "notebooks/log_triage.ipynb")
    assert code == 1
    assert "  cell 5:line 1:1  SR901 [low] CWE-78 " in out
    assert "  cell 5:line 2:12  SR901 [low] CWE-78 " in out
    assert "source: notebooks/log_triage.ipynb:cell 3:line 1 input() (cli input)" in out
    assert "input() (cli input, notebooks/log_triage.ipynb:cell 3:line 1) reaches" in out
    assert "        1 | !scp deploy@{host}:/var/log/nginx/access.log ./access.log" in out
    assert "(16 lines; 1 notebook)" in out


def test_suppression_comment_inside_a_cell(notebooks, run_cli):
    path = notebooks / "log_triage.ipynb"
    _, report, _ = scan(run_cli, str(path))
    line = ipynb_line(path, 'os.system("logrotate')
    assert [(s["rule_id"], s["cell"], s["cell_line"], s["line"]) for s in report["suppressed"]] == [
        ("SR901", 9, 1, line)
    ]
    assert all(f["cell"] != 9 for f in report["findings"])
    _, shown, _ = scan(run_cli, str(path), "--no-inline-ignore")
    assert ("SR901", 9) in {(f["rule_id"], f["cell"]) for f in shown["findings"]}


def test_suppression_comment_on_a_shell_line(write, run_cli):
    write(
        "mirror.ipynb",
        notebook(
            ("code", "host = input()"),
            (
                "code",
                "!rsync -a {host}:/srv/www/ ./www/  # nosec B605 -- host is from our inventory",
            ),
        ),
    )
    code, report, _ = scan(run_cli, "mirror.ipynb")
    assert report["findings"] == []
    assert [(s["rule_id"], s["cell"], s["cell_line"], s["by"]) for s in report["suppressed"]] == [
        ("SR901", 2, 1, "nosec")
    ]
    assert code == 0


def test_cell_magics_with_another_language_are_not_python(write, run_cli):
    write(
        "deploy.ipynb",
        notebook(
            ("code", "import os\ncommand = input()"),
            # Written to a file and run by bash: not this kernel's Python.
            ("code", "%%writefile deploy.py\nimport os\nos.system(input())"),
            ("code", "%%bash\nfor f in *.log; do gzip $f; done"),
            # %%time runs its body in the kernel.
            ("code", "%%time\nos.system(command)"),
        ),
    )
    code, report, _ = scan(run_cli, "deploy.ipynb")
    assert [(f["rule_id"], f["cwe"], f["cell"], f["cell_line"]) for f in report["findings"]] == [
        ("SR901", 78, 4, 2)
    ]
    assert report["diagnostics"] == []
    assert code == 1


def test_select_and_per_file_configuration_apply_to_notebooks(notebooks, run_cli):
    _, report, _ = scan(run_cli, str(notebooks / "log_triage.ipynb"), "--select", "CWE-89")
    assert report["findings"] == []
    _, report, _ = scan(run_cli, str(notebooks / "log_triage.ipynb"), "--ignore", "CWE-78")
    assert report["findings"] == []
    (notebooks.parent / "pyproject.toml").write_text(
        '[tool.secreview.per-file-ignores]\n"notebooks/*.ipynb" = ["SR901"]\n', encoding="utf-8"
    )
    _, report, _ = scan(run_cli, "notebooks/log_triage.ipynb")
    # Without the flow rule, the pattern rules judge the shell calls on their own (the comment
    # in cell 9 names SR901 only).
    assert {(f["rule_id"], f["cell"]) for f in report["findings"]} == {("SR201", 7), ("SR202", 9)}


def test_a_notebook_in_tests_is_test_code(write, run_cli):
    write(
        "tests/test_cleanup.ipynb",
        notebook(("code", "import os\nos.system(input())")),
    )
    _, report, _ = scan(run_cli, "tests/test_cleanup.ipynb", "--include-tests")
    assert [(f["rule_id"], f["test_code"], f["cell"]) for f in report["findings"]] == [
        ("SR901", True, 1)
    ]


def test_a_paired_script_beside_the_notebook_is_a_module_of_its_own(notebooks, write, run_cli):
    # Jupytext keeps `log_triage.py` beside `log_triage.ipynb`; both are analysed in full.
    write(
        "notebooks/log_triage.py",
        """\
        import subprocess

        host = input("Host to pull logs from: ")
        subprocess.run(f"ssh {host} uptime", shell=True)
        """,
    )
    _, report, _ = scan(run_cli, "notebooks")
    found = sorted((f["path"], f.get("cell", 0), f["line"]) for f in report["findings"])
    notebook_path = notebooks / "log_triage.ipynb"
    assert found == [
        ("notebooks/log_triage.ipynb", 5, ipynb_line(notebook_path, "!scp deploy@{host}")),
        ("notebooks/log_triage.ipynb", 5, ipynb_line(notebook_path, "archived = !ls")),
        ("notebooks/log_triage.ipynb", 7, ipynb_line(notebook_path, 'subprocess.run(f"grep')),
        ("notebooks/log_triage.py", 0, 4),
    ]


# -- notebooks that cannot be analysed --------------------------------------------------------


def test_corrupt_notebook_is_one_line_and_the_scan_goes_on(notebooks, write, run_cli):
    write("ops/restart.py", "import os\nos.system(input())\n")
    corrupt = "notebooks/half_saved.ipynb"
    code, report, err = scan(run_cli, corrupt, "ops/restart.py")
    lines = [line for line in err.splitlines() if "half_saved.ipynb" in line]
    assert len(lines) == 1 and "notebook-error: not valid JSON" in lines[0]
    assert "Traceback" not in err
    assert [(d["path"], d["kind"]) for d in report["diagnostics"]] == [(corrupt, "notebook-error")]
    assert [f["path"] for f in report["findings"]] == ["ops/restart.py"]
    assert code == 1  # the finding in restart.py
    # On its own: not analysed is not a failure, unless --strict (README, exit codes).
    assert scan(run_cli, corrupt)[0] == 0
    assert scan(run_cli, corrupt, "--strict")[0] == 1


def test_json_that_is_not_a_notebook(write, run_cli):
    write("settings.ipynb", '{"theme": "dark"}')
    code, report, err = scan(run_cli, "settings.ipynb")
    assert [(d["kind"], d["message"]) for d in report["diagnostics"]] == [
        ("notebook-error", "JSON without `cells`, not a notebook")
    ]
    assert code == 0 and "Traceback" not in err


def test_notebook_of_another_language_is_reported_not_analysed(notebooks, run_cli):
    code, report, err = scan(run_cli, str(notebooks / "churn_model.R.ipynb"))
    assert report["findings"] == []
    [diagnostic] = report["diagnostics"]
    assert diagnostic["kind"] == "notebook-language"
    assert diagnostic["message"] == "the kernel's language is R, not Python; not analysed"
    assert code == 0


def test_a_cell_that_does_not_parse_is_reported_and_the_others_analysed(write, run_cli):
    write(
        "scratch.ipynb",
        notebook(
            ("code", "import os\nname = input()"),
            ("code", "def half_written(:\n    pass"),
            ("code", "os.system('touch ' + name)"),
        ),
    )
    _, report, err = scan(run_cli, "scratch.ipynb")
    [diagnostic] = report["diagnostics"]
    assert (diagnostic["kind"], diagnostic["cell"], diagnostic["cell_line"]) == (
        "syntax-error",
        2,
        1,
    )
    assert "cell 2:" in diagnostic["message"]
    assert "scratch.ipynb:cell 2:line 1:" in err
    assert [(f["rule_id"], f["cell"]) for f in report["findings"]] == [("SR901", 3)]


def test_a_notebook_of_broken_cells_is_one_diagnostic(write, run_cli):
    drafts = [("code", f"def step_{n}(:\n    pass") for n in range(25)]
    write("drafts.ipynb", notebook(*drafts))
    _, report, err = scan(run_cli, "drafts.ipynb")
    [diagnostic] = report["diagnostics"]
    assert diagnostic["kind"] == "syntax-error"
    assert diagnostic["message"].startswith("more than 20 cells do not parse, the first: cell 1: ")
    assert "Traceback" not in err


# -- SARIF -------------------------------------------------------------------------------------


def test_sarif_uses_the_ipynb_line_and_names_the_cell(notebooks, run_cli):
    path = notebooks / "log_triage.ipynb"
    _, out, _ = run_cli("scan", str(path), str(notebooks / "half_saved.ipynb"), "-f", "sarif")
    document = json.loads(out)
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(document)
    run = document["runs"][0]
    results = {
        (r["properties"]["cell"], r["properties"]["cellLine"]): r
        for r in run["results"]
        if "suppressions" not in r
    }
    assert set(results) == {(5, 1), (5, 2), (7, 1)}
    scp = results[(5, 1)]
    assert scp["ruleId"] == "SR901" and scp["properties"]["cwe"] == "CWE-78"
    line = ipynb_line(path, "!scp deploy@{host}")
    assert scp["locations"][0]["physicalLocation"]["region"] == {"startLine": line, "endLine": line}
    assert scp["properties"]["cellSnippet"].startswith("!scp deploy@{host}")
    source = scp["codeFlows"][0]["threadFlows"][0]["locations"][0]["location"]
    assert source["properties"] == {"cell": 3, "cellLine": 1}
    assert source["physicalLocation"]["region"] == {
        "startLine": ipynb_line(path, 'host = input("Host')
    }
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["notebook-error"]


@pytest.mark.parametrize(
    ("command", "output", "expected"),
    [
        ("review", "review", "[1] CWE-78 OS command injection at log_triage.ipynb:cell 5:line 1"),
        ("review", "review", "source  log_triage.ipynb:cell 3:line 1  input() (cli input)"),
        ("review", "markdown", "1. source `log_triage.ipynb:cell 3:line 1`: input() (cli input)"),
        ("review", "html", "<code>log_triage.ipynb:cell 5:line 1</code>"),
        ("scan", "github", "file=notebooks/log_triage.ipynb,line={line},endLine={line},title="),
        ("scan", "github", "(cell 5, line 1)%0AFix:"),
        ("scan", "gitlab", "In cell 5, line 1 of the notebook."),
        ("scan", "gerrit", "In cell 5, line 1 of the notebook."),
        ("scan", "gerrit", '"line": {line},'),
    ],
)
def test_every_format_names_the_cell(notebooks, run_cli, command, output, expected):
    line = ipynb_line(notebooks / "log_triage.ipynb", "!scp deploy@{host}")
    code, out, err = run_cli(command, "notebooks/log_triage.ipynb", "-f", output)
    assert "Traceback" not in err
    assert expected.format(line=line) in out


# -- baselines and diff mode --------------------------------------------------------------------


def test_baseline_keeps_notebook_findings_across_cells_moving(notebooks, run_cli, tmp_path):
    path = notebooks / "log_triage.ipynb"
    code, _, err = run_cli("baseline", "create", str(path), "-o", "baseline.json")
    assert code == 0, err
    # A markdown cell added above shifts every cell and every .ipynb line.
    document = json.loads(path.read_text(encoding="utf-8"))
    document["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": ["Notes\n"]})
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    code, report, _ = scan(run_cli, str(path), "--baseline", "baseline.json")
    assert report["findings"] == []
    assert code == 0


@needs_git
def test_diff_reports_a_notebook_finding_whose_line_changed(tmp_path, run_cli, monkeypatch):
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"):
        monkeypatch.setenv(key, ENV[key])
    safe = (FIXTURES / "log_triage_safe.ipynb").read_text(encoding="utf-8")
    repo = make_repo(tmp_path, {"triage.ipynb": safe})
    # Unquote the value in the `!scp` line only.
    repo.replace("triage.ipynb", "deploy@{shlex.quote(host)}", "deploy@{host}")
    code, out, _ = run_cli("diff", "--format", "json")
    report = json.loads(out)
    line = ipynb_line(tmp_path / "triage.ipynb", "!scp deploy@{host}")
    assert [
        (f["rule_id"], f["cwe"], f["cell"], f["cell_line"], f["line"]) for f in report["findings"]
    ] == [("SR901", 78, 5, 1, line)]
    assert code == 1


# -- reading cells and IPython syntax -----------------------------------------------------------


def test_line_map_counts_every_cell_and_finds_the_ipynb_line():
    text = (FIXTURES / "log_triage.ipynb").read_text(encoding="utf-8")
    read = parse_notebook(text, "log_triage.ipynb")
    assert isinstance(read, ParsedNotebook)
    cells = read.cells
    places = [(p.cell, p.line) for p in cells.lines]
    # Markdown cells 1 and 4 count but hold no module lines.
    assert places[:6] == [(2, 1), (2, 2), (2, 3), (2, 4), (3, 1), (3, 2)]
    assert cells.written[4] == 'host = input("Host to pull logs from: ")'
    assert (
        cells.lines[4].file_line
        == text.splitlines().index('    "host = input(\\"Host to pull logs from: \\")\\n",') + 1
    )


@pytest.mark.parametrize(
    "document",
    [
        {"cells": [], "metadata": {}, "nbformat": 4},
        {"cells": [1, None, {"cell_type": "code", "source": 5}, {"cell_type": "code"}]},
        {"cells": [{"cell_type": "code", "source": ["x = 1"]}], "metadata": ["odd"]},
        {"cells": [{"cell_type": "code", "source": "!echo { } {} $ ${x} \\"}]},
    ],
)
def test_odd_notebooks_are_read_without_a_crash(document):
    result = analyze_source(json.dumps(document), "odd.ipynb")
    assert result.findings == [] and result.diagnostics == []


def test_byte_order_mark_and_windows_line_ends():
    document = {"cells": [{"cell_type": "code", "source": ["import os\r\n", "os.system(input())"]}]}
    result = analyze_source("\ufeff" + json.dumps(document), "windows.ipynb")
    assert [(f.rule_id, f.cwe, f.cell, f.cell_line) for f in result.findings] == [
        ("SR901", 78, 1, 2)
    ]


def test_source_given_as_one_string():
    text = json.dumps(
        {
            "cells": [{"cell_type": "code", "source": "import os\nos.system(input())\n"}],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 2,
        }
    )
    result = analyze_source(text, "one_string.ipynb")
    assert [(f.rule_id, f.cell, f.cell_line, f.line) for f in result.findings] == [
        ("SR901", 1, 2, 1)
    ]


@pytest.mark.parametrize(
    ("written", "python"),
    [
        ("!ls -l", "get_ipython().system('ls -l')"),
        ("!echo {a + 1} $b $$HOME", 'get_ipython().system(f"echo {a + 1} {b} $HOME")'),
        ("files = !ls {d}", 'files = get_ipython().getoutput(f"ls {d}")'),
        ("!!uname -a", "get_ipython().getoutput('uname -a')"),
        ("!grep {pattern!r} log", 'get_ipython().system(f"grep {repr(pattern)} log")'),
        # Expressions with quotes cannot go into an f-string before Python 3.12.
        ("!cat {paths['log']}", "get_ipython().system('cat {}'.format((paths['log'])))"),
        # IPython leaves a command whose field does not evaluate as it is.
        ("!awk '{print $1}' f", "get_ipython().system(\"awk '{print $1}' f\")"),
        ("%pip install {package}", "get_ipython().run_line_magic('pip', f\"install {package}\")"),
        ("%matplotlib inline", "get_ipython().run_line_magic('matplotlib', 'inline')"),
        ("%time model.fit(x, y)", "model.fit(x, y)"),
        ("timing = %timeit -o f()", "timing = get_ipython().run_line_magic('timeit', '-o f()')"),
        ("frame.describe?", "pass"),
        ("??json.loads", "pass"),
    ],
)
def test_ipython_lines_become_python_on_the_same_line(written, python):
    assert translate_cell([written]) == [python]


def test_line_count_is_kept():
    cell = [
        "for name in hosts:",
        "    !ping -c 1 {name}",
        "!tar czf backup.tgz \\",
        "    /etc /var/www",
        'query = """',
        "!not a command inside a string",
        '"""',
        "total = sum(",
        "    [1, 2])",
    ]
    python = translate_cell(cell)
    assert python == [
        "for name in hosts:",
        '    get_ipython().system(f"ping -c 1 {name}")',
        "get_ipython().system('tar czf backup.tgz /etc /var/www')",
        "",
        'query = """',
        "!not a command inside a string",
        '"""',
        "total = sum(",
        "    [1, 2])",
    ]
    assert translate_cell(["%%html", "<b>{x}</b>", ""]) == ["", "", ""]
    assert translate_cell(["%%capture out", "run(x)"]) == ["pass", "run(x)"]


def test_exported_script_calls_are_modelled_too():
    result = analyze_source(
        "from IPython import get_ipython\n"
        "name = input()\n"
        "get_ipython().run_cell_magic('bash', '', 'rm -rf ' + name)\n"
        "get_ipython().run_line_magic('sx', 'ls ' + name)\n"
        "get_ipython().run_line_magic('cd', name)\n",
        "exported.py",
    )
    assert [(f.rule_id, f.cwe, f.line) for f in result.findings] == [
        ("SR901", 78, 3),
        ("SR901", 78, 4),
    ]


def test_command_line_entry_point_scans_a_directory_of_notebooks(notebooks, monkeypatch, capsys):
    monkeypatch.chdir(notebooks)
    code = main(["scan", ".", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["counts"]["notebooks"] == 4
    assert {f["path"] for f in report["findings"]} == {"log_triage.ipynb"}
    assert sorted(d["kind"] for d in report["diagnostics"]) == [
        "notebook-error",
        "notebook-language",
    ]
