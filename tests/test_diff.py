"""`secreview diff`: code-review mode on real git repositories."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from secreview.changes.diffs import parse_diff, splice
from secreview.changes.imports import ImportGraph, imported_modules, module_names
from secreview.cli import main
from tests.gitrepo import ENV, SAFE_PING, UNSAFE_PING, Repo, line_of, make_repo, needs_git

pytestmark = needs_git


@pytest.fixture(autouse=True)
def _git_env(monkeypatch):
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_GLOBAL"):
        monkeypatch.setenv(key, ENV[key])
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def repo(tmp_path) -> Repo:
    return make_repo(tmp_path / "project")


def run(repo: Repo, capsys, monkeypatch, *args: str, stdin: bytes | None = None):
    monkeypatch.chdir(repo.root)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def findings_of(out: str) -> list[tuple[str, str, int, int]]:
    data = json.loads(out)
    return [(f["rule_id"], f["path"], f["line"], f["cwe"]) for f in data["findings"]]


def add_vulnerability(repo: Repo) -> None:
    """A change that adds a vulnerability in one function and touches a safe line in another."""
    repo.replace("app/tools.py", SAFE_PING, UNSAFE_PING)
    repo.replace("app/tools.py", '"du", "-sh"', '"du", "-s"')


# -- what a change introduces -----------------------------------------------------------------
def test_reports_exactly_the_new_finding_on_its_line(repo, capsys, monkeypatch):
    add_vulnerability(repo)
    code, out, err = run(repo, capsys, monkeypatch, "--format", "json")
    line = line_of(repo.read("app/tools.py"), "shell=True")
    assert findings_of(out) == [("SR901", "app/tools.py", line, 78)]
    assert code == 1
    data = json.loads(out)
    assert data["resolved"] == []
    assert [f["status"] for f in data["change"]["files"]] == ["modified"]
    # the flow comes from the web view, an unchanged module analysed for data flow
    assert data["findings"][0]["trace"][0]["path"] == "app/web.py"
    assert data["change"]["analysed_for_context"] >= 1


def test_committed_change_and_pull_request_range(repo, capsys, monkeypatch):
    repo.git("checkout", "-q", "-b", "feature")
    add_vulnerability(repo)
    repo.commit("ping through the shell")
    repo.write({"README.md": "docs\n"})
    repo.commit("docs")
    line = line_of(repo.read("app/tools.py"), "shell=True")
    for rev in ("main...feature", "main..HEAD", "HEAD~2"):
        code, out, _ = run(repo, capsys, monkeypatch, rev, "-f", "json")
        assert findings_of(out) == [("SR901", "app/tools.py", line, 78)], rev
        assert code == 1
    # the last commit alone only touched the README
    code, out, err = run(repo, capsys, monkeypatch, "HEAD~1..HEAD", "-f", "json")
    assert findings_of(out) == [] and code == 0
    assert "no Python files changed" in err


def test_pull_request_range_reads_commits_not_the_working_tree(repo, capsys, monkeypatch):
    repo.git("checkout", "-q", "-b", "feature")
    add_vulnerability(repo)
    repo.commit("ping through the shell")
    repo.replace("app/tools.py", UNSAFE_PING, SAFE_PING)  # fixed, but not committed
    code, out, _ = run(repo, capsys, monkeypatch, "main...feature", "-f", "json")
    assert [f[0] for f in findings_of(out)] == ["SR901"]
    code, out, _ = run(repo, capsys, monkeypatch, "-f", "json")  # working tree vs HEAD
    data = json.loads(out)
    assert data["findings"] == []
    assert [(f["rule_id"], f["path"]) for f in data["resolved"]] == [("SR901", "app/tools.py")]


def test_flow_through_a_changed_caller_is_reported_at_the_sink(repo, capsys, monkeypatch):
    """The sink's module is unchanged; the change adds the caller that feeds it."""
    repo.write(
        {
            "app/tools.py": repo.read("app/tools.py")
            + '\n\ndef archive(name):\n    return subprocess.run("tar czf /tmp/out.tgz " + name, shell=True)\n'
        }
    )
    repo.commit("an archive helper, only called with constants")
    repo.write(
        {
            "app/web.py": repo.read("app/web.py")
            + '\n\n@app.route("/archive")\ndef archive():\n    return {"rc": tools.archive(request.args["name"]).returncode}\n'
        }
    )
    code, out, _ = run(repo, capsys, monkeypatch, "-f", "json")
    data = json.loads(out)
    sink_line = line_of(repo.read("app/tools.py"), "tar czf")
    assert [(f["rule_id"], f["path"], f["line"]) for f in data["findings"]] == [
        ("SR901", "app/tools.py", sink_line)
    ]
    web_line = line_of(repo.read("app/web.py"), "tools.archive(")
    assert any(
        s["path"] == "app/web.py" and s["line"] == web_line for s in data["findings"][0]["trace"]
    )


