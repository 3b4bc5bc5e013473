"""CWE-400: HTTP requests that can wait forever."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from secreview.findings import Confidence, Severity
from secreview.parsing.names import BindingKind
from secreview.rules.base import Rule, leaves_of
from secreview.rules.web._shared import add_keyword_fix, dotted

HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
REQUESTS_FUNCTIONS = frozenset(
    {f"requests.{m}" for m in HTTP_METHODS} | {f"requests.api.{m}" for m in HTTP_METHODS}
)
REQUESTS_SESSIONS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session"})
# httpx has a 5 s default; only an explicit timeout=None is a problem.
HTTPX_CALLS = frozenset(
    {f"httpx.{m}" for m in HTTP_METHODS} | {"httpx.stream", "httpx.Client", "httpx.AsyncClient"}
)
URLOPEN = frozenset(
    {"urllib.request.urlopen", "urllib2.urlopen", "six.moves.urllib.request.urlopen"}
)
FIX_TEXT = "timeout=10"
FIX_DESCRIPTION = "pass a timeout (seconds; a (connect, read) tuple also works for requests)"


@dataclass(slots=True)
class _SessionCall:
    node: ast.Call
    keys: tuple[tuple[str, str], ...]  # where the receiver may have been bound
    method: str
    receiver: str
    outside: bool  # the URL reads a parameter or the request (judged where the call is)


class RequestWithoutTimeout(Rule):
    """Makes an HTTP request without a timeout, so a silent server blocks the caller forever.

    ## What it does
    Finds calls of `requests.get/post/put/patch/delete/head/options/request` without a
    `timeout` argument (or with `timeout=None`), the same methods on a `requests.Session()`
    created in the same function, in the module or assigned to `self.<name>` in the class (not
    when an adapter is mounted on it, a common way to set a default timeout),
    `urllib.request.urlopen()` without a timeout, and httpx calls and clients with an explicit
    `timeout=None` (httpx's default is 5 seconds). Calls passing `**kwargs` are not reported:
    the timeout may be among them.

    ## Why is this bad?
    Neither requests nor urllib time out by default. A server that accepts the connection and
    never answers (or trickles one byte a minute) holds the calling thread or worker forever;
    a few such requests exhaust a web server's workers: a denial of service that an attacker
    who controls the URL, or the remote server, can trigger at will.
    Severity says what to act on: a URL whose server comes from a parameter of the function or
    from the request (someone else may pick a server that never answers) is reported with
    medium severity; a request to the program's own endpoint (`self.endpoint + "/charges"`, a
    setting, a constant host with a variable path) with low severity: hardening, since only
    that server's failure stalls the call.

    Test code is skipped: a hung test is caught by the test runner's own timeout.

    ## Example
    ```python
    import requests

    def fetch_avatar(url):
        return requests.get(url).content
    ```

    ## Use instead
    ```python
    import requests

    def fetch_avatar(url):
        return requests.get(url, timeout=10).content
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/400.html
    - https://requests.readthedocs.io/en/latest/user/advanced/#timeouts
    """

    id = "SR708"
    slug = "request-without-timeout"
    cwe = 400
    title = "HTTP request without a timeout"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    node_types = (ast.Call, ast.Assign, ast.withitem)
    # The functions of the tables by name, and the HTTP methods and `mount()` of sessions.
    call_leaves = leaves_of(REQUESTS_FUNCTIONS, HTTPX_CALLS, URLOPEN) | HTTP_METHODS | {"mount"}
    in_tests = "skip"

    def begin_module(self) -> None:
        self.sessions: set[tuple[str, str]] = set()
        self.mounted: set[tuple[str, str]] = set()
        self.session_calls: list[_SessionCall] = []

    def check(self, node: ast.AST) -> None:
        if self.walker.test_code:
            return
        if isinstance(node, ast.Call):
            self._call(node)
        elif isinstance(node, ast.Assign):
            if self._is_session(node.value):
                for target in node.targets:
                    key = self._key(target)
                    if key is not None:
                        self.sessions.add(key)
        elif (
            isinstance(node, ast.withitem)
            and node.optional_vars is not None
            and self._is_session(node.context_expr)
        ):
            key = self._key(node.optional_vars)
            if key is not None:
                self.sessions.add(key)

    def _is_session(self, value: ast.expr) -> bool:
        return isinstance(value, ast.Call) and self.walker.call_name(value) in REQUESTS_SESSIONS

    def _key(self, target: ast.expr) -> tuple[str, str] | None:
        scope = self.walker.scope_name
        if isinstance(target, ast.Name):
            return scope, target.id
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        ):
            return scope.rpartition(".")[0], f"self.{target.attr}"
        return None

    def _receiver_keys(self, receiver: ast.expr) -> tuple[tuple[str, str], ...]:
        scope = self.walker.scope_name
        if isinstance(receiver, ast.Name):
            return (scope, receiver.id), ("", receiver.id)
        if (
            isinstance(receiver, ast.Attribute)
            and isinstance(receiver.value, ast.Name)
            and receiver.value.id == "self"
        ):
            return ((scope.rpartition(".")[0], f"self.{receiver.attr}"),)
        return ()

    def _call(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        if name in REQUESTS_FUNCTIONS:
            self._requests(node, name)
        elif name in HTTPX_CALLS:
            timeout = walker.keyword(node, "timeout")
            if timeout is not None and isinstance(timeout, ast.Constant) and timeout.value is None:
                self._report(node, name, timeout, "timeout=None disables httpx's default timeout")
            else:
                walker.examine(400, node, "network-call", "timeout", f"{name}()")
        elif name in URLOPEN:
            timeout = walker.argument(node, 2, "timeout")
            self._check_timeout(node, name, timeout, "urllib has no default timeout")
        elif isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            method = node.func.attr
            if method in HTTP_METHODS and self._is_session(receiver):
                self._requests(node, f"requests.Session().{method}")
            elif method in HTTP_METHODS or method == "mount":
                keys = self._receiver_keys(receiver)
                if not keys:
                    return
                if method == "mount":
                    self.mounted.update(keys)
                else:
                    self.session_calls.append(
                        _SessionCall(
                            node, keys, method, dotted(receiver), self._url_from_outside(node)
                        )
                    )

    def _requests(self, node: ast.Call, label: str) -> None:
        if any(k.arg is None for k in node.keywords):
            self.walker.examine(400, node, "network-call", "kwargs", f"{label}(**kwargs)")
            return
        timeout = self.walker.keyword(node, "timeout")
        self._check_timeout(node, label, timeout, "requests has no default timeout")

    def _check_timeout(
        self, node: ast.Call, label: str, timeout: ast.expr | None, why: str
    ) -> None:
        walker = self.walker
        if timeout is None:
            if any(k.arg is None for k in node.keywords):
                walker.examine(400, node, "network-call", "kwargs", f"{label}(**kwargs)")
                return
            self._report(node, label, None, why)
        elif isinstance(timeout, ast.Constant) and timeout.value is None:
            self._report(node, label, timeout, f"timeout=None waits forever ({why})")
        else:
            walker.examine(400, node, "network-call", "timeout", f"{label}()")

    def _report(
        self,
        node: ast.Call,
        label: str,
        timeout: ast.expr | None,
        why: str,
        confidence: Confidence | None = None,
        outside: bool | None = None,
    ) -> None:
        walker = self.walker
        state = "without a timeout" if timeout is None else "with timeout=None"
        walker.examine(400, node, "network-call", "flagged", f"{label}() {state}")
        if timeout is not None:
            fix = walker.replace_fix(timeout, "10", FIX_DESCRIPTION)
            message = f"{label}() with {why}: if the server stops answering, the call never returns"
        else:
            fix = add_keyword_fix(walker, node, FIX_TEXT, FIX_DESCRIPTION)
            message = (
                f"{label}() without a timeout ({why}): if the server stops answering, the call "
                "never returns"
            )
        severity = None
        if not (self._url_from_outside(node) if outside is None else outside):
            # The program's own endpoint (an attribute, a setting, a URL built here): a server
            # that stops answering stalls this call, which a timeout fixes, but nobody outside
            # chooses where it goes. Hardening advice.
            severity = Severity.LOW
            message += "; the server is the program's own, not chosen by the request or a caller"
        walker.report(
            self,
            node,
            message,
            severity=severity,
            confidence=confidence,
            evidence="missing argument" if timeout is None else "constant argument",
            fix=fix,
        )

    def _url_from_outside(self, node: ast.Call) -> bool:
        """Whether the URL's server comes from a parameter of the function or the request."""
        walker = self.walker
        method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        name = walker.call_name(node) or ""
        position = 1 if method == "request" or name.endswith(".request") else 0
        url = _head(walker.argument(node, position, "url"))
        if url is None:
            return False
        for inner in ast.walk(url):
            if isinstance(inner, ast.Name) and inner.id not in ("self", "cls"):
                if inner.id in ("request", "req"):
                    return True
                binding = walker.names.lookup(inner.id)
                if binding is not None and binding.kind is BindingKind.PARAMETER:
                    return True
        return False

    def end_module(self) -> None:
        for call in self.session_calls:
            keys = [k for k in call.keys if k in self.sessions]
            if not keys:
                continue
            if any(k in self.mounted for k in keys):
                self.walker.examine(
                    400,
                    call.node,
                    "network-call",
                    "adapter-mounted",
                    f"{call.receiver}.{call.method}()",
                )
                continue
            label = f"{call.receiver}.{call.method}"
            if any(k.arg is None for k in call.node.keywords):
                self.walker.examine(400, call.node, "network-call", "kwargs", f"{label}(**kwargs)")
                continue
            timeout = self.walker.keyword(call.node, "timeout")
            if timeout is None:
                self._report(
                    call.node,
                    label,
                    None,
                    "a requests.Session has no default timeout",
                    confidence=Confidence.MEDIUM,
                    outside=call.outside,
                )
            elif isinstance(timeout, ast.Constant) and timeout.value is None:
                self._report(
                    call.node,
                    label,
                    timeout,
                    "timeout=None waits forever",
                    confidence=Confidence.MEDIUM,
                    outside=call.outside,
                )
            else:
                self.walker.examine(400, call.node, "network-call", "timeout", f"{label}()")


def _head(url: ast.expr | None) -> ast.expr | None:
    """The part of a built URL that names the server: `self.endpoint` in
    `f"{self.endpoint}/refunds/{charge_id}"` or `self.endpoint + "/charges"`; None for a
    constant head (`"https://api.example.com/" + path`)."""
    while True:
        match url:
            case ast.JoinedStr(values=[first, *_]):
                url = first.value if isinstance(first, ast.FormattedValue) else None
            case ast.BinOp(op=ast.Add(), left=left):
                url = left
            case (
                ast.BinOp(op=ast.Mod(), left=template)
                | ast.Call(func=ast.Attribute(attr="format", value=template))
            ) if not isinstance(template, ast.Constant):
                url = template
            case ast.BinOp(op=ast.Mod(), left=ast.Constant(value=str() as text), right=right):
                url = right if text.startswith("%") or "://%" in text else None
            case ast.Call(func=ast.Attribute(attr="format"), args=[first, *_]) if isinstance(
                url.func.value, ast.Constant
            ) and str(url.func.value.value).startswith(("{", "http://{", "https://{")):
                url = first
            case ast.Call(func=ast.Attribute(attr="format")):
                url = None
            case ast.Constant():
                return None
            case _:
                return url
