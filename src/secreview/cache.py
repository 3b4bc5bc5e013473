"""The result cache: what a scan learnt about each file, kept for the next scan.

Two kinds of entry live in `.secreview_cache/` at the configuration root (or `cache-dir`):

- `files/<key>`: one file's analysis before the project-wide data-flow solve (pattern findings,
  diagnostics, examined sites, suppressions and the lowered data-flow IR). The key hashes the
  file's bytes, its paths and module name, the rules selected for it, whether it is test code,
  and the fingerprint below.
- `projects/<key>`: the solved results of a whole scan. The key hashes the keys of every file
  of the scan, in order, so the solve is reused only when no file changed.

The fingerprint covers everything else an analysis depends on: the cache format, secreview's
version and the content of its own modules and built-in models, the Python version, the user
models and the settings that reach the analysis (`dataflow`, `propagate-unknown-calls`,
`max-file-size`, inline suppressions on or off). Severity and confidence thresholds are applied
after the cache, on every run, so changing them needs no new analysis.

Entries are pickles, and unpickling runs code named in the data, so a cache folder in a hostile
checkout must never be trusted. Each entry is signed with a keyed BLAKE2b MAC whose secret key
lives in the user's cache directory (`$XDG_CACHE_HOME/secreview/cache-key`, else
`~/.cache/secreview/cache-key`), outside any scanned tree; an entry is unpickled only when its
MAC, computed over its name and its payload, checks. A corrupt, truncated, foreign or
other-version entry is a miss and is written again. Writes go to a temporary file that is
renamed over the entry, so concurrent scans see either a whole entry or none.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import pickle
import secrets
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from secreview import __version__
from secreview.findings import Diagnostic, FileResult

CACHE_DIR_NAME = ".secreview_cache"
FORMAT = 1
MAGIC = b"secreview-cache\x00"
_MAC_SIZE = 32
_HEADER = len(MAGIC) + 1 + _MAC_SIZE
_KEY_FILE = "cache-key"
# Files larger than this are not hashed for the cache (their analysis reports them too large).
MAX_HASHED_SIZE = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 512 * 1024 * 1024  # larger files in the folder are not secreview's entries
# Pruning: entries the current scan did not use go once they are this old, and the oldest go
# first while the folder is over its size budget.
MAX_AGE_SECONDS = 30 * 24 * 3600
MAX_CACHE_BYTES = 1024 * 1024 * 1024
_STALE_TEMP_SECONDS = 3600
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by secreview.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
_KINDS = ("files", "projects")


@dataclass(frozen=True, slots=True)
class ProjectEntry:
    """The solved results of a scan: every file after the solve, before thresholds."""

    files: list[FileResult]
    diagnostics: list[Diagnostic]  # the solve's own (a component that did not settle)


def user_cache_home() -> Path:
    """Where secreview keeps its signing key: the user's cache directory."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "secreview"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "secreview" / "Cache"
    return Path.home() / ".cache" / "secreview"


def _signing_key() -> bytes | None:
    """The secret that signs cache entries, made on first use; None if it cannot be kept."""
    home = user_cache_home()
    path = home / _KEY_FILE
    with contextlib.suppress(OSError):
        key = path.read_bytes()
        if len(key) == _MAC_SIZE:
            return key
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(dir=home, prefix=".cache-key.")
        try:
            os.write(fd, secrets.token_bytes(_MAC_SIZE))
        finally:
            os.close(fd)
        try:
            if path.exists():  # unreadable or the wrong length: replace it
                os.replace(temp, path)
            else:
                with contextlib.suppress(FileExistsError):  # another scan made one first
                    os.link(temp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == _MAC_SIZE else None


@cache
def code_digest() -> str:
    """A hash of secreview's own modules and built-in models: a changed checkout (an editable
    install between releases) must not read what another version of the code wrote."""
    return tree_digest(Path(__file__).resolve().parent)


def tree_digest(package: Path) -> str:
    """A hash of the names and contents of the Python modules and TOML files under `package`."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*")):
        if path.suffix not in (".py", ".toml") or "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(package).as_posix().encode())
        with contextlib.suppress(OSError):
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


def fingerprint(settings: dict[str, Any]) -> str:
    """What every entry's key shares: format, versions, and the settings given."""
    data = {
        "format": FORMAT,
        "secreview": __version__,
        "code": code_digest(),
        "python": list(sys.version_info[:3]),
        "implementation": sys.implementation.cache_tag,
        "parsers": _parser_versions(),
        **settings,
    }
    text = json.dumps(data, sort_keys=True, default=repr)
    return hashlib.blake2b(text.encode(), digest_size=32).hexdigest()


@cache
def _parser_versions() -> dict[str, str]:
    """Versions of the libraries whose output is cached: fissix converts Python 2 files, and
    another release may convert them differently."""
    from importlib import metadata

    versions: dict[str, str] = {}
    for name in ("fissix",):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=32).hexdigest()


