"""Code-review mode: read a change (git, or a unified diff), analyse what it needs, and report
only what it introduces, plus what it resolves."""

from secreview.changes.model import ChangeError, ChangeSet, FileChange
from secreview.changes.review import DiffResult, read_change, resolved_line, review

__all__ = [
    "ChangeError",
    "ChangeSet",
    "DiffResult",
    "FileChange",
    "read_change",
    "resolved_line",
    "review",
]
