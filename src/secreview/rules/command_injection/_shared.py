"""What the shell rules share: the shell dialect of the engine's string shapes, and which holes
of a command line can change what the shell runs.

A command is judged by its shape (`engine/strings.py`): constant text and holes. A hole quoted
with `shlex.quote` is one word for the shell, but only where the shell reads it as one: outside
the constant text's own quotes (`'{q}'` and `"{q}"` undo the quoting: `"$(id)"` still runs)
and after the program's name (a quoted first word still chooses the program). A program that
runs its arguments as a command (`sh -c`, `ssh host`, `sudo`, `xargs`, an interpreter's `-c`)
reads a quoted word as code again: there every hole stays open.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.engine.strings import (
    ALLOW_LISTED,
    CONSTANT,
    ESCAPED,
    FOLLOWED_NODES,
    FRAGMENTS,
    LIST_MUTATORS,
    NUMERIC,
    Dialect,
    Hole,
    LocalStrings,
    Shape,
    StringTracker,
    decompose,
    tracker,
)

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# Calls whose result is one shell word (or, for shlex.join, a line of quoted words).
SHELL_QUOTERS = frozenset({"shlex.quote", "pipes.quote", "shlex.join"})


class ShellDialect(Dialect):
    """Command lines for /bin/sh: `shlex.quote(x)`, `shlex.join(args)` and
    `" ".join(shlex.quote(a) for a in args)` are quoted words."""

    calls = frozenset({"quote"})

    def classify(self, walker: Walker, local: LocalStrings, expr: ast.expr) -> str | None:
        if not isinstance(expr, ast.Call):
            return None
        if walker.call_name(expr) in SHELL_QUOTERS:
            return ESCAPED
        match expr:
            case ast.Call(func=ast.Attribute(attr="join", value=sep), args=[items], keywords=[]):
                text = walker.const_value(sep)
                if isinstance(text, str) and text.isspace() and _quoted_items(walker, items):
                    return ESCAPED
        return None


def _quoted_items(walker: Walker, items: ast.expr) -> bool:
    """`shlex.quote(a) for a in args`, `[shlex.quote(a) for ...]`, `map(shlex.quote, args)`."""
    match items:
        case ast.GeneratorExp(elt=ast.Call() as elt) | ast.ListComp(elt=ast.Call() as elt):
            return walker.call_name(elt) in SHELL_QUOTERS
        case ast.Call(args=[function, _], keywords=[]) if walker.call_name(items) == "map":
            return walker.qualname(function) in SHELL_QUOTERS
    return False


SHELL = ShellDialect()
# What the shell rules subscribe to besides the sink calls, to follow local strings.
STRING_NODES = FOLLOWED_NODES
STRING_CALLS = LIST_MUTATORS


def strings(walker: Walker) -> StringTracker:
    return tracker(walker, SHELL)


# Holes that cannot add shell syntax wherever they stand: numbers, constants, and words chosen
# from constant strings.
_INERT = frozenset({NUMERIC, CONSTANT, ALLOW_LISTED, FRAGMENTS})
_SEPARATORS = frozenset(";&|(`\n")
# Programs that run (some of) their arguments as a command or as code.
_RUNNERS = frozenset(
    {"sh", "bash", "dash", "zsh", "ksh", "csh", "tcsh", "fish", "busybox", "eval", "exec"}
    | {"ssh", "sudo", "su", "doas", "runuser", "env", "xargs", "nohup", "timeout", "nice"}
    | {"ionice", "setsid", "stdbuf", "chroot", "watch", "time", "command", "flock", "script"}
    | {"python", "python2", "python3", "perl", "ruby", "node", "php", "awk", "gawk", "tclsh"}
)


def settled_command(
    walker: Walker, node: ast.Call, name: str, command: ast.expr
) -> tuple[bool, Shape | None]:
    """Whether `command` cannot be injected into (a constant, or every inserted value quoted
    or a number), recorded as examined; and otherwise its shape, for the finding."""
    if walker.is_constant(command):
        walker.examine(
            78, node, "process-execution", "constant", f"{name}() with a constant command"
        )
        return True, None
    shape = decompose(walker, strings(walker).local(walker), command)
    if shape is not None and shape.holes and not open_holes(shape):
        walker.examine(
            78,
            node,
            "process-execution",
            "quoted",
            f"{name}() with every inserted value quoted with shlex.quote() or a number",
        )
        return True, None
    return False, shape


def open_holes(shape: Shape) -> list[Hole]:
    """The holes of a command line that can change what the shell runs: every hole but
    numbers, constants and allow-listed words, and a quoted word that stands inside the
    constant text's quotes, after a backslash, in the place of a command's name, or among the
    arguments of a program that runs them."""
    found: list[Hole] = []
    quote: str | None = None  # the quote the text stands in
    escaped = False  # the last character was an unquoted (or double-quoted) backslash
    at_command = True  # the current command's name is not complete yet
    in_word = False
    program = ""  # the current command's first word, as far as its text is known
    runner = False  # the current command runs its arguments
    for segment in shape.segments:
        if isinstance(segment, Hole):
            if segment.kind not in _INERT and (
                segment.kind != ESCAPED or quote is not None or escaped or at_command or runner
            ):
                found.append(segment)
            if at_command:
                program += "\0"  # no runner is named so
            in_word, escaped = True, False
            continue
        for char in segment:
            if escaped:
                escaped = False
            elif quote == "'":
                if char == "'":
                    quote = None
            elif char == "\\":
                escaped = True
            elif quote == '"':
                if char == '"':
                    quote = None
            elif char in "'\"":
                quote = char
            elif char in _SEPARATORS:
                at_command, in_word, program, runner = True, False, "", False
                continue
            elif char.isspace():
                if in_word and at_command:
                    if "=" in program.lstrip("="):
                        program = ""  # `LANG=C sort`: an assignment before the name
                    else:
                        at_command, runner = False, _runs_arguments(program)
                in_word = False
                continue
            in_word = True
            if at_command:
                program += char
    return found


def _runs_arguments(program: str) -> bool:
    name = program.replace("'", "").replace('"', "").rpartition("/")[2]
    return name in _RUNNERS or name.startswith(("python", "pypy"))


def open_phrase(walker: Walker, shape: Shape | None) -> str:
    """For a message, when part of the command is quoted or a number: what still is not."""
    if shape is None:
        return ""
    holes = open_holes(shape)
    requoted = [h for h in holes if h.kind == ESCAPED]
    if len(holes) == len(shape.holes) and not requoted:
        return ""  # nothing was quoted: the message names the parts already
    unquoted = [h for h in holes if h.kind != ESCAPED]
    parts = []
    if unquoted:
        parts.append(f"not quoted: {_names(walker, unquoted)}")
    if requoted:
        parts.append(
            f"quoted with shlex.quote() where the shell reads it again (inside the command's "
            f"own quotes, as the program, or given to a program that runs it): "
            f"{_names(walker, requoted)}"
        )
    return "; " + "; ".join(parts)


def _names(walker: Walker, holes: list[Hole], limit: int = 3) -> str:
    seen: list[str] = []
    for hole in holes:
        text = hole.source(walker)
        if text not in seen:
            seen.append(text)
    shown = ", ".join(f"`{t}`" for t in seen[:limit])
    return shown + (" and more" if len(seen) > limit else "")
