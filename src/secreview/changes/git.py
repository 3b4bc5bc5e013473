"""Reading a change with the git command: revisions, diffs and file contents, never a checkout.

Every call runs git with an argument list (no shell) and turns its failures into a ChangeError
with one line that says what went wrong and, where it helps, what to do.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from secreview.changes.model import ChangeError

_ENV = {"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0"}
# Settings of the user's that would change what the diff looks like.
_CONFIG = ("-c", "core.quotePath=false", "-c", "diff.noprefix=false", "-c", "diff.relative=false")
_OBJECT_TYPES = (b"blob", b"tree", b"commit", b"tag")


class GitFailed(ChangeError):
    def __init__(self, message: str, returncode: int, stderr: str) -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return ""


class Git:
    """A git work tree, found from `cwd` upwards."""

    def __init__(self, cwd: Path | None = None) -> None:
        self.cwd = (cwd or Path.cwd()).resolve()
        try:
            top = self.run("rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape")
        except GitFailed as exc:
            if "not a git repository" in exc.stderr:
                raise ChangeError(
                    f"{self.cwd} is not in a git repository; "
                    "run secreview diff inside one, or review a diff with --patch FILE"
                ) from None
            raise ChangeError(f"git cannot use {self.cwd}: {_first_line(exc.stderr)}") from None
        if not top.strip():
            raise ChangeError(f"{self.cwd} is not in a git work tree (a bare repository?)")
        self.root = Path(top.strip())
        self.cwd = self.root  # every path git prints from now on is relative to the root

    # -- running git ------------------------------------------------------------------------
    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        """git's standard output; GitFailed (a ChangeError) when it exits non-zero."""
        try:
            done = subprocess.run(
                ["git", *_CONFIG, *args],
                cwd=self.cwd,
                input=stdin,
                capture_output=True,
                env={**os.environ, **_ENV},
                check=False,
            )
        except FileNotFoundError:
            raise ChangeError(
                "the git command was not found; install git, or review a diff with --patch FILE"
            ) from None
        except OSError as exc:
            raise ChangeError(f"cannot run git: {exc.strerror or exc}") from None
        if done.returncode != 0:
            stderr = done.stderr.decode("utf-8", "replace")
            raise GitFailed(
                f"git {args[0]} failed: {_first_line(stderr) or f'exit status {done.returncode}'}",
                done.returncode,
                stderr,
            )
        return done.stdout

    # -- revisions --------------------------------------------------------------------------
    def is_shallow(self) -> bool:
        try:
            return self.run("rev-parse", "--is-shallow-repository").strip() == b"true"
        except ChangeError:
            return False

    def has_commits(self) -> bool:
        try:
            self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        except GitFailed:
            return False
        return True

    def resolve(self, rev: str) -> str:
        """The commit id `rev` names, or a ChangeError that says why there is none."""
        if not rev or rev.startswith("-") or "\n" in rev or "\0" in rev:
            raise ChangeError(f"not a revision: {rev!r}")
        try:
            out = self.run(
                "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
            )
        except GitFailed:
            if rev == "HEAD" and not self.has_commits():
                raise ChangeError(
                    "the repository has no commits yet; there is no HEAD to compare with"
                ) from None
            if self.is_shallow():
                raise ChangeError(
                    f"unknown revision {rev!r}: this is a shallow clone and the commit may be "
                    "missing; fetch more history (git fetch --unshallow, or fetch-depth: 0 in CI)"
                ) from None
            raise ChangeError(f"unknown revision {rev!r}: no such commit, branch or tag") from None
        return out.decode("ascii", "replace").strip()

    def merge_base(self, a: str, b: str) -> str:
        first, second = self.resolve(a), self.resolve(b)
        try:
            out = self.run("merge-base", first, second)
        except GitFailed:
            if self.is_shallow():
                raise ChangeError(
                    f"no merge base of {a} and {b} in this shallow clone: the base is missing; "
                    "fetch more history (git fetch --unshallow, or fetch-depth: 0 in CI)"
                ) from None
            raise ChangeError(f"{a} and {b} have no common ancestor") from None
        return out.decode("ascii", "replace").strip()

    def short(self, commit: str) -> str:
        try:
            return self.run("rev-parse", "--short", commit).decode("ascii", "replace").strip()
        except ChangeError:
            return commit[:12]

    # -- diffs and files --------------------------------------------------------------------
    def diff(self, base: str, head: str | None = None) -> str:
        """The unified diff from `base` to `head` (to the working tree and index if None)."""
        args = [
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--find-renames",
            "--unified=0",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            "--ignore-submodules",
            base,
        ]
        if head is not None:
            args.append(head)
        args.append("--")
        return self.run(*args).decode("utf-8", "surrogateescape")

    def untracked(self) -> list[str]:
        """Files in the working tree that git does not track and does not ignore."""
        out = self.run("ls-files", "-z", "--others", "--exclude-standard", "--full-name")
        return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]

    def worktree_files(self) -> list[str]:
        out = self.run(
            "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--full-name"
        )
        paths = {p for p in out.decode("utf-8", "surrogateescape").split("\0") if p}
        return sorted(paths)

    def tree_files(self, commit: str) -> list[str]:
        out = self.run("ls-tree", "-r", "-z", "--name-only", "--full-tree", commit)
        return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]

    def read_blobs(self, commit: str, paths: list[str]) -> dict[str, bytes | None]:
        """The contents of `paths` at `commit`, read in one `git cat-file --batch`."""
        wanted = [p for p in paths if "\n" not in p]
        result: dict[str, bytes | None] = dict.fromkeys(paths)
        if not wanted:
            return result
        request = "".join(f"{commit}:{p}\n" for p in wanted).encode("utf-8", "surrogateescape")
        out = self.run("cat-file", "--batch", stdin=request)
        position = 0
        for path in wanted:
            end = out.index(b"\n", position)
            header = out[position:end].split(b" ")
            position = end + 1
            found = len(header) == 3 and header[1] in _OBJECT_TYPES and header[2].isdigit()
            if not found:  # "<name> missing" or "<name> ambiguous": no body follows
                continue
            size = int(header[2])
            if header[1] == b"blob":
                result[path] = out[position : position + size]
            position += size + 1
        return result
