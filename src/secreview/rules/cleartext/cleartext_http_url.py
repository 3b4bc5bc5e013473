"""SR401: HTTP clients pointed at `http://` URLs of remote hosts."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import leaves_of
from secreview.rules.cleartext._shared import (
    INTERNAL,
    LOOPBACK,
    METADATA,
    PLACEHOLDER,
    PUBLIC,
    classify_host,
    http_url,
    https_edit,
    leading_text,
)
from secreview.rules.crypto._shared import split_words
from secreview.rules.deserialization._shared import TrackingRule
from secreview.rules.files._shared import ModuleConstants

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
# Connection classes that speak plain HTTP to the host they are given (no URL, no scheme).
HTTP_CONNECTIONS = frozenset(
    {
        "http.client.HTTPConnection",
        "httplib.HTTPConnection",
        "urllib3.HTTPConnectionPool",
        "urllib3.connectionpool.HTTPConnectionPool",
        "urllib3.connection.HTTPConnection",
    }
)
# Their methods that send a request: name -> positions of (method, body, headers).
_CONNECTION_SENDERS: dict[str, tuple[int, int, int]] = {
    "request": (0, 2, 3),
    "urlopen": (0, 2, 3),
    "request_encode_body": (0, 2, 3),
}
_SENDS_HEADER = frozenset({"putheader", "set_tunnel"})
# A module-level constant holding an http:// URL that other modules use: the last word of its
# name says it is an address, another word that a service is called through it.
_ENDPOINT_HEADS = frozenset({"url", "uri", "endpoint", "base", "root", "address", "addr", "server"})
_ENDPOINT_WORDS = frozenset(
    {
        "api",
        "auth",
        "login",
        "signin",
        "token",
        "identity",
        "oauth",
        "sso",
        "endpoint",
        "service",
        "gateway",
        "webhook",
        "hook",
        "callback",
        "server",
        "backend",
        "upstream",
        "base",
        "rpc",
        "registry",
        "upload",
        "ingest",
        "collector",
        "payment",
        "payments",
        "billing",
        "checkout",
        "account",
        "accounts",
        "session",
        "broker",
        "notify",
        "notification",
        "push",
        "keystone",
        "vault",
    }
)
# Names of identifiers and links that are never requested: XML namespaces, schemas, docs.
_NOT_ENDPOINT_WORDS = frozenset(
    {
        "ns",
        "namespace",
        "xmlns",
        "schema",
        "dtd",
        "xsd",
        "doc",
        "docs",
        "documentation",
        "help",
        "homepage",
        "home",
        "website",
        "site",
        "license",
        "licence",
        "issues",
        "issue",
        "bug",
        "bugs",
        "tracker",
        "repo",
        "repository",
        "source",
        "project",
        "about",
        "spec",
        "rfc",
        "context",
        "vocab",
        "ontology",
        "support",
        "privacy",
        "terms",
        "tos",
        "feedback",
        "example",
        "sample",
        "test",
    }
)
# Hosts of identifiers (namespaces, schemas) that are written as http:// but never fetched.
_IDENTIFIER_HOSTS = frozenset(
    {
        "www.w3.org",
        "w3.org",
        "schemas.xmlsoap.org",
        "schemas.openxmlformats.org",
        "schemas.microsoft.com",
        "purl.org",
        "json-schema.org",
        "xmlns.com",
        "ns.adobe.com",
        "www.opengis.net",
        "docs.oasis-open.org",
        "java.sun.com",
        "xml.org",
        "www.sitemaps.org",
        "schema.org",
    }
)


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

    `http.client.HTTPConnection` and urllib3's `HTTPConnectionPool` speak plain HTTP to the host
    they are given: a constant remote host is reported like an `http://` URL, high severity
    when a request on the connection (in the same module) sends a body or headers.

    RFC 2606 placeholder hosts (`api.example.com`, `*.test`, `*.invalid`) are reported with
    medium confidence: the host is a stand-in, the scheme is not, and whoever fills in the real
    host keeps `http://`.

    A module-level constant such as `AUTH_URL = "http://keystone.example.com:5000/v3"` that
    the module never reads itself (a settings module: the requests are made elsewhere, out of
    this per-module rule's sight) is reported where it is defined, with low confidence, when
    its name says it is a service endpoint (`AUTH_URL`, `API_BASE`, `WEBHOOK_ENDPOINT`) and
    not a namespace, schema or documentation link (`SVG_NS`, `SCHEMA_URL`, `DOCS_URL`).

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
    judged_types = (ast.Assign, ast.AnnAssign)
    # Module functions and constructors by name, client and connection methods by attribute.
    call_leaves = leaves_of(
        HTTP_CONNECTIONS,
        URL_FUNCTIONS,
        BASE_URL_CLASSES,
        CLIENT_METHODS,
        _CONNECTION_SENDERS,
        _SENDS_HEADER,
    )
    in_tests = "lower"

    def begin_module(self) -> None:
        self.constants = ModuleConstants(self.walker)
        self.connections: dict[ast.Call, _Connection] = {}

    def check_assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        self.constants.note_assignment(self.walker, node)

    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        func = node.func
        if isinstance(func, ast.Attribute) and self._connection_use(node, func):
            return
        name = walker.call_name(node)
        if name in HTTP_CONNECTIONS:
            self._http_connection(node, name)
            return
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

    # -- http.client / urllib3 connections ------------------------------------------------------
    def _http_connection(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        host_expr = walker.argument(node, 0, "host")
        host = walker.const_value(host_expr) if host_expr is not None else None
        if not isinstance(host, str) or not host:
            walker.examine(319, node, "http-request", "host-unknown", f"{name}()")
            return
        if host.startswith("["):  # "[::1]:8080"
            bare = host[1:].partition("]")[0]
        else:
            bare = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        where = classify_host(bare)
        if where in (LOOPBACK, METADATA):
            walker.examine(319, node, "http-request", where, f"{name}({host!r})")
            return
        connection = self.connections[node] = _Connection(node, name, bare, where)
        ancestors = walker.ancestors
        if (  # `HTTPConnection(host).request("POST", path, body)`: used at once
            len(ancestors) >= 2
            and isinstance(ancestors[-1], ast.Attribute)
            and isinstance(ancestors[-2], ast.Call)
            and ancestors[-2].func is ancestors[-1]
        ):
            connection.sensitive = self._sends_data(ancestors[-2], ancestors[-1].attr)

    def _connection_use(self, node: ast.Call, func: ast.Attribute) -> bool:
        """`conn.request("POST", path, body, headers)` on a connection made in this module."""
        if func.attr not in _CONNECTION_SENDERS and func.attr not in _SENDS_HEADER:
            return False
        origin = self.values.origin_call(func.value)
        if origin is None or origin[0] not in self.connections:
            return False
        connection = self.connections[origin[0]]
        connection.sensitive = connection.sensitive or self._sends_data(node, func.attr)
        return True

    def _sends_data(self, node: ast.Call, method_name: str) -> bool:
        """Does this call on a connection send a body, headers, or a writing method?"""
        if method_name in _SENDS_HEADER:
            return True
        if method_name not in _CONNECTION_SENDERS:
            return False
        walker = self.walker
        method_pos, body_pos, headers_pos = _CONNECTION_SENDERS[method_name]
        method = walker.const_value(walker.argument(node, method_pos, "method"))
        return (
            (isinstance(method, str) and method.lower() in _WRITES)
            or walker.argument(node, body_pos, "body") is not None
            or walker.argument(node, headers_pos, "headers") is not None
        )

    def _report_connection(self, connection: _Connection) -> None:
        walker = self.walker
        node, name = connection.node, connection.name
        if connection.where == INTERNAL:
            severity, confidence = Severity.LOW, Confidence.LOW
            place = f"internal host {connection.host}"
        else:
            severity = Severity.HIGH if connection.sensitive else Severity.MEDIUM
            placeholder = connection.where == PLACEHOLDER
            confidence = Confidence.MEDIUM if placeholder else Confidence.HIGH
            place = f"{'placeholder' if placeholder else 'remote'} host {connection.host}"
        carries = " with a request body or headers" if connection.sensitive else ""
        walker.examine(319, node, "http-request", "flagged", f"{name}({connection.host!r})")
        secure = name.replace("HTTPConnection", "HTTPSConnection")
        walker.report(
            self,
            node,
            f"{name}() talks plain HTTP to {place}: requests{carries} cross the network in "
            "cleartext",
            severity=severity,
            confidence=confidence,
            evidence="cleartext connection class, constant host",
            fix=Fix(
                f"use {secure}(host, context=ssl.create_default_context()) (and the server's "
                "TLS port)"
            ),
        )

    # -- endpoint constants used by other modules -------------------------------------------------
    def end_module(self) -> None:
        for connection in self.connections.values():
            self._report_connection(connection)
        for name, node, value_expr, value in self.constants.unread():
            if isinstance(value, str) and _endpoint_name(name):
                self._exported_endpoint(name, node, value_expr)

    def _exported_endpoint(self, name: str, node: ast.stmt, value_expr: ast.expr) -> None:
        walker = self.walker
        url = http_url(walker, self.values, value_expr)
        if url is None or not url.complete or url.host is None:
            return
        where = url.where
        if where not in (PUBLIC, PLACEHOLDER) or url.host.lower() in _IDENTIFIER_HOSTS:
            walker.examine(319, node, "http-endpoint", where, f"{name} = {url.shown()}")
            return
        walker.examine(319, node, "http-endpoint", "flagged", f"{name} = {url.shown()}")
        edit = https_edit(walker, url)
        description = "use https:// (the server must offer TLS on that host)"
        walker.report(
            self,
            node,
            f"`{name}` is an http:// endpoint of {'placeholder' if where == PLACEHOLDER else 'remote'} "
            f"host {url.host} that other modules use: their requests to it travel in cleartext: "
            f"`{url.shown()}`",
            severity=Severity.MEDIUM,
            confidence=Confidence.LOW,
            evidence="constant URL, name heuristic (endpoint constant not used in its own module)",
            fix=Fix(description, (edit,), "https://" + url.shown()[7:])
            if edit
            else Fix(description),
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
        if where in (LOOPBACK, METADATA):
            walker.examine(319, node, "http-request", where, detail)
            return
        carries_data = verb in _WRITES or any(k.arg in _SENSITIVE_KWARGS for k in node.keywords)
        sensitive = url.userinfo or carries_data
        if where == PUBLIC:
            severity = Severity.HIGH if sensitive else Severity.MEDIUM
            confidence = Confidence.HIGH
            place = f"remote host {url.host}"
        elif where == PLACEHOLDER:
            # `http://api.example.com`: the host is a stand-in, the scheme is not; whoever
            # fills in the real host keeps the cleartext scheme.
            severity = Severity.HIGH if sensitive else Severity.MEDIUM
            confidence = Confidence.MEDIUM
            place = f"placeholder host {url.host}"
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
            evidence=("constant URL" if url.complete else "constant URL prefix")
            + (
                "; placeholder host, the http:// scheme stays when it is replaced"
                if where == PLACEHOLDER
                else ""
            ),
            fix=fix,
        )


@dataclass(slots=True)
class _Connection:
    node: ast.Call
    name: str
    host: str
    where: str
    sensitive: bool = False


def _endpoint_name(name: str) -> bool:
    words = split_words(name)
    if not words or words[-1] not in _ENDPOINT_HEADS:
        return False
    if any(w in _NOT_ENDPOINT_WORDS for w in words):
        return False
    return any(w in _ENDPOINT_WORDS for w in words[:-1]) or words[-1] == "endpoint"
