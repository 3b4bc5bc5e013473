from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Severity
from secreview.rules.base import Rule, leaves_of
from secreview.rules.command_injection._shared import (
    STRING_CALLS,
    STRING_NODES,
    open_phrase,
    settled_command,
    strings,
)
from secreview.rules.common import (
    describe_nonconstant,
    is_truthy,
    short_source,
    source_may_name,
    string_building,
)

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

SHELL_CAPABLE = frozenset(
    {
        "subprocess.Popen",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.run",
        "oslo_concurrency.processutils.execute",
        "processutils.execute",
        "nova.utils.execute",
        "nova.privsep.utils.execute",
    }
)


class SubprocessShellInjection(Rule):
    """Runs a shell command line that is not a constant: `subprocess.*(cmd, shell=True)`.

    ## What it does
    Finds calls to `subprocess.Popen`, `run`, `call`, `check_call`, `check_output` and oslo's
    `processutils.execute` that pass `shell=True` (or a truthy constant) together with a command
    that is not a constant string. A command whose every inserted value is quoted with
    `shlex.quote` (or `shlex.join`), outside the command's own quotes and after the program's
    name, or is a number (`%d`, `int(x)`), is not reported.

    ## Why is this bad?
    With `shell=True` the command is parsed by `/bin/sh`. Any part of it that comes from outside
    can add `;`, `&&`, `$(...)` or backticks and run arbitrary commands with the privileges of
    the process. A constant command is not reported (the review counts it as examined).

    A command line the function is given whole and does not build (a parameter, an attribute,
    a loop variable: a command runner such as a plug-in that runs what its configuration says)
    is reported with low severity and confidence: whoever calls it chooses what runs, and that
    is an injection only when it comes from outside, which the data-flow rule SR901 follows
    and reports in place of this finding. A command the data flow proves constant after all (a
    literal of the project's settings module, a table entry under a constant key) is recorded
    as examined instead.

    ## Example
    ```python
    import subprocess

    def archive(name):
        subprocess.run(f"tar czf /backups/{name}.tgz /srv/data", shell=True)
    ```

    ## Use instead
    ```python
    import subprocess

    def archive(name):
        subprocess.run(["tar", "czf", f"/backups/{name}.tgz", "/srv/data"], check=True)
    ```
    If a shell is truly needed, quote every inserted value with `shlex.quote`, outside any
    quotes of the command text: `subprocess.run(f"tar czf {shlex.quote(dest)} /srv/data",
    shell=True)`.

    ## References
    - https://cwe.mitre.org/data/definitions/78.html
    - https://docs.python.org/3/library/subprocess.html#security-considerations
    """

    id = "SR201"
    slug = "subprocess-shell-injection"
    cwe = 78
    related_cwes = (77,)
    title = "Shell command built from non-constant input"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    node_types = (ast.Call,)
    call_leaves = leaves_of(SHELL_CAPABLE) | STRING_CALLS
    in_tests = "lower"

    def __init__(self, walker: Walker) -> None:
        super().__init__(walker)
        # Without `shell=` no call is judged: the strings of the module need not be followed.
        self._follows = source_may_name(walker, ("shell",))
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
        if name not in SHELL_CAPABLE:
            return
        shell = is_truthy(walker, walker.keyword(node, "shell"))
        command = walker.argument(node, 0, "args")
        if shell is False or command is None:
            if command is not None:
                walker.examine(
                    78, node, "process-execution", "argument-list", f"{name}() without a shell"
                )
            return
        settled, shape = settled_command(walker, node, name, command)
        if settled:
            return
        phrase, interpolated = describe_nonconstant(walker, command)
        phrase += open_phrase(walker, shape)
        if not interpolated and not _built_here(walker, command):
            self._report_passed_on(node, name, command)
            return
        shell_text = (
            "shell=True"
            if shell
            else f"shell={short_source(walker, walker.keyword(node, 'shell'))}"
        )
        walker.examine(78, node, "process-execution", "flagged", f"{name}() with {shell_text}")
        finding = walker.report(
            self,
            node,
            f"{name}() runs a shell command ({shell_text}) whose text is not constant: {phrase}",
            confidence=Confidence.HIGH if interpolated else Confidence.MEDIUM,
            severity=self.severity if shell else Severity.MEDIUM,
            evidence="non-constant argument",
            fix=_list_fix(),
        )
        walker.unless_constant(finding, [(node, command)], _examined_constant(name))

    def _report_passed_on(self, node: ast.Call, name: str, command: ast.expr) -> None:
        """A command line the function is given whole (a parameter, an attribute, a loop
        variable): a command runner, whose callers decide what runs."""
        walker = self.walker
        shown = short_source(walker, command)
        walker.examine(
            78, node, "process-execution", "flagged", f"{name}() of `{shown}`, passed on"
        )
        finding = walker.report(
            self,
            node,
            f"{name}() runs `{shown}` with a shell, a whole command line this code is given "
            "and does not build: whoever calls it chooses what runs, which is an injection "
            "only if that comes from outside",
            severity=Severity.LOW,
            confidence=Confidence.LOW,
            evidence="whole command passed on; no flow from outside found",
            fix=_list_fix(),
        )
        # `HEALTH_COMMAND` of the project's settings, `COMMANDS["uptime"]`: the engine may
        # prove the command constant after all.
        walker.unless_constant(finding, [(node, command)], _examined_constant(name))


_MAX_DEPTH = 4


def _built_here(walker: Walker, expr: ast.expr, depth: int = 0) -> bool:
    """Whether the function builds the command text around other values (`"tar " + name`),
    directly or in a local it assigns (`cmd = "logrotate -f %s" % path`, `cmd += " -v"`)."""
    if string_building(walker, expr) is not None:
        return True
    function = walker.function
    if not isinstance(expr, ast.Name) or function is None or depth > _MAX_DEPTH:
        return isinstance(expr, ast.Name) and depth > _MAX_DEPTH
    for node in ast.walk(function):
        if isinstance(node, ast.AugAssign):
            targets: list[ast.expr] = [node.target]
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        else:
            continue
        if not any(isinstance(t, ast.Name) and t.id == expr.id for t in targets):
            continue
        if isinstance(node, ast.AugAssign):
            return True
        if node.value is not None and _built_here(walker, node.value, depth + 1):
            return True
    return False


def _examined_constant(name: str) -> tuple[int, str, str]:
    """How a command the engine proves constant is recorded: (cwe, kind, detail)."""
    return (78, "process-execution", f"{name}() with a command the data flow proves constant")


def _list_fix():  # type: ignore[no-untyped-def]
    from secreview.findings import Fix

    return Fix(
        "pass the command as a list of arguments and drop shell=True; "
        "if a shell is unavoidable, wrap each inserted value in shlex.quote()"
    )
