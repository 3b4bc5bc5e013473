"""What a change is: the files it touches and, in each, the lines it adds or removes."""

from __future__ import annotations

from dataclasses import dataclass, field


class ChangeError(Exception):
    """A change that cannot be read or reviewed; the message is one line, for stderr."""


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file of a change.

    `added` holds the line numbers, in the new version, of the lines the change adds or
    modifies; `removed` the line numbers, in the old version, of the lines it removes or
    modifies. A modified line is one removed and one added line, as in a unified diff.
    """

    path: str | None  # the new path; None when the file is deleted
    old_path: str | None  # the old path; None when the file is added
    added: frozenset[int] = frozenset()
    removed: frozenset[int] = frozenset()
    binary: bool = False

    @property
    def status(self) -> str:
        if self.old_path is None:
            return "added"
        if self.path is None:
            return "deleted"
        if self.path != self.old_path:
            return "renamed"
        return "modified"


@dataclass(slots=True)
class ChangeSet:
    """The files of a change, keyed both ways, and how the change was named."""

    files: list[FileChange] = field(default_factory=list)
    base_label: str = ""  # "HEAD", "a1b2c3d (merge base of origin/main and HEAD)", …
    head_label: str = ""  # "working tree", a commit, …
    name: str = ""  # what the user asked to review: "main...feature", "fix.patch", …

    @property
    def by_new_path(self) -> dict[str, FileChange]:
        return {f.path: f for f in self.files if f.path is not None}

    @property
    def by_old_path(self) -> dict[str, FileChange]:
        return {f.old_path: f for f in self.files if f.old_path is not None}

    @property
    def renames(self) -> dict[str, str]:
        """Old path to new path, for renamed files."""
        return {
            f.old_path: f.path
            for f in self.files
            if f.old_path is not None and f.path is not None and f.old_path != f.path
        }
