"""The two sides of a change as sources of file contents: the working tree on disk, a commit
read through git (never checked out), or either one with some files replaced in memory."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from secreview.changes.diffs import is_python
from secreview.changes.git import Git
from secreview.discovery import ExcludePatterns, discover
from secreview.findings import Diagnostic
from secreview.parsing.source import read_bytes, too_large

# What reading a file gives: its bytes, a Diagnostic saying why it was not read (too large,
# not a regular file, a link out of the repository), or None when it does not exist.
Contents = bytes | Diagnostic | None
UNLIMITED = 1 << 62


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

    def read(self, paths: list[str], limit: int = UNLIMITED) -> dict[str, Contents]:
        """The contents of `paths`, each read only when it is at most `limit` bytes."""
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
                # os.path.isfile: False, not an error, below a directory that cannot be entered
                self._paths = [p for p in listed if is_python(p) and os.path.isfile(self.root / p)]
            else:
                found = discover([self.root], [], True)
                self._paths = sorted(
                    Path(os.path.relpath(f.path, self.root)).as_posix() for f in found.files
                )
        return self._paths

    def read(self, paths: list[str], limit: int = UNLIMITED) -> dict[str, Contents]:
        out: dict[str, Contents] = {}
        resolved_root = self.root.resolve()
        for path in paths:
            full = self.root / path
            if not os.path.lexists(full):
                out[path] = None
                continue
            if not inside(full, resolved_root):
                out[path] = Diagnostic(
                    path,
                    "outside-link",
                    "symbolic link to a path outside the repository; not read",
                )
                continue
            out[path] = read_bytes(full, path, limit)
        return out


def inside(path: Path, resolved_root: Path) -> bool:
    """Whether `path`, with every symbolic link and `..` followed, is below the root."""
    try:
        return path.resolve().is_relative_to(resolved_root)
    except (OSError, RuntimeError):  # a symbolic link loop
        return False


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

    def read(self, paths: list[str], limit: int = UNLIMITED) -> dict[str, Contents]:
        sizes = self.git.blob_sizes(self.commit, paths)
        small = [p for p in paths if sizes.get(p) is not None and sizes[p] <= limit]  # type: ignore[operator]
        out: dict[str, Contents] = dict.fromkeys(paths)
        out.update(self.git.read_blobs(self.commit, small))
        for path, size in sizes.items():
            if size is not None and size > limit:
                out[path] = too_large(path, size, limit)
        return out


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

    def read(self, paths: list[str], limit: int = UNLIMITED) -> dict[str, Contents]:
        out = self.under.read([p for p in paths if p not in self.overrides], limit)
        for path in paths:
            if path in self.overrides:
                data = self.overrides[path]
                out[path] = (
                    too_large(path, len(data), limit) if data and len(data) > limit else data
                )
        return out
