"""The hooks of .pre-commit-hooks.yaml, run by pre-commit itself in a temporary repository and
installed from this checkout's HEAD commit, as a project's .pre-commit-config.yaml would."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import ENV, Repo, make_repo, needs_git

PROJECT = Path(__file__).resolve().parents[1]

pytestmark = [
    needs_git,
    pytest.mark.skipif(
        importlib.util.find_spec("pre_commit") is None, reason="pre-commit is not installed"
    ),
    pytest.mark.skipif(not (PROJECT / ".git").exists(), reason="not a git checkout of secreview"),
]

# Request data reaches the shell in another module than the one the change touches.
VULNERABLE_TOOLS = """\
    import subprocess


    def ping(host):
        return subprocess.run("ping -c 1 " + host, shell=True, capture_output=True).returncode


    def disk_usage(path):
        return subprocess.run(["du", "-sh", path], capture_output=True).stdout
    """


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _head_of_project() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=PROJECT, env=ENV, capture_output=True, text=True
    )
    return done.stdout.strip()


def _configure(repo: Repo, hook: str) -> None:
    repo.write(
        {
            ".pre-commit-config.yaml": f"""\
                repos:
                  - repo: {PROJECT.as_posix()}
                    rev: {_head_of_project()}
                    hooks: [{{id: {hook}}}]
                """
        }
    )
    repo.git("add", ".pre-commit-config.yaml")


def _run_hook(repo: Repo, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**ENV, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", hook],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_change_hook_fails_on_a_flow_the_staged_change_introduces(tmp_path, pre_commit_home):
    repo = make_repo(tmp_path / "shop")
    _configure(repo, "secreview")
    repo.write({"app/tools.py": VULNERABLE_TOOLS})
    repo.git("add", "app/tools.py")
    done = _run_hook(repo, "secreview", pre_commit_home)
    assert done.returncode == 1, done.stdout + done.stderr
    # The source is in app/web.py, which the change does not touch: the hook saw the project.
    assert "app/tools.py" in done.stdout and "SR901" in done.stdout and "CWE-78" in done.stdout
    assert "app/web.py" in done.stdout


def test_change_hook_passes_a_safe_change(tmp_path, pre_commit_home):
    repo = make_repo(tmp_path / "shop")
    _configure(repo, "secreview")
    repo.replace("app/tools.py", '"du", "-sh"', '"du", "-sh", "--"')
    repo.git("add", "app/tools.py")
    done = _run_hook(repo, "secreview", pre_commit_home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_change_hook_ignores_unstaged_edits(tmp_path, pre_commit_home):
    repo = make_repo(tmp_path / "shop")
    _configure(repo, "secreview")
    repo.replace("app/tools.py", '"du", "-sh"', '"du", "-sh", "--"')
    repo.git("add", "app/tools.py")
    repo.write({"app/tools.py": VULNERABLE_TOOLS})  # not staged: not part of the commit
    done = _run_hook(repo, "secreview", pre_commit_home)
    assert done.returncode == 0, done.stdout + done.stderr


def test_project_hook_scans_the_whole_tree(tmp_path, pre_commit_home):
    repo = make_repo(tmp_path / "shop")
    repo.write({"app/tools.py": VULNERABLE_TOOLS})
    repo.commit("a flaw that predates the hook")
    _configure(repo, "secreview-project")
    repo.write({"app/cli.py": repo.read("app/cli.py") + "\n# reviewed\n"})
    repo.git("add", "app/cli.py")
    done = _run_hook(repo, "secreview-project", pre_commit_home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "app/tools.py" in done.stdout and "SR901" in done.stdout