def test_existing_finding_in_a_changed_file_is_not_reported(repo, capsys, monkeypatch):
    repo.write(
        {
            "app/tools.py": repo.read("app/tools.py")
            + "\n\ndef checksum(data):\n    import hashlib\n    return hashlib.md5(data).hexdigest()\n"
        }
    )
    repo.commit("legacy checksum")
    add_vulnerability(repo)
    code, out, _ = run(repo, capsys, monkeypatch, "-f", "json")
    assert [f[0] for f in findings_of(out)] == ["SR901"]


def test_moving_code_reports_nothing_new(repo, capsys, monkeypatch):
    add_vulnerability(repo)
    repo.commit("vulnerable")
    text = repo.read("app/tools.py")
    head, rest = text.split("\n\n\ndef disk_usage")
    moved = "import subprocess\n\n\ndef disk_usage" + rest.rstrip("\n")
    moved += "\n\n\n" + head.replace("import subprocess\n\n\n", "") + "\n"
    (repo.root / "app/tools.py").write_text(moved, encoding="utf-8")
    assert repo.git("diff", "--stat")  # the function really moved
    code, out, _ = run(repo, capsys, monkeypatch, "-f", "json")
    data = json.loads(out)
    assert data["findings"] == [] and data["resolved"] == []
    assert code == 0


def test_renamed_file_is_reported_under_its_new_name(repo, capsys, monkeypatch):
    repo.git("mv", "app/tools.py", "app/helpers.py")
    repo.replace("app/web.py", "from app import tools", "from app import helpers as tools")
    repo.replace("app/cli.py", "from app import tools", "from app import helpers as tools")
    code, out, _ = run(repo, capsys, monkeypatch, "-f", "json")
    data = json.loads(out)
    assert data["findings"] == [] and data["resolved"] == []  # moving a file adds nothing
    statuses = {f["path"]: f["status"] for f in data["change"]["files"]}
    assert statuses["app/helpers.py"] == "renamed"
    repo.replace("app/helpers.py", SAFE_PING, UNSAFE_PING)
    code, out, _ = run(repo, capsys, monkeypatch, "-f", "json")
    assert [(f[0], f[1]) for f in findings_of(out)] == [("SR901", "app/helpers.py")]


def test_deleted_file_is_not_analysed(repo, capsys, monkeypatch):
    repo.git("rm", "-q", "app/cli.py")
    code, out, _ = run(repo, capsys, monkeypatch, "-f", "json")
    data = json.loads(out)
    assert data["findings"] == [] and code == 0
    assert [f["status"] for f in data["change"]["files"]] == ["deleted"]
    assert data["counts"]["files"] == 0


def test_new_untracked_file_is_part_of_the_working_tree(repo, capsys, monkeypatch):
    repo.write({"app/admin.py": "import os\n\n\ndef run(cmd):\n    os.system(cmd)\n"})
    code, out, _ = run(repo, capsys, monkeypatch, "-f", "json")
    assert [(f[1], f[2], f[3]) for f in findings_of(out)] == [("app/admin.py", 5, 78)]


def test_removing_a_vulnerability_says_it_is_resolved(repo, capsys, monkeypatch):
    add_vulnerability(repo)
    repo.commit("vulnerable")
    line = line_of(repo.read("app/tools.py"), "shell=True")
    repo.replace("app/tools.py", UNSAFE_PING, SAFE_PING)
    code, out, err = run(repo, capsys, monkeypatch)
    assert code == 0
    assert f"resolved: CWE-78 at app/tools.py:{line} (SR901)" in out.splitlines()
    assert out.splitlines()[0].startswith("change: HEAD (")


def test_fixing_the_caller_resolves_a_flow_into_an_unchanged_sink(repo, capsys, monkeypatch):
    add_vulnerability(repo)
    repo.commit("vulnerable")
    repo.replace(
        "app/web.py",
        'host = request.args.get("host", "localhost")',
        'host = "localhost"',
    )
    code, out, _ = run(repo, capsys, monkeypatch, "-f", "json")
    data = json.loads(out)
    assert data["findings"] == []
    assert [(f["rule_id"], f["path"]) for f in data["resolved"]] == [("SR901", "app/tools.py")]


