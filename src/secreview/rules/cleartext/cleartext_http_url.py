"""SR401: HTTP clients pointed at `http://` URLs of remote hosts."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.cleartext._shared import (
    INTERNAL,
    LOOPBACK,
    METADATA,
    PLACEHOLDER,
    PUBLIC,
    http_url,
    https_edit,
    leading_text,
)
from secreview.rules.deserialization._shared import TrackingRule

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
_WRITES = frozenset({"post", "put", "patch"})
_SENSITIVE_KWARGS = frozenset({"auth", "data", "json", "files", "cookies", "headers", "content"})

# Module-level functions: qualified name -> (url position, url keyword).
URL_FUNCTIONS: dict[str, tuple[int, str]] = {
    **{f"requests.{v}": (0, "url") for v in _VERBS},
    **{f"requests.api.{v}": (0, "url") for v in _VERBS},
    "requests.request": (1, "url"),
    "requests.api.request": (1, "url"),
    **{f"httpx.{v}": (0, "url") for v in _VERBS},
    "httpx.request": (1, "url"),
    "httpx.stream": (1, "url"),
    "urllib.request.urlopen": (0, "url"),
    "urllib.request.Request": (0, "url"),
    "urllib.request.urlretrieve": (0, "url"),
    "urllib3.request": (1, "url"),
    "aiohttp.request": (1, "url"),
}
# Client objects whose methods take URLs, and whose constructors may take a base URL.
CLIENT_CLASSES = frozenset(
    {
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
        "urllib3.PoolManager",
        "urllib3.ProxyManager",
        "urllib3.poolmanager.PoolManager",
    }
)
BASE_URL_CLASSES = frozenset({"httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession"})
# Client methods: name -> (url position, url keyword).
CLIENT_METHODS: dict[str, tuple[int, str]] = {
    **{v: (0, "url") for v in _VERBS},
    "request": (1, "url"),
    "stream": (1, "url"),
    "urlopen": (1, "url"),
    "request_encode_url": (1, "url"),
    "request_encode_body": (1, "url"),
    "ws_connect": (0, "url"),
}
_URLLIB3 = ("urllib3.PoolManager", "urllib3.ProxyManager", "urllib3.poolmanager.PoolManager")


class CleartextHttpUrl(TrackingRule):
    """Sends an HTTP request to an `http://` URL of a remote host.

    ## What it does
    Finds `requests`, `httpx`, `urllib.request`, `urllib3` and `aiohttp` calls (module
    functions, and methods of `Session`/`Client`/`AsyncClient`/`ClientSession`/`PoolManager`
    objects made in the same module, plus `base_url=`) whose URL is a constant, or is built
    from a constant start, beginning with `http://`.

    Hosts decide the outcome:
    - loopback (`localhost`, `*.localhost`, `127.0.0.0/8`, `::1`, `0.0.0.0`): not reported
      (verdict "loopback"); the traffic never leaves the machine.
    - cloud metadata endpoints (`169.254.169.254`, `169.254.170.2`, `fd00:ec2::254`,
      `metadata.google.internal`, `100.100.100.200`): not reported (verdict
      "metadata-service"); they are link-local, only speak plain HTTP, and whether the
      code should query them at all is a different question (SSRF, CWE-918).
    - RFC 2606 placeholders (`example.com`, `*.test`, `*.invalid`): not reported.
    - private networks (RFC 1918 and other private/link-local addresses, single-label names
      such as `http://keystone:5000`, `*.internal`, `*.local`, `*.lan`, `*.svc`,
      `*.cluster.local`, `*.home.arpa`): low severity, low confidence; the traffic is
      cleartext, but on a network the deployer controls.
    - public hosts: medium severity, high confidence; high severity when the request carries
      a body, credentials, cookies or headers, or the URL has `user:password@`.
    - a constant `http://` prefix with a host that is not constant (`f"http://{host}/v1"`):
      medium severity, low confidence.

    The fix is mechanical when the literal has no explicit port: `http://` becomes `https://`
    in the literal (also where it is a module-level constant). Test code is lowered.

    ## Why is this bad?
    Plain HTTP can be read and changed by anyone on the path: Wi-Fi, a compromised router, a
    hostile network provider. Tokens, cookies, personal data and the responses themselves
    (software updates, configuration) are exposed and can be tampered with.

    ## Example
    ```python
    import requests

    PAYMENTS_API = "http://api.payments-partner.com/v2"

    def charge(order, token):
        return requests.post(f"{PAYMENTS_API}/charges", json=order, headers={"Authorization": token}, timeout=10)
    ```

    ## Use instead
    ```python
    import requests

    PAYMENTS_API = "https://api.payments-partner.com/v2"

    def charge(order, token):
        return requests.post(f"{PAYMENTS_API}/charges", json=order, headers={"Authorization": token}, timeout=10)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/319.html
    - https://owasp.org/www-project-top-ten/2017/A3_2017-Sensitive_Data_Exposure
    """

    id = "SR401"
    slug = "cleartext-http-url"
    cwe = 319
    title = "HTTP request to a remote host over cleartext http://"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    node_types = TrackingRule.node_types
    in_tests = "lower"
    bandit_ids = ()

    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        if name in URL_FUNCTIONS:
            position, keyword = URL_FUNCTIONS[name]
            verb = name.rpartition(".")[2]
            self._check_url(node, f"{name}()", walker.argument(node, position, keyword), verb)
            return
        if name in BASE_URL_CLASSES:
            base = walker.keyword(node, "base_url")
            if base is not None:
                self._check_url(node, f"{name}(base_url=...)", base, "base_url")
            return
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in CLIENT_METHODS:
            return
        client = self._client_class(func.value, name)
        if client is None:
            return
        position, keyword = CLIENT_METHODS[func.attr]
        if client in _URLLIB3 and func.attr in _VERBS:
            return  # PoolManager has no get()/post(): not a client method
        verb = func.attr
        if func.attr in ("request", "urlopen", "request_encode_url", "request_encode_body"):
            method = walker.const_value(walker.argument(node, 0, "method"))
            verb = method.lower() if isinstance(method, str) else "request"
        self._check_url(
            node, f"{client}.{func.attr}()", walker.argument(node, position, keyword), verb
        )

    def _client_class(self, obj: ast.expr, name: str | None) -> str | None:
        origin = self.values.origin_call(obj)
        if origin is not None and origin[1] in CLIENT_CLASSES:
            return origin[1]
        if name is not None:
            owner = name.rpartition(".")[0]
            if owner in CLIENT_CLASSES:
                return owner
        return None

    def _check_url(self, node: ast.Call, what: str, url_expr: ast.expr | None, verb: str) -> None:
        walker = self.walker
        if url_expr is None:
            return
        url = http_url(walker, self.values, url_expr)
        if url is None:  # for the review: the requests that are not cleartext, and the unknown
            text = leading_text(walker, self.values, url_expr)[0]
            scheme = text.partition("://")[0].lower() if "://" in text else ""
            verdict = "https" if scheme == "https" else "url-unknown" if not scheme else ""
            if verdict:
                walker.examine(319, node, "http-request", verdict, what)
            return
        where = url.where
        detail = f"{what} to {url.shown()}"
        if where in (LOOPBACK, METADATA, PLACEHOLDER):
            walker.examine(319, node, "http-request", where, detail)
            return
        carries_data = verb in _WRITES or any(k.arg in _SENSITIVE_KWARGS for k in node.keywords)
        sensitive = url.userinfo or carries_data
        if where == PUBLIC:
            severity = Severity.HIGH if sensitive else Severity.MEDIUM
            confidence = Confidence.HIGH
            place = f"remote host {url.host}"
        elif where == INTERNAL:
            severity, confidence = Severity.LOW, Confidence.LOW
            place = f"internal host {url.host}"
        else:
            severity, confidence = Severity.MEDIUM, Confidence.LOW
            place = "a host that is not constant"
        carries = ""
        if url.userinfo:
            carries = " with credentials in the URL"
        elif carries_data:
            carries = " with a request body, credentials or headers"
        walker.examine(319, node, "http-request", "flagged", detail)
        edit = https_edit(walker, url)
        description = "use https:// (the server must offer TLS on that host)"
        fix = Fix(description, (edit,), "https://" + url.shown()[7:]) if edit else Fix(description)
        walker.report(
            self,
            node,
            f"{what} sends a request to {place} over cleartext HTTP{carries}: `{url.shown()}`",
            severity=severity,
            confidence=confidence,
            evidence="constant URL" if url.complete else "constant URL prefix",
            fix=fix,
        )