class ResultCache:
    """The entries of one cache folder. Picklable, so worker processes write their own."""

    def __init__(self, directory: Path, secret: bytes, settings_fingerprint: str) -> None:
        self.directory = directory
        self._secret = secret
        self.fingerprint = settings_fingerprint

    @classmethod
    def open(cls, directory: Path, settings: dict[str, Any]) -> ResultCache | None:
        """The cache in `directory`, created if need be; None when it cannot be used (no
        signing key, a read-only tree, a folder that is a symbolic link)."""
        secret = _signing_key()
        if secret is None:
            return None
        try:
            made = not directory.exists()
            directory.mkdir(parents=True, exist_ok=True)
            if directory.is_symlink() or not directory.is_dir():
                return None
            if made or not (directory / "CACHEDIR.TAG").exists():
                # Ignored by any repository and by backup tools, like pytest's and ruff's.
                _write_if_absent(directory / ".gitignore", "# created by secreview\n*\n")
                _write_if_absent(directory / "CACHEDIR.TAG", CACHEDIR_TAG)
            for kind in _KINDS:
                sub = directory / kind
                sub.mkdir(exist_ok=True)
                if sub.is_symlink() or not sub.is_dir():
                    return None
        except OSError:
            return None
        return cls(directory, secret, fingerprint(settings))

    # -- keys --------------------------------------------------------------------------------
    def file_key(self, parts: tuple[Any, ...]) -> str:
        text = json.dumps([self.fingerprint, *parts], default=repr)
        return hashlib.blake2b(text.encode(), digest_size=32).hexdigest()

    def project_key(self, file_keys: list[str]) -> str:
        digest = hashlib.blake2b(self.fingerprint.encode(), digest_size=32)
        for key in file_keys:
            digest.update(key.encode())
        return digest.hexdigest()

    # -- entries -----------------------------------------------------------------------------
    def load_file(self, key: str) -> FileResult | None:
        found = self._load("files", key)
        return found if isinstance(found, FileResult) else None

    def store_file_blob(self, key: str, blob: bytes) -> None:
        """Store a FileResult already pickled (a worker pickles it once, for both uses)."""
        self._store("files", key, blob)

    def load_project(self, key: str) -> ProjectEntry | None:
        found = self._load("projects", key)
        if not isinstance(found, ProjectEntry):
            return None
        with contextlib.suppress(OSError):
            os.utime(self._path("projects", key))  # in use: the last to be pruned
        return found

    def store_project(self, key: str, entry: ProjectEntry) -> None:
        self._store("projects", key, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))

    def _path(self, kind: str, key: str) -> Path:
        return self.directory / kind / key

    def _mac(self, kind: str, key: str, payload: bytes) -> bytes:
        mac = hashlib.blake2b(key=self._secret, digest_size=_MAC_SIZE)
        mac.update(f"{kind}/{key}\x00".encode())
        mac.update(payload)
        return mac.digest()

    def _load(self, kind: str, key: str) -> Any:
        data = _read_entry(self._path(kind, key))
        if (
            data is None
            or len(data) < _HEADER
            or not data.startswith(MAGIC)
            or data[len(MAGIC)] != FORMAT
        ):
            return None
        payload = memoryview(data)[_HEADER:]
        if not hmac.compare_digest(data[len(MAGIC) + 1 : _HEADER], self._mac(kind, key, payload)):
            return None  # not written by this user's secreview: never unpickled
        try:
            return pickle.loads(payload)
        except Exception:  # signed but unreadable (a class that changed): a miss
            return None

    def _store(self, kind: str, key: str, payload: bytes) -> None:
        header = MAGIC + bytes((FORMAT,)) + self._mac(kind, key, payload)
        target = self._path(kind, key)
        try:
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f"{key}.", suffix=".tmp")
        except OSError:
            return  # a read-only or vanished folder: the scan goes on without caching
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(header)
                handle.write(payload)
            os.replace(temp, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)

    # -- housekeeping ------------------------------------------------------------------------
    def prune(self, keep: set[str]) -> None:
        """Drop entries not in `keep` that are older than MAX_AGE_SECONDS, leftover temporary
        files, and then the oldest entries while the folder is over MAX_CACHE_BYTES."""
        now = time.time()
        entries: list[tuple[float, int, Path]] = []
        for kind in _KINDS:
            try:
                listing = list(os.scandir(self.directory / kind))
            except OSError:
                continue
            for item in listing:
                try:
                    status = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                name = item.name
                age = now - status.st_mtime
                if name.endswith(".tmp"):
                    if age > _STALE_TEMP_SECONDS and _is_entry_name(name.split(".", 1)[0]):
                        _unlink(Path(item.path))
                    continue
                if not _is_entry_name(name) or name in keep:
                    continue
                if age > MAX_AGE_SECONDS:
                    _unlink(Path(item.path))
                else:
                    entries.append((status.st_mtime, status.st_size, Path(item.path)))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= MAX_CACHE_BYTES:
                break
            _unlink(path)
            total -= size


def clear(directory: Path) -> int:
    """Remove the cache in `directory`: only what secreview wrote there. The number of
    entries removed."""
    removed = 0
    for kind in _KINDS:
        sub = directory / kind
        if sub.is_symlink() or not sub.is_dir():
            continue
        for item in list(os.scandir(sub)):
            if _is_entry_name(item.name.split(".", 1)[0]) and not item.is_dir(
                follow_symlinks=False
            ):
                _unlink(Path(item.path))
                removed += not item.name.endswith(".tmp")
        with contextlib.suppress(OSError):
            sub.rmdir()
    for name, content in (
        (".gitignore", "# created by secreview\n*\n"),
        ("CACHEDIR.TAG", CACHEDIR_TAG),
    ):
        path = directory / name
        with contextlib.suppress(OSError):
            if not path.is_symlink() and path.read_text(encoding="utf-8") == content:
                path.unlink()
    with contextlib.suppress(OSError):
        directory.rmdir()  # only when nothing of anyone else's is left in it
    return removed


def _read_entry(path: Path) -> bytes | None:
    """An entry's bytes, if it is a regular file of a sane size. Entry names can be worked
    out, so a checkout could ship a FIFO, a link to /dev/zero or a huge file under one: none
    of them may hang or exhaust a scan."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_ENTRY_BYTES:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _is_entry_name(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _write_if_absent(path: Path, content: str) -> None:
    """Write a small file unless something is there already (never overwrite a user's file)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
