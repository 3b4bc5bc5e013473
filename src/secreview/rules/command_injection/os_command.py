from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule, leaves_of
from secreview.rules.command_injection._shared import (
    STRING_CALLS,
    STRING_NODES,
    open_phrase,
    settled_command,
    strings,
)
from secreview.rules.common import describe_nonconstant, source_may_name

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# Functions that always hand their first argument to a shell.
SHELL_FUNCTIONS = frozenset(
    {
        "os.system",
        "os.popen",
        "os.popen2",
        "os.popen3",
        "os.popen4",
        "popen2.popen2",
        "popen2.popen3",
        "popen2.popen4",
        "commands.getoutput",
        "commands.getstatusoutput",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "asyncio.create_subprocess_shell",
        "platform.popen",
    }
)


class OsCommandInjection(Rule):
    """Passes a non-constant command line to a function that always uses a shell.

    ## What it does
    Finds `os.system`, `os.popen`, `subprocess.getoutput`, `subprocess.getstatusoutput`,
    `commands.*` and `asyncio.create_subprocess_shell` calls whose command is not a constant.
    A command whose every inserted value is quoted with `shlex.quote` (or `shlex.join`),
    outside the command's own quotes and after the program's name, or is a number (`%d`,
    `int(x)`), is not reported: `os.system(f"ping -c 1 {shlex.quote(host)}")`.

    ## Why is this bad?
    These functions always run their argument through `/bin/sh -c`. A value inserted into the
    command line can end the intended command and start another (`; rm -rf ~`).

    ## Example
    ```python
    import os

    def ping(host):
        return os.system("ping -c 1 " + host)
    ```

    ## Use instead
    ```python
    import subprocess

    def ping(host):
        return subprocess.run(["ping", "-c", "1", "--", host], check=False).returncode
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/78.html
    - https://docs.python.org/3/library/os.html#os.system
    """

    id = "SR202"
    slug = "os-shell-command-injection"
    cwe = 78
    related_cwes = (77,)
    title = "Non-constant command passed to a shell function"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    node_types = (ast.Call,)
    call_leaves = leaves_of(SHELL_FUNCTIONS) | STRING_CALLS
    in_tests = "lower"

    def __init__(self, walker: Walker) -> None:
        super().__init__(walker)
        # Without a shell function's name no call is judged: strings need not be followed.
        self._follows = source_may_name(walker, tuple(sorted(leaves_of(SHELL_FUNCTIONS))))
        if self._follows:
            self.node_types = (ast.Call, *STRING_NODES)  # type: ignore[misc]

    def check(self, node: ast.AST) -> None:
        walker = self.walker
        if node.__class__ is not ast.Call or getattr(node.func, "attr", None) in STRING_CALLS:  # type: ignore[attr-defined]
            if self._follows:
                strings(walker).follow(walker, node)
            return
        assert isinstance(node, ast.Call)
        name = walker.call_name(node)
        if name not in SHELL_FUNCTIONS:
            return
        command = walker.argument(node, 0, "cmd")
        if command is None:
            return
        settled, shape = settled_command(walker, node, name, command)
        if settled:
            return
        phrase, interpolated = describe_nonconstant(walker, command)
        phrase += open_phrase(walker, shape)
        walker.examine(
            78, node, "process-execution", "flagged", f"{name}() with a non-constant command"
        )
        walker.report(
            self,
            node,
            f"{name}() runs its argument through a shell, and the command is not constant: {phrase}",
            confidence=Confidence.HIGH if interpolated else Confidence.MEDIUM,
            evidence="non-constant argument",
            fix=Fix(
                "use subprocess.run() with a list of arguments (no shell); "
                "if a shell is unavoidable, wrap each inserted value in shlex.quote()"
            ),
        )


EXEC_FUNCTIONS = frozenset(
    {
        f"os.{p}{s}"
        for p in ("exec", "spawn")
        for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")
    }
    | {"os.posix_spawn", "os.posix_spawnp", "pty.spawn", "os.startfile"}
)


class ProcessStartInjection(Rule):
    """Starts a program whose path or argument list is not constant: `os.exec*`, `os.spawn*`.

    ## What it does
    Finds `os.exec*`, `os.spawn*`, `os.posix_spawn*`, `pty.spawn` and `os.startfile` calls whose
    program (or argument vector, for `pty.spawn`) is not a constant. `sys.executable`, the
    interpreter already running the program (an autoreloader re-executing itself), counts as
    constant.

    ## Why is this bad?
    No shell is involved, but whoever controls the program path chooses what runs. When the path
    comes from a request, a file or the environment, that is arbitrary command execution.

    ## Example
    ```python
    import os

    def run_tool(tool, *args):
        os.execvp(tool, [tool, *args])
    ```

    ## Use instead
    ```python
    import os

    TOOLS = {"fsck": "/sbin/fsck", "mount": "/bin/mount"}

    def run_tool(tool, *args):
        path = TOOLS[tool]  # only known programs
        os.execv(path, [path, *args])
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/78.html
    """

    id = "SR203"
    slug = "process-start-injection"
    cwe = 78
    title = "Program to start is not a constant"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (ast.Call,)
    call_leaves = leaves_of(EXEC_FUNCTIONS)
    in_tests = "lower"

    def check(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        if name not in EXEC_FUNCTIONS:
            return
        position = 1 if name.startswith("os.spawn") else 0
        program = walker.argument(node, position, "argv" if name == "pty.spawn" else "path")
        if program is None:
            return
        if walker.is_constant(program):
            walker.examine(
                78, node, "process-execution", "constant", f"{name}() of a constant program"
            )
            return
        if walker.qualname(program) == "sys.executable":
            # A reloader or a worker re-running the interpreter that runs this program.
            walker.examine(
                78, node, "process-execution", "constant", f"{name}() of the running interpreter"
            )
            return
        phrase, _ = describe_nonconstant(walker, program)
        walker.examine(
            78, node, "process-execution", "flagged", f"{name}() of a non-constant program"
        )
        walker.report(
            self,
            node,
            f"{name}() starts a program that is not constant: {phrase}",
            evidence="non-constant argument",
            fix=Fix("choose the program from a fixed allow-list of absolute paths"),
        )
