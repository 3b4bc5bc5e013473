"""Which files to scan: the paths given, and below directories the Python files (`.py`, `.pyw`,
notebooks, scripts without an extension whose first line is a Python shebang) and the template
files of `templates` directories (`.html`, `.htm`, `.jinja`, `.jinja2`, `.j2`, `.txt`), minus
ignored ones."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from secreview.findings import Diagnostic
from secreview.parsing.source import OPEN_FLAGS, not_regular
from secreview.parsing.templates import TEMPLATE_DIRECTORIES, TEMPLATE_SUFFIXES

DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".env",
    "env",
    "build",
    "dist",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".eggs",
    "*.egg-info",
    "site-packages",
    ".secreview_cache",
    ".direnv",
)


PYTHON_SUFFIXES = (".py", ".pyw", ".ipynb")

# `#!/usr/bin/env python`, `#!/usr/bin/python3.11 -u`, `#!/usr/bin/env -S python2 -O`, …
_PYTHON_SHEBANG = re.compile(rb"^#![^\n]*[/\s](?:python|pypy)[0-9.]*(?:\s|$)")


def _is_python_file(entry: os.DirEntry[str], is_file: bool) -> bool:
    """A Python source by its name, or a script without an extension by its shebang line."""
    name = entry.name
    if name.endswith(PYTHON_SUFFIXES):
        return True
    if "." in name or not is_file:
        return False
    return has_python_shebang(Path(entry.path))


def is_template_path(path: Path | str) -> bool:
    """A template file by its name: a template suffix below a `templates` directory."""
    posix = Path(path).as_posix()
    if not posix.endswith(TEMPLATE_SUFFIXES):
        return False
    return bool(TEMPLATE_DIRECTORIES.intersection(posix.split("/")[:-1]))


def has_python_shebang(path: Path) -> bool:
    """Whether the file's first line runs Python. Only regular files are opened: a FIFO would
    block and a device never end."""
    first = read_prefix(path, 256)
    return first is not None and bool(_PYTHON_SHEBANG.match(first.split(b"\n", 1)[0] + b"\n"))


def read_prefix(path: Path, limit: int) -> bytes | None:
    """The first `limit` bytes of a regular file; None for anything else or on an error."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        descriptor = os.open(path, OPEN_FLAGS)
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # swapped since the check
                return None
            return os.read(descriptor, limit)
        finally:
            os.close(descriptor)
    except OSError:
        return None


@dataclass(slots=True)
class SourceFile:
    path: Path
    display: str  # how the file is named in output: relative to the working directory if under it
    explicit: bool


@dataclass(slots=True)
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def display_path(path: Path) -> str:
    """Relative to the working directory when the file is below it, as given otherwise."""
    if not path.is_absolute():
        return Path(os.path.normpath(path)).as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def discover(paths: list[Path], excludes: list[str], respect_gitignore: bool = True) -> Discovery:
    """The files to scan below `paths`. Symbolic links are followed only while they stay
    inside the paths given: a link to `/` or to a file elsewhere on the machine would
    otherwise put that file's lines in a public report."""
    result = Discovery()
    seen: set[Path] = set()
    roots = _resolved_roots(paths)
    for given in paths:
        display = display_path(given)
        try:
            st = given.stat()
        except OSError as exc:
            kind = "symlink-loop" if exc.errno == 40 else "unreadable"
            reason = "symbolic link loop" if exc.errno == 40 else (exc.strerror or str(exc)).lower()
            result.diagnostics.append(Diagnostic(display, kind, f"{reason}; not analysed"))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk_directory(given, excludes, respect_gitignore, result, seen, roots)
        elif not stat.S_ISREG(st.st_mode):  # a FIFO blocks, a device never ends
            result.diagnostics.append(not_regular(display, st.st_mode))
        elif given not in seen:  # a file named explicitly is always scanned
            seen.add(given)
            result.files.append(SourceFile(given, display, True))
    return result


