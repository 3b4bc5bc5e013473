from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class ServerSideRequestForgery(FlowRule):
    """Untrusted input chooses the host an outgoing request goes to.

    ## What it does
    Follows request data through assignments, string building and helper functions to the URL
    (or host) of an outgoing request: `requests`, `httpx`, `urllib3`, `aiohttp.ClientSession`,
    `urllib.request.urlopen()`, `http.client.HTTPConnection()` and `socket.create_connection()`.

    Only input that can decide the scheme, the host or the port counts. A value appended after
    text that already fixes them (`f"https://{API_HOST}/users/{user_id}"`, `BASE_URL + "/items/"
    + item_id`, `"...?q=" + term`) changes a path or a query on a known server and is not
    reported; neither are values checked against an allow-list of hosts
    (`if host not in ALLOWED_HOSTS: abort(400)`).

    ## Why is this bad?
    A server that fetches any URL a client names reaches what the client cannot: cloud
    metadata endpoints (`http://169.254.169.254/` hands out credentials), admin interfaces on
    `localhost`, databases and services on the internal network, and `file://` URLs with urllib.
    Only remote input counts: a command-line tool fetching the URL it was given does what it is
    for. In test code the finding is lowered.

    ## Example
    ```python
    import requests
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/preview")
    def preview():
        page = requests.get(request.args["url"], timeout=5)
        return {"title": page.text[:80]}
    ```

    ## Use instead
    ```python
    from urllib.parse import urlsplit

    ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}

    @app.route("/preview")
    def preview():
        url = request.args["url"]
        host = urlsplit(url).hostname
        if host not in ALLOWED_HOSTS:
            abort(400)
        page = requests.get(f"https://{host}/{urlsplit(url).path.lstrip('/')}", timeout=5)
        return {"title": page.text[:80]}
    ```
    When any public URL must be accepted, resolve the host, refuse private, loopback and
    link-local addresses, and connect to the address you checked.

    ## References
    - https://cwe.mitre.org/data/definitions/918.html
    - https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html
    """

    id = "SR909"
    slug = "server-side-request-forgery"
    cwe = 918
    title = "Untrusted input chooses the host of an outgoing request"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    fix = (
        "keep scheme and host constant and insert input only into the path or query; when the "
        "host must vary, check it against an allow-list (and refuse private and link-local "
        "addresses) before the request"
    )
