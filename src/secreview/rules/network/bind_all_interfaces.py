"""CWE-1327: servers listening on every network interface."""

from __future__ import annotations

import ast
import re

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule, leaves_of
from secreview.rules.web._shared import dotted, one_line

ALL_INTERFACES = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1", "::0": "::1"}
# Server constructors taking an (address, port) tuple first.
ADDRESS_TUPLE_SERVERS = frozenset(
    {
        "http.server.HTTPServer",
        "http.server.ThreadingHTTPServer",
        "socketserver.TCPServer",
        "socketserver.UDPServer",
        "socketserver.ThreadingTCPServer",
        "socketserver.ThreadingUDPServer",
        "socketserver.ForkingTCPServer",
        "socketserver.ForkingUDPServer",
        "xmlrpc.server.SimpleXMLRPCServer",
        "socket.create_server",
        "gevent.pywsgi.WSGIServer",
        "gevent.server.StreamServer",
        "wsgiref.simple_server.WSGIServer",
        "multiprocessing.connection.Listener",
    }
)
# Calls taking the host as a keyword or at a position: name -> (position, keyword).
HOST_ARGUMENT: dict[str, tuple[int | None, str]] = {
    "uvicorn.run": (None, "host"),
    "waitress.serve": (None, "host"),
    "aiohttp.web.run_app": (None, "host"),
    "hypercorn.run": (None, "host"),
    "wsgiref.simple_server.make_server": (0, "host"),
    "werkzeug.serving.run_simple": (0, "hostname"),
    "werkzeug.run_simple": (0, "hostname"),
    "asyncio.start_server": (1, "host"),
    "bottle.run": (None, "host"),
}
# ZeroMQ endpoints on every interface: "tcp://*:5555", "tcp://0.0.0.0:5555".
_ZMQ_ALL = re.compile(r"^(?:tcp|ws|wss|udp|pgm|epgm)://(?:\*|0\.0\.0\.0|\[::\])[:;]")
# Methods of application and loop objects taking a host: method -> (position, keyword).
HOST_METHODS: dict[str, tuple[int | None, str]] = {
    "run": (0, "host"),  # Flask, Quart, Sanic, socketio.run(app, host=...)
    "create_server": (1, "host"),  # asyncio event loop
    "listen": (1, "address"),  # tornado
}


class BindAllInterfaces(Rule):
    """Starts a server on every network interface (`0.0.0.0`, `""`, `::`).

    ## What it does
    Finds `sock.bind(("0.0.0.0", port))` (also `""` and `"::"`), stdlib servers created with
    such an address (`HTTPServer`, `socketserver.TCPServer`, `socket.create_server`,
    `make_server`), and `app.run(host="0.0.0.0")`, `uvicorn.run(..., host="0.0.0.0")`,
    `waitress.serve`, `aiohttp.web.run_app`, `loop.create_server`, tornado's `listen`.
    Unlike Bandit's B104 it does not flag every `"0.0.0.0"` string, only addresses that are
    bound; an address read from configuration (`os.environ.get("HOST", "0.0.0.0")`) is not
    reported either, since making it configurable is the fix.

    ## Why is this bad?
    A server bound to every interface is reachable from every network the host is on: the
    office Wi-Fi, a cloud VPC, the internet. Development servers (Flask's, with the debugger),
    admin consoles and metrics endpoints are meant for localhost. Inside a container binding
    `0.0.0.0` is needed and expected; keep it configurable so that it is a deployment decision.
    Test code is skipped: tests bind throwaway servers to ephemeral ports.

    ## Example
    ```python
    if __name__ == "__main__":
        app.run(host="0.0.0.0", port=5000)
    ```

    ## Use instead
    ```python
    import os

    if __name__ == "__main__":
        app.run(host=os.environ.get("APP_HOST", "127.0.0.1"), port=5000)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/1327.html
    - https://cwe.mitre.org/data/definitions/605.html
    """

    id = "SR707"
    slug = "bind-all-interfaces"
    cwe = 1327
    related_cwes = (605,)
    title = "Server bound to all network interfaces"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (ast.Call,)
    # Servers of the tables by name, and `sock.bind()` / `app.run()` and the like by method.
    call_leaves = (
        leaves_of(ADDRESS_TUPLE_SERVERS, HOST_ARGUMENT) | {"bind"} | frozenset(HOST_METHODS)
    )
    in_tests = "skip"

    def check(self, node: ast.Call) -> None:
        walker = self.walker
        if walker.test_code:
            return
        name = walker.call_name(node)
        host: ast.expr | None = None
        label = ""
        if name in ADDRESS_TUPLE_SERVERS:
            host = _tuple_host(walker.argument(node, 0, "server_address"))
            label = name
        elif name in HOST_ARGUMENT:
            position, keyword = HOST_ARGUMENT[name]
            host = walker.argument(node, position, keyword)
            label = name
        elif isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method != "bind" and method not in HOST_METHODS:
                return
            receiver = dotted(node.func.value) or one_line(walker, node.func.value, 30)
            if method == "bind" and len(node.args) == 1 and not node.keywords:
                endpoint = walker.const_value(node.args[0])
                if isinstance(endpoint, str) and _ZMQ_ALL.match(endpoint):
                    self._report_endpoint(node, f"{receiver}.bind", endpoint)
                    return
                host = _tuple_host(node.args[0])
                label = f"{receiver}.bind"
            elif method in HOST_METHODS:
                position, keyword = HOST_METHODS[method]
                if method == "run":
                    host = walker.keyword(node, keyword)  # app.run(host=...); positional is rare
                else:
                    host = walker.argument(node, position, keyword)
                label = f"{receiver}.{method}"
        if host is None:
            return
        value = walker.const_value(host)
        if not isinstance(value, str):
            if not walker.is_constant(host):
                walker.examine(1327, node, "listen-address", "configurable", f"{label}()")
            return
        if value not in ALL_INTERFACES:
            walker.examine(1327, node, "listen-address", "specific-interface", f"{label}()")
            return
        walker.examine(1327, node, "listen-address", "flagged", f"{label}() on {value!r}")
        shown = f'"{value}"' if value else '"" (INADDR_ANY)'
        local = ALL_INTERFACES[value]
        description = f"listen on {local} (localhost), or read the address from configuration"
        fix = (
            walker.replace_fix(host, f'"{local}"', description)
            if isinstance(host, ast.Constant)
            else Fix(description)
        )
        walker.report(
            self,
            node,
            f"{label}() listens on {shown}, i.e. on every network interface of the host",
            evidence="constant argument",
            fix=fix,
        )

    def _report_endpoint(self, node: ast.Call, label: str, endpoint: str) -> None:
        self.walker.examine(1327, node, "listen-address", "flagged", f"{label}() on {endpoint!r}")
        self.walker.report(
            self,
            node,
            f"{label}() binds {endpoint!r}, i.e. every network interface of the host",
            evidence="constant argument",
            fix=Fix("bind tcp://127.0.0.1:<port>, or read the endpoint from configuration"),
        )


def _tuple_host(address: ast.expr | None) -> ast.expr | None:
    if isinstance(address, ast.Tuple) and len(address.elts) >= 2:
        return address.elts[0]
    return None
