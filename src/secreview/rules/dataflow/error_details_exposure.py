from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class ErrorDetailsExposure(FlowRule):
    """An exception's text or a traceback is sent back to the client.

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

    ## Why is this bad?
    The text of an unexpected exception describes the server: file paths, host names and ports,
    SQL statements and schema, library versions, sometimes credentials from a connection string.
    A traceback adds the source lines. That is the map an attacker needs for the next step.
    In test code the finding is not reported: tests show errors on purpose.

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
    source_kinds = frozenset({"exception"})
    kind_severity = {}
    fix = (
        "log the exception on the server (log.exception(...)) and send the client a generic "
        "message, or an error identifier it can quote to support"
    )
