from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class TrustBoundaryViolation(FlowRule):
    """Request data is stored, unchecked, in the server-side session.

    ## What it does
    Follows request data through assignments, string building and helper functions to a
    write into the session: Flask's `session[key] = value`, `session.update(...)` and
    `session.setdefault(...)`; Django's `request.session[key] = value`; an aiohttp_session
    session (`session = await get_session(request)`, then `session[key] = value`) and any other
    mapping named as a session (`user_session[key] = value`); and the data stored in a table of
    sessions by id (`SESSIONS[sid] = {"user": ...}`), which the application reads back as
    trusted. Both the key and the value of a session count: a key chosen by the client can
    overwrite `user_id` or `is_admin`. Values converted to a number or a UUID, checked against
    an allow-list or a constant, or matched in full by `re.fullmatch` are clean, and so is
    what authentication returns for request data (Django's `authenticate()`, a session auth
    hash). Only remote input counts; in test code the finding is lowered. Every key of Django's
    `request.META` counts as request data, including the few that middleware sets itself
    (`CSRF_COOKIE`).

    ## Why is this bad?
    The session is where an application keeps what it has established about a user: who they
    are, what they may do, what they have already been checked for. Code that reads it back
    trusts it, because the client cannot write it. Putting unchecked request data there moves
    that data across the trust boundary: a later request finds `session["user"]` or
    `session["role"]` and believes it, though the client wrote it (OWASP calls this a trust
    boundary violation, CWE-501).

    ## Example
    ```python
    from flask import request, session

    @app.post("/preferences")
    def preferences():
        session["account"] = request.form["account"]
        return "saved"
    ```

    ## Use instead
    ```python
    from flask import request, session

    @app.post("/preferences")
    def preferences():
        account = int(request.form["account"])
        if account not in current_user_accounts():
            abort(403)
        session["account"] = account
        return "saved"
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/501.html
    - https://owasp.org/www-community/vulnerabilities/Trust_Boundary_Violation
    - https://flask.palletsprojects.com/en/stable/api/#sessions
    """

    id = "SR921"
    slug = "trust-boundary-violation"
    cwe = 501
    title = "Untrusted input is stored in the session without validation"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    fix = (
        "validate the value before storing it (convert it to the type you expect, check it "
        "against an allow-list or with re.fullmatch), or store what the server established "
        "instead of what the client sent"
    )