def test_baseline_hides_known_findings_in_diff(repo, capsys, monkeypatch):
    add_vulnerability(repo)
    monkeypatch.chdir(repo.root)
    assert main(["baseline", "create", "-q"]) == 0
    capsys.readouterr()
    code, out, err = run(repo, capsys, monkeypatch, "--baseline", ".secreview-baseline.json")
    assert code == 0 and "0 findings" in out
    assert "1 finding hidden by the baseline" in err


# -- unified diffs on stdin or in a file ----------------------------------------------------
def test_git_diff_piped_to_patch_stdin(repo, capsys, monkeypatch):
    add_vulnerability(repo)
    patch = repo.git("diff").encode()
    code, out, _ = run(repo, capsys, monkeypatch, "--patch", "-", "-f", "json", stdin=patch)
    line = line_of(repo.read("app/tools.py"), "shell=True")
    assert findings_of(out) == [("SR901", "app/tools.py", line, 78)]
    assert code == 1


def test_git_diff_piped_through_a_real_pipe(repo):
    add_vulnerability(repo)
    diff = subprocess.run(["git", "diff"], cwd=repo.root, env=ENV, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-m", "secreview", "diff", "--patch", "-", "--format", "github"],
        cwd=repo.root,
        input=diff.stdout,
        capture_output=True,
        env={**ENV, "NO_COLOR": "1"},
    )
    assert done.returncode == 1, done.stderr
    line = line_of(repo.read("app/tools.py"), "shell=True")
    assert done.stdout.decode().startswith(f"::error file=app/tools.py,line={line},")


def test_patch_file_not_yet_applied_is_applied_in_memory(repo, capsys, monkeypatch, tmp_path):
    add_vulnerability(repo)
    patch = tmp_path / "change.patch"
    patch.write_text(repo.git("diff"), encoding="utf-8")
    line = line_of(repo.read("app/tools.py"), "shell=True")
    repo.git("checkout", "-q", "--", ".")  # back to the base: the patch is not applied
    code, out, _ = run(repo, capsys, monkeypatch, "--patch", str(patch), "-f", "json")
    assert findings_of(out) == [("SR901", "app/tools.py", line, 78)]
    data = json.loads(out)
    assert data["change"]["head"] == "the patch applied in memory"
    assert SAFE_PING in repo.read("app/tools.py")  # nothing was written


def test_patch_mode_works_outside_a_git_repository(tmp_path, capsys, monkeypatch):
    work = tmp_path / "plain"
    (work / "app").mkdir(parents=True)
    (work / "app" / "run.py").write_text("import os\n\n\ndef go(cmd):\n    os.system(cmd)\n")
    patch = (
        "--- a/app/run.py\n+++ b/app/run.py\n@@ -1,5 +1,5 @@\n import os\n \n \n def go(cmd):\n"
        "-    print(cmd)\n+    os.system(cmd)\n"
    )
    monkeypatch.chdir(work)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(patch.encode())))
    code = main(["diff", "--patch", "-", "-f", "json"])
    out, _ = capsys.readouterr()
    assert [(f[1], f[2]) for f in findings_of(out)] == [("app/run.py", 5)]
    assert code == 1


# -- bad input: one line on stderr, exit code 2 ------------------------------------------------
def assert_one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("secreview: error: ")
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], lines[0]


def test_not_a_git_repository(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["diff"])
    _, err = capsys.readouterr()
    assert_one_line_error(code, err, "not in a git repository", "--patch")


def test_unknown_revision(repo, capsys, monkeypatch):
    code, _, err = run(repo, capsys, monkeypatch, "no-such-branch")
    assert_one_line_error(code, err, "unknown revision 'no-such-branch'")
    code, _, err = run(repo, capsys, monkeypatch, "main...no-such-branch")
    assert_one_line_error(code, err, "unknown revision 'no-such-branch'")
    code, _, err = run(repo, capsys, monkeypatch, "--", "--output=x")
    assert code == 2 and "Traceback" not in err


def test_repository_without_commits(tmp_path, capsys, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], env=ENV, check=True)
    monkeypatch.chdir(tmp_path)
    code = main(["diff"])
    _, err = capsys.readouterr()
    assert_one_line_error(code, err, "no commits yet")


