"""Real git repositories in temporary directories, for the diff and baseline tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="the git command is not installed")

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "LC_ALL": "C",
}

# A small, safe Flask application with a command-line tool: no findings.
SAFE_PROJECT = {
    "app/__init__.py": "",
    "app/web.py": """\
        from flask import Flask, request

        from app import tools

        app = Flask(__name__)


        @app.route("/ping")
        def ping():
            host = request.args.get("host", "localhost")
            return {"returncode": tools.ping(host)}


        @app.route("/status")
        def status():
            return {"status": "ok"}
        """,
    "app/tools.py": """\
        import subprocess


        def ping(host):
            return subprocess.run(["ping", "-c", "1", host], capture_output=True).returncode


        def disk_usage(path):
            return subprocess.run(["du", "-sh", path], capture_output=True).stdout
        """,
    "app/cli.py": """\
        import argparse

        from app import tools


        def main(argv=None):
            parser = argparse.ArgumentParser()
            parser.add_argument("path")
            args = parser.parse_args(argv)
            print(tools.disk_usage(args.path))
        """,
}

SAFE_PING = '    return subprocess.run(["ping", "-c", "1", host], capture_output=True).returncode'
UNSAFE_PING = '    return subprocess.run("ping -c 1 " + host, shell=True).returncode'


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=ENV, capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    def write(self, files: dict[str, str]) -> None:
        for relpath, text in files.items():
            path = self.root / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")

    def read(self, relpath: str) -> str:
        return (self.root / relpath).read_text(encoding="utf-8")

    def replace(self, relpath: str, old: str, new: str) -> None:
        text = self.read(relpath)
        assert old in text, f"{old!r} not in {relpath}"
        (self.root / relpath).write_text(text.replace(old, new, 1), encoding="utf-8")

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


def make_repo(root: Path, files: dict[str, str] | None = None) -> Repo:
    root.mkdir(parents=True, exist_ok=True)
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.write(files if files is not None else SAFE_PROJECT)
    repo.commit("a safe project")
    return repo


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")
