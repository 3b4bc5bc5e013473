"""Read a file and parse it, turning every way that can fail into a Diagnostic."""

from __future__ import annotations

import ast
import errno
import io
import os
import re
import stat
import sys
import tokenize
import warnings
from dataclasses import dataclass
from pathlib import Path

from secreview.findings import Diagnostic
from secreview.parsing.python2 import Python2Error, parse_python2

DEFAULT_MAX_FILE_SIZE = (
    2 * 1024 * 1024
)  # bytes; generated files beyond this are rarely hand-written

RUNNING_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


@dataclass(slots=True)
class ParsedSource:
    path: str
    text: str
    tree: ast.Module
    lines: list[str]
    # What the text was read as: "python3", "python2" (converted to Python 3 syntax with its
    # line numbers kept) or "notebook" (the code cells joined into one module).
    dialect: str = "python3"
    # The lines as the user wrote them, when `text` is a conversion (Python 2): `text`, `lines`
    # and the tree's columns are the converted text's, snippets show these.
    written_lines: list[str] | None = None

    def line(self, lineno: int) -> str:
        lines = self.written_lines or self.lines
        return lines[lineno - 1] if 0 < lineno <= len(lines) else ""

    def segment(self, line: int, end_line: int) -> str:
        return "\n".join((self.written_lines or self.lines)[line - 1 : end_line])


# Constructs newer than the running interpreter, recognised from the source when it fails to parse:
# (regex on the offending line, description, first Python that parses it).
_NEWER_SYNTAX: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"""(?<![\w.])[tT][rR]?(['"])"""), "template string literal (PEP 750)", "3.14"),
    (
        re.compile(r"^\s*except\*?\s+[\w.]+\s*,\s*[\w.]+.*:\s*(#.*)?$"),
        "except clause with unparenthesised exception list (PEP 758)",
        "3.14",
    ),
    (
        re.compile(r"\[\s*\w+\s*=[^\]]*\]\s*[(:]|type\s+\w+\[[^\]]*="),
        "type parameter default (PEP 696)",
        "3.13",
    ),
    (re.compile(r"^\s*type\s+\w+\s*(\[[^\]]*\])?\s*="), "type alias statement (PEP 695)", "3.12"),
    (
        re.compile(r"^\s*((async\s+)?def|class)\s+\w+\s*\["),
        "type parameter list (PEP 695)",
        "3.12",
    ),
    (
        # A quote of the f-string's own kind, or a backslash, inside a replacement field.
        re.compile(r"""(?<![\w])[fF][rR]?(?P<q>['"])[^'"]*?\{[^}]*((?P=q)|\\)"""),
        "f-string with its own quotes or a backslash in a replacement field (PEP 701)",
        "3.12",
    ),
]

# `except ValueError, e:` reads as PEP 758's `except A, B:` too. Exception classes are
# CapWords; a lower-case last name is the variable Python 2 binds the exception to.
_PY2_EXCEPT_TARGET = re.compile(r"^\s*except\s+[\w.]+\s*,\s*[a-z_][a-z0-9_]*\s*:")

# Python 2 constructs, recognised by message or by the offending line: the kind of a file that
# neither grammar parses.
_PY2_LINE = re.compile(
    r"^\s*(print\s+[^\s(=]|exec\s+['\"]|raise\s+\w+\s*,|except\s+[\w.]+\s*,\s*\w+\s*:)"
    r"|`[^`]+`|\b0[0-7]+\b(?!\.)|\bur['\"]|<>"
)
_PY2_MESSAGES = ("Missing parentheses in call to", "leading zeros in decimal integer literals")


def read_source(path: Path, display: str, max_size: int) -> str | Diagnostic:
    """Bytes to text, or a Diagnostic that says why not."""
    data = read_bytes(path, display, max_size)
    if isinstance(data, Diagnostic):
        return data
    return decode_source(data, display)