def discover_templates(
    directories: list[Path],
    paths: list[Path],
    excludes: list[str],
    respect_gitignore: bool = True,
) -> Discovery:
    """The template files of directories a project configures (`template_folder=`, a
    `FileSystemLoader`, Django's `DIRS`), under the same bounds as the scan: only directories
    inside the scanned paths, not excluded or ignored by git there, regular files only."""
    result = Discovery()
    roots = _resolved_roots(paths)
    patterns = ExcludePatterns(excludes)
    seen: set[Path] = set()
    for directory in directories:
        try:
            resolved = directory.resolve()
            root = next((r for r in roots if resolved == r or resolved.is_relative_to(r)), None)
            if root is None or not resolved.is_dir():
                continue  # outside every scanned path (or not there): never read
        except (OSError, RuntimeError, ValueError):
            continue  # a path the code names that no file system takes (a NUL, too long)
        parts = resolved.relative_to(root).parts
        if any(patterns.matches(part, "/".join(parts[: i + 1])) for i, part in enumerate(parts)):
            continue
        if respect_gitignore:
            specs = _gitignore_specs(resolved)
            if specs and _ignored_by_git(resolved, True, specs):
                continue
        _walk_directory(resolved, excludes, respect_gitignore, result, seen, roots, True)
    return result


def _resolved_roots(paths: list[Path]) -> list[Path]:
    roots: list[Path] = []
    for given in paths:
        try:
            roots.append(given.resolve())
        except (OSError, RuntimeError):  # a loop: reported when the path is read
            continue
    return roots


def _inside(target: Path, roots: list[Path]) -> bool:
    return any(target == root or target.is_relative_to(root) for root in roots)


def _link_leaves_roots(path: Path, roots: list[Path]) -> bool:
    """Whether the symbolic link `path` leads outside every scanned root."""
    try:
        return not _inside(path.resolve(), roots)
    except (OSError, RuntimeError):
        return False  # a loop or a broken link: reported as such when it is read


class ExcludePatterns:
    """The default and configured exclude patterns, compiled once into two expressions.

    A pattern hides an entry when it matches the entry's name, its path relative to the scan
    root, or a directory above it (`docs/` hides `docs/conf.py`).
    """

    def __init__(self, patterns: Iterable[str] = ()) -> None:
        every = [*DEFAULT_EXCLUDES, *patterns]
        self._whole = _any(fnmatch.translate(p) for p in every)
        self._under = _any(fnmatch.translate(p.rstrip("/") + "/*") for p in every)

    def matches(self, name: str, relpath: str) -> bool:
        return bool(
            self._whole.match(name) or self._whole.match(relpath) or self._under.match(relpath)
        )


def _any(expressions: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{e})" for e in expressions) or "(?!)")


def _gitignore_specs(root: Path) -> list[tuple[Path, pathspec.PathSpec]]:
    """The .gitignore files of the repository above `root`, outermost first."""
    specs: list[tuple[Path, pathspec.PathSpec]] = []
    resolved = root.resolve()
    chain = [resolved, *resolved.parents]
    repo_root = next((d for d in chain if os.path.lexists(d / ".git")), None)
    if repo_root is None:
        return specs
    for directory in reversed(chain[: chain.index(repo_root) + 1]):
        if directory == resolved:
            break
        spec = _read_gitignore(directory)
        if spec is not None:
            specs.append((directory, spec))
    return specs


_GITIGNORE_LIMIT = 1024 * 1024  # a larger .gitignore is read up to here


def _read_gitignore(directory: Path) -> pathspec.PathSpec | None:
    data = read_prefix(directory / ".gitignore", _GITIGNORE_LIMIT)
    if data is None:
        return None
    return pathspec.GitIgnoreSpec.from_lines(data.decode("utf-8", "replace").splitlines())


def _ignored_by_git(path: Path, is_dir: bool, specs: list[tuple[Path, pathspec.PathSpec]]) -> bool:
    for base, spec in specs:
        try:
            rel = path.relative_to(base).as_posix()
        except ValueError:
            continue
        if spec.match_file(rel + "/" if is_dir else rel):
            return True
    return False


