"""Reading a change with the git command: revisions, diffs and file contents, never a checkout.

Every call runs git with an argument list (no shell) and turns its failures into a ChangeError
with one line that says what went wrong and, where it helps, what to do.

The repository is the code under review, and its `.git/config` and `.gitattributes` may be
hostile: they can name programs for git to run (an fsmonitor hook, clean and smudge filters,
external diff and textconv drivers, a pager, hooks). Every call switches all of those off,
ignores the system configuration, and reads file contents with `git cat-file`, which runs no
filter.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from secreview.changes.model import ChangeError

_ENV = {
    "LC_ALL": "C",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_ATTR_NOSYSTEM": "1",
    "GIT_EXTERNAL_DIFF": "",
}
# Variables that would make git run a program or read another repository's settings.
_ENV_DROPPED = ("GIT_TEST_FSMONITOR", "GIT_EXEC_PATH", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH")
# Settings of the user's that would change what the diff looks like.
_CONFIG = ("-c", "core.quotePath=false", "-c", "diff.noprefix=false", "-c", "diff.relative=false")
# Settings of the repository's that would run a program: none of them may.
_NO_PROGRAMS = (
    "--no-pager",
    "-c",
    "core.fsmonitor=",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.pager=cat",
    "-c",
    "core.attributesFile=/dev/null",
    "-c",
    "core.untrackedCache=false",
    "-c",
    "diff.external=",
    "-c",
    "core.sshCommand=",
    "-c",
    "credential.helper=",
    "-c",
    "protocol.allow=never",
)
# Filter drivers are named by .gitattributes and defined in the configuration under any name:
# the names are read from the configuration (which runs nothing) and each one is emptied.
_FILTER_KEY = re.compile(r"^filter\.(.+)\.(?:clean|smudge|process|required)$")
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
        self._guards: tuple[str, ...] = _NO_PROGRAMS
        self._guards = (*_NO_PROGRAMS, *self._filter_guards())
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
    def _filter_guards(self) -> tuple[str, ...]:
        """`-c filter.NAME.clean=` and the like for every filter driver the configuration
        defines, so that no clean, smudge or process command ever runs."""
        try:
            out = self.run("config", "--null", "--name-only", "--get-regexp", r"^filter\.")
        except ChangeError:  # no filter defined (exit 1), or no repository: nothing to empty
            return ()
        names = {
            match.group(1)
            for key in out.decode("utf-8", "surrogateescape").split("\0")
            if (match := _FILTER_KEY.match(key))
        }
        guards: list[str] = []
        for name in sorted(names):
            if "=" in name or "\n" in name:  # `-c` cannot name it: refuse rather than run it
                raise ChangeError(
                    f"the repository defines a filter driver git cannot switch off ({name!r}); "
                    "review a diff with --patch FILE instead"
                )
            for setting in ("clean=", "smudge=", "process=", "required=false"):
                guards += ["-c", f"filter.{name}.{setting}"]
        return tuple(guards)

    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        """git's standard output; GitFailed (a ChangeError) when it exits non-zero."""
        env = {k: v for k, v in os.environ.items() if k not in _ENV_DROPPED}
        try:
            done = subprocess.run(
                ["git", *self._guards, *_CONFIG, *args],
                cwd=self.cwd,
                input=stdin,
                capture_output=True,
                env={**env, **_ENV},
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

    def blob_sizes(self, commit: str, paths: list[str]) -> dict[str, int | None]:
        """The size of each of `paths` at `commit` (None when it is missing or not a file),
        asked of `git cat-file --batch-check` before any content is read."""
        wanted = [p for p in paths if "\n" not in p]
        result: dict[str, int | None] = dict.fromkeys(paths)
        if not wanted:
            return result
        request = "".join(f"{commit}:{p}\n" for p in wanted).encode("utf-8", "surrogateescape")
        out = self.run("cat-file", "--batch-check", stdin=request)
        for path, line in zip(wanted, out.split(b"\n"), strict=False):
            header = line.split(b" ")
            if len(header) == 3 and header[1] == b"blob" and header[2].isdigit():
                result[path] = int(header[2])
        return result

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