# Opened without blocking (a FIFO swapped in after the check would otherwise wait for a
# writer), without becoming the controlling terminal, and not inherited by child processes.
OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_bytes(path: Path, display: str, max_size: int) -> bytes | Diagnostic:
    """At most `max_size` bytes of a regular file, or a Diagnostic that says why not.

    FIFOs, sockets and devices are never opened: a FIFO blocks and a device never ends. The
    size reported by stat is not trusted either (it is 0 for /proc files and devices): at
    most max_size + 1 bytes are read. The opened descriptor is checked again, so a file
    swapped for something else between the check and the open is caught.
    """
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            return not_regular(display, before.st_mode)
        if before.st_size > max_size:
            return too_large(display, before.st_size, max_size)
        descriptor = os.open(path, OPEN_FLAGS)
        try:
            opened = os.fstat(descriptor)
            if not stat.S_ISREG(opened.st_mode):
                return not_regular(display, opened.st_mode)
            if (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
                return Diagnostic(display, "changed", "replaced while it was read; not analysed")
            data = _read_at_most(descriptor, max_size + 1)
            after = os.fstat(descriptor)
        finally:
            os.close(descriptor)
    except FileNotFoundError:
        return Diagnostic(display, "unreadable", "removed while the scan ran; not analysed")
    except PermissionError:
        return Diagnostic(display, "unreadable", "permission denied; not analysed")
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        if exc.errno == errno.ELOOP:
            return Diagnostic(display, "symlink-loop", "symbolic link loop; not analysed")
        return Diagnostic(display, "unreadable", f"{reason.lower()}; not analysed")
    if len(data) > max_size:
        return too_large(display, len(data), max_size)
    if (after.st_size, after.st_mtime_ns) != (opened.st_size, opened.st_mtime_ns):
        return Diagnostic(display, "changed", "changed while it was read; not analysed")
    return data


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = os.read(descriptor, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


_FILE_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    return next((words for test, words in _FILE_KINDS if test(mode)), "not a regular file")


def not_regular(display: str, mode: int) -> Diagnostic:
    return Diagnostic(
        display, "not-a-file", f"{file_kind(mode)}, not a regular file; not read or analysed"
    )


def too_large(display: str, size: int, max_size: int) -> Diagnostic:
    return Diagnostic(
        display,
        "too-large",
        f"{_megabytes(size)} is over the max-file-size limit of {_megabytes(max_size)}; "
        "not analysed (raise max-file-size to include it)",
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 104_858 else f"{size:,} bytes"


def decode_source(data: bytes, display: str) -> str | Diagnostic:
    if b"\x00" in data[:8192]:
        return Diagnostic(
            display, "binary", "contains NUL bytes, looks like a binary file; not analysed"
        )
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # detect_encoding fails on undecodable bytes in the first two lines, or on a bad cookie.
        encoding = "utf-8"
        if b"coding" in data[:200]:
            return Diagnostic(display, "decode-error", f"{exc.msg}; not analysed")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1)
        return Diagnostic(
            display,
            "decode-error",
            f"byte 0x{data[exc.start]:02x} is not valid {encoding}; not analysed",
            line,
            col,
        )
    except LookupError:
        return Diagnostic(display, "decode-error", f"unknown encoding {encoding!r}; not analysed")
    except (UnicodeError, ValueError, TypeError) as exc:
        # A cookie may name a codec that refuses everything (`undefined`) or is not text.
        return Diagnostic(
            display,
            "decode-error",
            f"cannot decode as {encoding!r} ({type(exc).__name__}); not analysed",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


# Python 3.11's parser reads an f-string in time quadratic in its replacement fields (125,000
# of them: 13 s); from 3.12 the tokenizer reads them in linear time.
MAX_FSTRING_FIELDS = 50_000
_STRING_PREFIX = re.compile(r"[A-Za-z]*")


def _slow_fstring(text: str) -> tuple[int, int] | None:
    """(line, fields) of an f-string too large for this interpreter's parser to read quickly.

    The lines are split as the parser splits them, at CR, LF and CRLF alike (`newline=None`):
    split at LF alone, the lines that end in a bare CR join the next, the tokenizer finds an
    indentation that does not match (where the parser finds none) and stops before the
    f-string, which the parser then reads in quadratic time."""
    if sys.version_info >= (3, 12) or text.count("{") <= MAX_FSTRING_FIELDS:
        return None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            if token.type != tokenize.STRING:
                continue
            prefix = _STRING_PREFIX.match(token.string)
            if prefix is None or "f" not in prefix.group().lower():
                continue
            fields = token.string.count("{") - 2 * token.string.count("{{")
            if fields > MAX_FSTRING_FIELDS:
                return token.start[0], fields
    except (tokenize.TokenError, SyntaxError):
        return None  # the parser reports what is wrong
    return None


def parse_source(text: str, display: str) -> ParsedSource | Diagnostic:
    """Parse with the running interpreter's grammar, explaining failures precisely."""
    slow = _slow_fstring(text)
    if slow is not None:
        line, fields = slow
        return Diagnostic(
            display,
            "too-complex",
            f"an f-string with {fields:,} replacement fields, which the parser of Python "
            f"{RUNNING_PYTHON} reads in time quadratic in their number; not analysed (Python 3.12 "
            "or newer reads it quickly)",
            line,
        )
    try:
        tree = _parse(text, display)
    except SyntaxError as exc:
        # Code from before Python 3.7 may use async/await as identifiers: ask ast for that grammar.
        if not _ASYNC_AS_NAME.search(_line_of(text, exc.lineno)):
            return _not_python3(exc, text, display)
        try:
            tree = _parse(text, display, feature_version=(3, 6))
        except (SyntaxError, RecursionError, MemoryError, ValueError):
            return Diagnostic(
                display,
                "old-syntax",
                "uses `async` or `await` as a name (Python 3.6 or older); the parser of Python "
                f"{RUNNING_PYTHON} no longer accepts that (Python 3.12 does); not analysed",
                exc.lineno or 0,
                max((exc.offset or 1) - 1, 0),
            )
    except (RecursionError, MemoryError):
        return Diagnostic(display, "too-complex", "nesting too deep for the parser; not analysed")
    except ValueError as exc:  # e.g. source with NUL bytes beyond the sniffed prefix
        return Diagnostic(display, "syntax-error", f"{exc}; not analysed")
    return ParsedSource(display, text, tree, physical_lines(text))


_ASYNC_AS_NAME = re.compile(
    r"\b(async|await)\s*(=[^=]|,|\))|[.(,]\s*(async|await)\b(?!\s+(def|for|with)\b)"
    r"|\bdef\s+(async|await)\b|\b(async|await)\s*\("
)


_NEWLINE = re.compile(r"\r\n|\r|\n")


def physical_lines(text: str) -> list[str]:
    """The lines as the parser numbers them (str.splitlines also splits on form feeds)."""
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _line_of(text: str, lineno: int | None) -> str:
    lines = physical_lines(text)
    return lines[lineno - 1] if lineno and 0 < lineno <= len(lines) else ""


def _parse(text: str, display: str, feature_version: tuple[int, int] | None = None) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # invalid escape sequences and the like are not ours to report
        if feature_version is None:
            return ast.parse(text, filename=display)
        return ast.parse(text, filename=display, feature_version=feature_version)


# The Python 2 converter reads about 200,000 characters a second: past this, a file Python 3
# refuses would hold a scan for more than five seconds to be tried as Python 2.
MAX_PYTHON2_CHARS = 1_000_000


def _not_python3(exc: SyntaxError, text: str, display: str) -> ParsedSource | Diagnostic:
    """A file Python 3 refuses: newer Python 3 syntax is said so; anything else is tried as
    Python 2, and reported with both grammars' errors if that fails too."""
    line = exc.lineno or 0
    col = max((exc.offset or 1) - 1, 0)
    msg = exc.msg or "invalid syntax"
    lines = text.splitlines()
    bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "too many nested" in msg or "too complex" in msg:
        return Diagnostic(display, "too-complex", f"{msg}; not analysed", line, col)
    newer = _newer_syntax(bad_line, display, line, col)
    if newer is not None and not _PY2_EXCEPT_TARGET.search(bad_line):
        return newer
    if len(text) > MAX_PYTHON2_CHARS:
        kind = "python2" if _looks_like_python2(lines, line) else "syntax-error"
        return Diagnostic(
            display,
            kind,
            f"not Python 3 ({msg}, line {line}); at {len(text) / 1_000_000:.1f} million "
            f"characters it is too large to be tried as Python 2 (the limit is "
            f"{MAX_PYTHON2_CHARS / 1_000_000:.0f} million); not analysed",
            line,
            col,
        )
    python2 = parse_python2(text, display)
    if not isinstance(python2, Python2Error):
        return ParsedSource(
            display,
            python2.text,
            python2.tree,
            physical_lines(python2.text),
            dialect="python2",
            written_lines=physical_lines(text),
        )
    if newer is not None:
        return newer
    kind = "syntax-error"
    if any(m in msg for m in _PY2_MESSAGES) or _looks_like_python2(lines, line):
        kind = "python2"
    where3 = f", line {line}" if line else ""
    where2 = f", line {python2.line}" if python2.line else ""
    return Diagnostic(
        display,
        kind,
        f"not Python 3 ({msg}{where3}) nor Python 2 ({python2.message}{where2}); not analysed",
        line,
        col,
    )


def _newer_syntax(bad_line: str, display: str, line: int, col: int) -> Diagnostic | None:
    for pattern, construct, version in _NEWER_SYNTAX:
        if pattern.search(bad_line) and _version_tuple(version) > sys.version_info[:2]:
            return Diagnostic(
                display,
                "newer-syntax",
                f"{construct} needs Python {version}, secreview runs on Python {RUNNING_PYTHON}; "
                f"not analysed (run secreview under Python {version} or newer)",
                line,
                col,
            )
    return None


def _looks_like_python2(lines: list[str], line: int) -> bool:
    return bool(0 < line <= len(lines) and _PY2_LINE.search(lines[line - 1]))


def _version_tuple(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)