def _walk_directory(
    root: Path,
    excludes: list[str],
    respect_gitignore: bool,
    result: Discovery,
    seen: set[Path],
    roots: list[Path],
    templates_only: bool = False,
) -> None:
    patterns = ExcludePatterns(excludes)
    specs = _gitignore_specs(root) if respect_gitignore else []
    if specs and _ignored_by_git(root.resolve(), True, specs):
        specs = []  # a directory named explicitly is scanned even if an outer .gitignore hides it
    visited: set[tuple[int, int]] = set()
    resolved_root = root.resolve()
    root_holds_templates = templates_only or resolved_root.name in TEMPLATE_DIRECTORIES
    # (directory, its path relative to the root with a trailing slash, gitignore specs in force)
    stack: list[tuple[Path, str, list[tuple[Path, pathspec.PathSpec]]]] = [(root, "", specs)]
    while stack:
        directory, prefix, active = stack.pop()
        try:
            st = directory.stat()
        except OSError as exc:
            result.diagnostics.append(
                Diagnostic(
                    display_path(directory),
                    "symlink-loop" if exc.errno == 40 else "unreadable",
                    f"{(exc.strerror or str(exc)).lower()}; not analysed",
                )
            )
            continue
        key = (st.st_dev, st.st_ino)
        if key in visited:
            result.diagnostics.append(
                Diagnostic(
                    display_path(directory),
                    "symlink-loop",
                    "directory reached again through a symbolic link; skipped",
                )
            )
            continue
        visited.add(key)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            result.diagnostics.append(
                Diagnostic(
                    display_path(directory),
                    "unreadable",
                    f"{(exc.strerror or str(exc)).lower()}; not analysed",
                )
            )
            continue
        # The listing says which special files exist: no failed open or stat per directory.
        names = {entry.name for entry in entries}
        if prefix and "pyvenv.cfg" in names:
            continue  # a virtualenv, whatever its name
        if respect_gitignore and ".gitignore" in names:
            own = _read_gitignore(directory)
            if own is not None:
                active = [
                    *active,
                    (
                        directory.resolve()
                        if directory == root
                        else _resolve_under(directory, root, resolved_root),
                        own,
                    ),
                ]
        subdirs: list[tuple[Path, str]] = []
        # Below a `templates` directory, template files are read too (the views link to them).
        templates = root_holds_templates or bool(
            TEMPLATE_DIRECTORIES.intersection(prefix.split("/"))
        )
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                is_dir = is_file = False
            if not is_dir and not (
                (templates and name.endswith(TEMPLATE_SUFFIXES))
                or (not templates_only and _is_python_file(entry, is_file))
            ):
                continue
            if patterns.matches(name, prefix + name):
                continue
            path = Path(entry.path)
            if entry.is_symlink() and _link_leaves_roots(path, roots):
                result.diagnostics.append(
                    Diagnostic(
                        display_path(path),
                        "outside-link",
                        "symbolic link to a path outside the scanned directories; not followed",
                    )
                )
                continue
            if is_dir:
                if active and _ignored_by_git(
                    _resolve_under(path, root, resolved_root), True, active
                ):
                    continue
                subdirs.append((path, f"{prefix}{name}/"))
            else:
                if active and _ignored_by_git(
                    _resolve_under(path, root, resolved_root), False, active
                ):
                    continue
                if not is_file:
                    result.diagnostics.append(_not_a_file(entry, path))
                    continue
                if path not in seen:
                    seen.add(path)
                    result.files.append(SourceFile(path, display_path(path), False))
        stack.extend((d, rel, active) for d, rel in reversed(subdirs))
    result.files.sort(key=lambda f: f.display)


def _resolve_under(path: Path, root: Path, resolved_root: Path) -> Path:
    """`path` re-rooted at the resolved scan root, without resolving symlinks inside the tree."""
    try:
        return resolved_root / path.relative_to(root)
    except ValueError:
        return path


def _not_a_file(entry: os.DirEntry[str], path: Path) -> Diagnostic:
    """Why a Python-named entry that is not a regular file is skipped: a FIFO, a device, a
    socket, or a symbolic link that leads nowhere. It is never opened."""
    try:
        mode = entry.stat().st_mode
    except OSError as exc:
        kind = "symlink-loop" if exc.errno == 40 else "unreadable"
        reason = "symbolic link loop" if exc.errno == 40 else "broken symbolic link"
        return Diagnostic(display_path(path), kind, f"{reason}; not analysed")
    return not_regular(display_path(path), mode)
