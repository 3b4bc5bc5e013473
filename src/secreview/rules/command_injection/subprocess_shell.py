from __future__ import annotations

import ast

from secreview.findings import Confidence, Severity
from secreview.rules.base import Rule, leaves_of
from secreview.rules.common import describe_nonconstant, is_truthy, short_source

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
    that is not a constant string.

    ## Why is this bad?
    With `shell=True` the command is parsed by `/bin/sh`. Any part of it that comes from outside
    can add `;`, `&&`, `$(...)` or backticks and run arbitrary commands with the privileges of
    the process. A constant command is not reported (the review counts it as examined).

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
    If a shell is truly needed, quote every inserted value with `shlex.quote`.

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
    call_leaves = leaves_of(SHELL_CAPABLE)
    in_tests = "lower"

    def check(self, node: ast.Call) -> None:
        walker = self.walker
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
        if walker.is_constant(command):
            walker.examine(
                78, node, "process-execution", "constant", f"{name}() with a constant command"
            )
            return
        phrase, interpolated = describe_nonconstant(walker, command)
        shell_text = (
            "shell=True"
            if shell
            else f"shell={short_source(walker, walker.keyword(node, 'shell'))}"
        )
        walker.examine(78, node, "process-execution", "flagged", f"{name}() with {shell_text}")
        walker.report(
            self,
            node,
            f"{name}() runs a shell command ({shell_text}) whose text is not constant: {phrase}",
            confidence=Confidence.HIGH if interpolated else Confidence.MEDIUM,
            severity=self.severity if shell else Severity.MEDIUM,
            evidence="non-constant argument",
            fix=_list_fix(),
        )


def _list_fix():  # type: ignore[no-untyped-def]
    from secreview.findings import Fix

    return Fix(
        "pass the command as a list of arguments and drop shell=True; "
        "if a shell is unavoidable, wrap each inserted value in shlex.quote()"
    )
