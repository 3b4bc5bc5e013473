from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class RegexInjection(FlowRule):
    """Untrusted input is compiled as a regular expression.

    ## What it does
    Follows request data through assignments, string building and helper functions to the
    pattern argument of `re.compile()`, `re.search()`, `re.match()`, `re.fullmatch()`,
    `re.findall()`, `re.finditer()`, `re.sub()`, `re.subn()` and `re.split()` (and the same
    functions of the `regex` package). A value passed through `re.escape()` is clean: it
    matches itself, literally. Input used as the text being searched is not a pattern and is
    not reported.

    ## Why is this bad?
    Python's regular expression engine backtracks: a pattern with nested quantifiers such as
    `(a+)+$` takes time exponential in the length of the text it fails to match. Whoever
    chooses the pattern can hold a worker for minutes with one request (ReDoS), and a pattern
    can also probe data it was not meant to see (`^sk_live_` against stored keys). Only remote
    input counts. In test code the finding is not reported.

    ## Example
    ```python
    import re

    from flask import Flask, jsonify, request

    app = Flask(__name__)

    @app.get("/tickets/search")
    def search_tickets():
        pattern = request.args["q"]
        return jsonify([t.id for t in open_tickets() if re.search(pattern, t.subject)])
    ```

    ## Use instead
    ```python
    @app.get("/tickets/search")
    def search_tickets():
        needle = re.compile(re.escape(request.args["q"]), re.IGNORECASE)  # a literal match
        return jsonify([t.id for t in open_tickets() if needle.search(t.subject)])
    ```

    If users must write patterns, run them with a time limit in a separate process, or with an
    engine that does not backtrack (`google-re2`).

    ## References
    - https://cwe.mitre.org/data/definitions/1333.html
    - https://cwe.mitre.org/data/definitions/400.html
    - https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS
    """

    id = "SR919"
    slug = "regex-injection"
    cwe = 1333
    related_cwes = (400, 730)
    title = "Untrusted input is compiled as a regular expression"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    in_tests = "skip"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    fix = (
        "match the input literally with re.escape(value), or check it against an allow-list; "
        "if users must write patterns, run them with a time limit or with a non-backtracking "
        "engine such as google-re2"
    )