def test_binary_diff(repo, capsys, monkeypatch):
    patch = (
        b"diff --git a/app/tools.py b/app/tools.py\nindex 1111111..2222222 100644\n"
        b"Binary files a/app/tools.py and b/app/tools.py differ\n"
    )
    code, _, err = run(repo, capsys, monkeypatch, "--patch", "-", stdin=patch)
    assert_one_line_error(code, err, "binary diff for app/tools.py")
    image_only = (
        b"diff --git a/logo.png b/logo.png\nindex 1111111..2222222 100644\n"
        b"Binary files a/logo.png and b/logo.png differ\n"
    )
    code, _, err = run(repo, capsys, monkeypatch, "--patch", "-", stdin=image_only)
    assert_one_line_error(code, err, "only binary diffs")
    code, _, err = run(repo, capsys, monkeypatch, "--patch", "-", stdin=b"\x00\x01\x02 PNG")
    assert_one_line_error(code, err, "binary data")


def test_binary_python_file_in_git_mode_is_a_diagnostic(repo, capsys, monkeypatch):
    (repo.root / "app" / "blob.py").write_bytes(b"x = 1\n\x00\x01\x02\n")
    repo.commit("a binary file named .py")
    (repo.root / "app" / "blob.py").write_bytes(b"x = 2\n\x00\x01\x03\n")
    code, out, err = run(repo, capsys, monkeypatch)
    assert code == 0 and "app/blob.py: binary" in err and "Traceback" not in err


def test_patch_that_does_not_apply(repo, capsys, monkeypatch):
    patch = (
        b"--- a/app/tools.py\n+++ b/app/tools.py\n@@ -4,2 +4,2 @@\n def ping(host):\n"
        b"-    return something_else()\n+    return os.system(host)\n"
    )
    code, _, err = run(repo, capsys, monkeypatch, "--patch", "-", stdin=patch)
    assert_one_line_error(code, err, "does not apply to the working tree", "app/tools.py line 5")


def test_patch_file_missing_and_not_a_diff(repo, capsys, monkeypatch):
    code, _, err = run(repo, capsys, monkeypatch, "--patch", "missing.patch")
    assert_one_line_error(code, err, "missing.patch: cannot read the patch")
    code, _, err = run(repo, capsys, monkeypatch, "--patch", "-", stdin=b"hello, world\n")
    assert_one_line_error(code, err, "no unified diff")
    code, _, err = run(repo, capsys, monkeypatch, "HEAD", "--patch", "-", stdin=b"")
    assert_one_line_error(code, err, "not both")


def test_empty_patch_is_an_empty_change(repo, capsys, monkeypatch):
    code, out, err = run(repo, capsys, monkeypatch, "--patch", "-", stdin=b"")
    assert code == 0 and "0 findings" in out


def test_shallow_clone_missing_the_base(tmp_path, capsys, monkeypatch):
    origin = make_repo(tmp_path / "origin")
    origin.git("checkout", "-q", "-b", "feature")
    add_vulnerability(origin)
    origin.commit("one")
    origin.replace("app/web.py", '"ok"', '"fine"')
    origin.commit("two")
    clone = tmp_path / "clone"
    subprocess.run(
        [
            "git",
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            f"file://{origin.root}",
            str(clone),
        ],
        env=ENV,
        check=True,
    )
    shallow = Repo(clone)
    code, _, err = run(shallow, capsys, monkeypatch, "HEAD~1")
    assert_one_line_error(code, err, "shallow clone", "fetch")
    code, _, err = run(shallow, capsys, monkeypatch, "origin/main...origin/feature")
    assert_one_line_error(code, err, "shallow clone", "merge base")


# -- the pieces --------------------------------------------------------------------------------
def test_parse_diff_lines_and_renames():
    text = (
        "diff --git a/old.py b/new.py\nsimilarity index 90%\nrename from old.py\n"
        "rename to new.py\n--- a/old.py\n+++ b/new.py\n@@ -2 +2,2 @@\n-b\n+B\n+C\n"
        "diff --git a/gone.py b/gone.py\ndeleted file mode 100644\n--- a/gone.py\n+++ /dev/null\n"
        "@@ -1 +0,0 @@\n-x\n"
    )
    renamed, deleted = (d.change for d in parse_diff(text))
    assert (renamed.old_path, renamed.path, renamed.status) == ("old.py", "new.py", "renamed")
    assert renamed.added == {2, 3} and renamed.removed == {2}
    assert (deleted.old_path, deleted.path, deleted.status) == ("gone.py", None, "deleted")


