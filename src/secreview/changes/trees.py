"""The two sides of a change as sources of file contents: the working tree on disk, a commit
read through git (never checked out), or either one with some files replaced in memory."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from secreview.changes.diffs import is_python
from secreview.changes.git import Git
from secreview.discovery import ExcludePatterns, discover


class Excluder:
    """Whether a repository path is excluded, judged as discovery judges each directory and
    file on the way down to it (the same patterns; directories cached)."""

    def __init__(self, patterns: Iterable[str] = ()) -> None:
        self._patterns = ExcludePatterns(patterns)
        self._directories: dict[str, bool] = {}

    def __call__(self, path: str) -> bool:
        parts = path.split("/")
        for end in range(1, len(parts)):
            directory = "/".join(parts[:end])
            hidden = self._directories.get(directory)
            if hidden is None:
                hidden = self._directories[directory] = self._patterns.matches(
                    parts[end - 1], directory
                )
            if hidden:
                return True
        return self._patterns.matches(parts[-1], path)


def excluded(path: str, patterns: Iterable[str]) -> bool:
    return Excluder(patterns)(path)


class Tree:
    """Python files by repository path (posix, relative to the repository root)."""

    label = ""

    def paths(self) -> list[str]:
        raise NotImplementedError

    def read(self, paths: list[str]) -> dict[str, bytes | None]:
        raise NotImplementedError

    def python_paths(self, excludes: Iterable[str] = ()) -> list[str]:
        hidden = Excluder(excludes)
        return [p for p in self.paths() if is_python(p) and not hidden(p)]


class WorkTree(Tree):
    """The files on disk below `root`; listed by git when there is a repository."""

    label = "working tree"

    def __init__(self, root: Path, git: Git | None = None) -> None:
        self.root = root
        self.git = git
        self._paths: list[str] | None = None

    def paths(self) -> list[str]:
        if self._paths is None:
            if self.git is not None:
                listed = self.git.worktree_files()
                self._paths = [p for p in listed if is_python(p) and (self.root / p).is_file()]
            else:
                found = discover([self.root], [], True)
                self._paths = sorted(
                    Path(os.path.relpath(f.path, self.root)).as_posix() for f in found.files
                )
        return self._paths

    def read(self, paths: list[str]) -> dict[str, bytes | None]:
        out: dict[str, bytes | None] = {}
        for path in paths:
            try:
                out[path] = (self.root / path).read_bytes()
            except OSError:
                out[path] = None
        return out


class CommitTree(Tree):
    """The files of one commit, read with `git cat-file --batch` into memory."""

    def __init__(self, git: Git, commit: str, label: str) -> None:
        self.git = git
        self.commit = commit
        self.label = label
        self._paths: list[str] | None = None

    def paths(self) -> list[str]:
        if self._paths is None:
            self._paths = self.git.tree_files(self.commit)
        return self._paths

    def read(self, paths: list[str]) -> dict[str, bytes | None]:
        return self.git.read_blobs(self.commit, paths)


class OverlayTree(Tree):
    """Another tree with some files replaced (bytes) or removed (None)."""

    def __init__(self, under: Tree, overrides: Mapping[str, bytes | None], label: str) -> None:
        self.under = under
        self.overrides = dict(overrides)
        self.label = label

    def paths(self) -> list[str]:
        present = {p for p in self.under.paths() if self.overrides.get(p, b"") is not None}
        present.update(p for p, data in self.overrides.items() if data is not None)
        return sorted(present)

    def read(self, paths: list[str]) -> dict[str, bytes | None]:
        out = self.under.read([p for p in paths if p not in self.overrides])
        out.update({p: self.overrides[p] for p in paths if p in self.overrides})
        return out
