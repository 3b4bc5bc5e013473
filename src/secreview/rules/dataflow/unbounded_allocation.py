from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class UnboundedAllocation(FlowRule):
    """A size or count taken from a request allocates memory or loops without a limit.

    ## What it does
    Follows request data (a `Content-Length` header, a `count` parameter, a length field read
    from a socket) through conversions such as `int()`, assignments and helper functions to a
    size or count: `read(n)` and `recv(n)` on a stream or socket, `recv_into(buf, n)`,
    `os.read()` and `range(n)`. Numbers convert the text but keep the size, so `int()` does not
    clean this; a comparison with a limit (`if n > MAX_ITEMS: abort(413)`), `min(n, LIMIT)` and
    `len(...)` do. (`bytearray(x)` is left out: given bytes rather than a number it only copies.)

    ## Why is this bad?
    `read(n)` on a buffered stream allocates `n` bytes before any arrive, and a loop over
    `range(n)` runs `n` times: one request with `Content-Length: 100000000000` or
    `?count=1e9` exhausts memory or CPU for every user. Only remote input counts. In test code
    the finding is not reported.

    ## Example
    ```python
    from http.server import BaseHTTPRequestHandler

    class UploadHandler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            body = self.rfile.read(length)
            ...
    ```

    ## Use instead
    ```python
    MAX_BODY = 1 << 20

    class UploadHandler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            if length > MAX_BODY:
                self.send_error(413)
                return
            body = self.rfile.read(length)
            ...
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/770.html
    - https://cwe.mitre.org/data/definitions/789.html
    """

    id = "SR916"
    slug = "unbounded-allocation"
    cwe = 770
    related_cwes = (789, 400)
    title = "Untrusted size or count allocates without a limit"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    in_tests = "skip"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    fix = (
        "compare the size with a fixed maximum before using it (or use min(size, LIMIT)), and "
        "read large bodies in bounded chunks"
    )