def test_splice_applies_and_reverts():
    old = ["a\n", "b\n", "c\n", "d\n"]
    text = "--- a/x.py\n+++ b/x.py\n@@ -0,0 +1 @@\n+top\n@@ -3 +4,2 @@\n-c\n+C\n+C2\n"
    (item,) = parse_diff(text)
    new = splice(old, item.patched, forward=True)
    assert new == ["top\n", "a\n", "b\n", "C\n", "C2\n", "d\n"]
    assert splice(new, item.patched, forward=False) == old


def test_import_graph_selects_callers_and_callees():
    texts = {
        "pkg/__init__.py": "",
        "pkg/web.py": "from pkg.tools import run\n",
        "pkg/tools.py": "import subprocess\nfrom .util import quote\n",
        "pkg/util.py": "",
        "pkg/cli.py": "from pkg import web\n",
        "other/unrelated.py": "import json\n",
    }
    graph = ImportGraph(texts)
    selected = graph.select(["pkg/tools.py"])
    assert selected[0] == "pkg/tools.py"
    assert set(selected) == {
        "pkg/tools.py",
        "pkg/util.py",
        "pkg/web.py",
        "pkg/cli.py",
        "pkg/__init__.py",
    }
    assert module_names(["src/pkg/__init__.py", "src/pkg/a.py"])["src/pkg/a.py"] == ("pkg.a", False)
    assert imported_modules("from ..c import (d,\n e as f)\n", "pkg.sub.a", False) == {
        "pkg.c",
        "pkg.c.d",
        "pkg.c.e",
    }


def test_path_in_report_is_relative_to_the_repository_root(repo, capsys, monkeypatch):
    add_vulnerability(repo)
    monkeypatch.chdir(repo.root / "app")
    code = main(["diff", "-f", "json"])
    out, _ = capsys.readouterr()
    assert [(f[1]) for f in findings_of(out)] == ["app/tools.py"]
    assert code == 1
    assert Path.cwd().name == "app"


def test_patch_with_added_renamed_and_deleted_files(repo, capsys, monkeypatch, tmp_path):
    repo.git("mv", "app/cli.py", "app/command.py")
    repo.git("rm", "-q", "app/web.py")
    repo.write({"app/admin.py": "import os\n\n\ndef run(cmd):\n    os.system(cmd)\n"})
    repo.git("add", "-A")
    patch = tmp_path / "change.patch"
    patch.write_text(repo.git("diff", "HEAD", "-M"), encoding="utf-8")
    expected = [("app/admin.py", 5, 78)]
    statuses = {"app/admin.py": "added", "app/command.py": "renamed", None: "deleted"}

    code, out, _ = run(repo, capsys, monkeypatch, "--patch", str(patch), "-f", "json")
    assert [(f[1], f[2], f[3]) for f in findings_of(out)] == expected
    data = json.loads(out)
    assert {f["path"]: f["status"] for f in data["change"]["files"]} == statuses
    assert data["change"]["head"] == "working tree (patch applied)"

    repo.git("reset", "-q", "--hard")  # the patch is no longer applied
    assert not (repo.root / "app" / "admin.py").exists()
    code, out, _ = run(repo, capsys, monkeypatch, "--patch", str(patch), "-f", "json")
    assert [(f[1], f[2], f[3]) for f in findings_of(out)] == expected
    assert json.loads(out)["change"]["head"] == "the patch applied in memory"


def test_python_file_git_treats_as_binary_counts_as_changed_whole(repo, capsys, monkeypatch):
    repo.write({".gitattributes": "app/tools.py binary\n"})
    repo.commit("tools.py diffs as binary")
    add_vulnerability(repo)
    assert "Binary files" in repo.git("diff")
    code, out, _ = run(repo, capsys, monkeypatch, "-f", "json")
    line = line_of(repo.read("app/tools.py"), "shell=True")
    assert findings_of(out) == [("SR901", "app/tools.py", line, 78)]


def test_editing_a_flagged_line_is_new_not_resolved(repo, capsys, monkeypatch):
    repo.write({"app/admin.py": "import os\n\n\ndef run(cmd):\n    os.system(cmd)\n"})
    repo.commit("admin")
    repo.replace("app/admin.py", "os.system(cmd)", "os.system(cmd + ' --verbose')")
    code, out, _ = run(repo, capsys, monkeypatch, "-f", "json")
    data = json.loads(out)
    assert [(f["path"], f["line"]) for f in data["findings"]] == [("app/admin.py", 5)]
    assert data["resolved"] == []
