from __future__ import annotations

from typing import TYPE_CHECKING

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule

if TYPE_CHECKING:
    from secreview.engine.taint import FlowHit


class ErrorDetailsExposure(FlowRule):
    """An exception's text, a traceback or a secret is sent back to the client in an error.

    ## What it does
    Follows a caught exception (`except Exception as e`, `except OSError as e`, a database
    driver's or an HTTP client's error) and formatted tracebacks (`traceback.format_exc()`,
    `sys.exc_info()`) through `str()`, f-strings, dicts and helper functions to the body of a
    response: `jsonify()`, `flask.Response()`, `abort(..., description)`, Django's
    `HttpResponse()` / `JsonResponse()`, DRF's `Response()`, FastAPI's `HTTPException(detail=...)`
    and responses, aiohttp's `web.Response()` and `json_response()`, WebOb's error
    `explanation`s, `send_error()` of an `http.server` handler, and whatever a Flask view or a
    FastAPI path operation returns (`return {"error": str(e)}, 500`). Numeric attributes such as
    `e.returncode` or `e.response.status_code` carry no details and are not reported.

    Exceptions an application raises for its clients (`ValueError`, validation errors, HTTP
    errors, its own exception classes) are not sources: their messages are written to be shown.

    Secrets (passwords, keys, tokens, an expected HMAC signature, options declared
    `secret=True`: see SR918) are reported where they reach the text of an error response:
    `abort(403, description)`, `HTTPException(detail=...)`, DRF's `AuthenticationFailed(...)`,
    Django's `HttpResponseForbidden(...)`, WebOb's `explanation`, `send_error()`. A response body
    in general is not counted for secrets: endpoints that issue a token or an API key return it
    on purpose.

    ## Why is this bad?
    The text of an unexpected exception describes the server: file paths, host names and ports,
    SQL statements and schema, library versions, sometimes credentials from a connection string.
    A traceback adds the source lines. That is the map an attacker needs for the next step.
    An error that tells the client the signature it should have sent hands over a valid one.
    In test code the finding is not reported: tests show errors on purpose. Where the details
    are sent only when a debug setting is on (`traceback.format_exc() if settings.DEBUG else
    "Internal error"`, the body of `if app.debug:`, the code after `if not DEBUG: return ...`),
    the finding is low: a development error page is a feature, as long as debug mode stays off
    in production (SR724 looks at that).

    ## Example
    ```python
    from flask import Flask, jsonify

    app = Flask(__name__)

    @app.route("/reports/<int:report_id>")
    def report(report_id):
        try:
            return jsonify(build_report(report_id))
        except Exception as e:
            return jsonify(error=str(e)), 500
    ```

    ## Use instead
    ```python
    import logging

    log = logging.getLogger(__name__)

    @app.route("/reports/<int:report_id>")
    def report(report_id):
        try:
            return jsonify(build_report(report_id))
        except Exception:
            log.exception("report %s failed", report_id)
            return jsonify(error="internal error"), 500
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/209.html
    - https://owasp.org/www-community/Improper_Error_Handling
    """

    id = "SR915"
    slug = "error-details-exposure"
    cwe = 209
    title = "Exception details are sent to the client"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    in_tests = "skip"
    source_kinds = frozenset({"exception", "secret"})
    kind_severity = {}
    fix = (
        "log the exception on the server (log.exception(...)) and send the client a generic "
        "message, or an error identifier it can quote to support"
    )

    @classmethod
    def judge(
        cls, hit: FlowHit, severity: Severity, confidence: Confidence
    ) -> tuple[Severity, Confidence]:
        if hit.debug_only:
            # Shown only where a debug setting is on: the development error page, by design.
            return Severity.LOW, confidence
        return severity, confidence
