"""Unified diffs, parsed with unidiff: which lines a change adds and removes, and (for a patch
given on the command line) applying it forwards or backwards to text in memory."""

from __future__ import annotations

from dataclasses import dataclass

from unidiff import PatchedFile, PatchSet
from unidiff.errors import UnidiffParseError

from secreview.changes.model import ChangeError, FileChange
from secreview.discovery import PYTHON_SUFFIXES


@dataclass(slots=True)
class DiffFile:
    """One file of a parsed diff: what changed, and the hunks to apply it."""

    change: FileChange
    patched: PatchedFile


def is_python(path: str | None) -> bool:
    return path is not None and path.endswith(PYTHON_SUFFIXES)


def parse_diff(text: str, source: str = "the diff") -> list[DiffFile]:
    """Every file of a unified diff (git's or plain `diff -u`'s), with its changed lines."""
    if "\0" in text:
        raise ChangeError(f"{source} is binary data, not a unified diff")
    try:
        patch = PatchSet(text)
    except UnidiffParseError as exc:
        raise ChangeError(f"{source} is not a valid unified diff: {exc}") from None
    if not len(patch) and text.strip():
        raise ChangeError(f"{source} has no unified diff in it (no '--- a/…' / '+++ b/…' headers)")
    files: list[DiffFile] = []
    for patched in patch:
        old, new = _paths(patched)
        added: set[int] = set()
        removed: set[int] = set()
        for hunk in patched:
            for line in hunk:
                if line.is_added and line.target_line_no is not None:
                    added.add(line.target_line_no)
                elif line.is_removed and line.source_line_no is not None:
                    removed.add(line.source_line_no)
        change = FileChange(
            path=new,
            old_path=old,
            added=frozenset(added),
            removed=frozenset(removed),
            binary=bool(patched.is_binary_file),
        )
        files.append(DiffFile(change, patched))
    return files


def _paths(patched: PatchedFile) -> tuple[str | None, str | None]:
    source, target = patched.source_file or "", patched.target_file or ""
    old = None if source == "/dev/null" or patched.is_added_file else source
    new = None if target == "/dev/null" or patched.is_removed_file else target
    # git's a/ and b/ prefixes; a diff made with --no-prefix, or by `diff -u`, has none.
    prefixed = (old is None or old.startswith("a/")) and (new is None or new.startswith("b/"))
    if prefixed and (old is not None or new is not None):
        old = old[2:] if old is not None else None
        new = new[2:] if new is not None else None
    return old, new


# -- applying a diff in memory ---------------------------------------------------------------
def _norm(line: str) -> str:
    return line.rstrip("\r\n")


def mismatch(lines: list[str], patched: PatchedFile, new_side: bool) -> int | None:
    """The first line of `lines` that differs from the patch's new (or old) side, if any."""
    for hunk in patched:
        for line in hunk:
            if line.is_context or (line.is_added if new_side else line.is_removed):
                number = line.target_line_no if new_side else line.source_line_no
                if number is None:
                    continue
                if number > len(lines) or _norm(lines[number - 1]) != _norm(line.value):
                    return number
    return None


def splice(lines: list[str], patched: PatchedFile, forward: bool) -> list[str]:
    """Apply the patch to `lines` (its old side) or, with forward=False, undo it (new side)."""
    out: list[str] = []
    position = 0
    for hunk in patched:
        start = hunk.source_start if forward else hunk.target_start
        length = hunk.source_length if forward else hunk.target_length
        begin = start - 1 if length > 0 else start  # an empty side means "after line start"
        out.extend(lines[position:begin])
        for line in hunk:
            if line.is_context or (line.is_added if forward else line.is_removed):
                out.append(line.value if line.value.endswith("\n") else line.value + "\n")
        position = begin + length
    out.extend(lines[position:])
    return out
