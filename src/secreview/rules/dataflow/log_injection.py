from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class LogInjection(FlowRule):
    """Untrusted input is built into the text of a log message.

    ## What it does
    Follows request data through assignments, string building and helper functions to a
    `logging` call (module functions, `logging.getLogger(...)` loggers, oslo.log loggers,
    `app.logger`): into the message itself (an f-string, `%`, `+` or `.format()`), or as an
    argument the logger formats with `%s` (lazy formatting writes the raw value just the same).

    Clean: arguments formatted with `%r` or `%d`, values passed through `repr()`,
    `json.dumps()` or `urllib.parse.quote()`, values with line breaks removed
    (`.replace("\\n", "")`), numbers, UUIDs and allow-listed values.

    ## Why is this bad?
    A line break in the value starts a new, forged log entry (`admin logged in` on a line of its
    own), and terminal escape sequences can hide entries from whoever reads the log in a
    terminal. The risk is to the integrity of the log, so the severity is low. Only remote input
    counts. In test code the finding is not reported.

    ## Example
    ```python
    import logging

    from flask import Flask, request

    app = Flask(__name__)
    log = logging.getLogger(__name__)

    @app.route("/login", methods=["POST"])
    def login():
        log.warning(f"failed login for {request.form['username']}")
        return {"ok": False}, 401
    ```

    ## Use instead
    ```python
    @app.route("/login", methods=["POST"])
    def login():
        log.warning("failed login for %r", request.form["username"])  # repr escapes line breaks
        return {"ok": False}, 401
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/117.html
    - https://owasp.org/www-community/attacks/Log_Injection
    """

    id = "SR913"
    slug = "log-injection"
    cwe = 117
    title = "Untrusted input is built into a log message"
    severity = Severity.LOW
    confidence = Confidence.MEDIUM
    in_tests = "skip"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    fix = (
        "log with a constant message and pass the value as an argument formatted with %r "
        "(log.info('user %r', name)), or strip CR and LF from it first"
    )
