"""SR402: FTP, Telnet, SMTP/IMAP/POP3 without STARTTLS, XML-RPC over http://."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import leaves_of
from secreview.rules.cleartext._shared import (
    LOOPBACK,
    PLACEHOLDER,
    classify_host,
    http_url,
    https_edit,
)
from secreview.rules.common import short_source
from secreview.rules.deserialization._shared import TrackingRule

# Protocols with no encryption at all: qualified name -> (protocol, secure alternative).
ALWAYS_CLEARTEXT: dict[str, tuple[str, str]] = {
    "ftplib.FTP": ("FTP", "ftplib.FTP_TLS (and call prot_p()), or SFTP"),
    "telnetlib.Telnet": ("Telnet", "SSH (e.g. paramiko or asyncssh)"),
    "telnetlib3.open_connection": ("Telnet", "SSH (e.g. paramiko or asyncssh)"),
}
# Protocols that can be upgraded in place: qualified name -> (protocol, upgrade method, TLS class).
UPGRADABLE: dict[str, tuple[str, str, str]] = {
    "smtplib.SMTP": ("SMTP", "starttls", "smtplib.SMTP_SSL"),
    "imaplib.IMAP4": ("IMAP", "starttls", "imaplib.IMAP4_SSL"),
    "poplib.POP3": ("POP3", "stls", "poplib.POP3_SSL"),
}
# Their encrypted counterparts, recorded as examined.
TLS_CLIENTS = frozenset(
    {"ftplib.FTP_TLS", "smtplib.SMTP_SSL", "imaplib.IMAP4_SSL", "poplib.POP3_SSL"}
)
XMLRPC_PROXIES = frozenset(
    {"xmlrpc.client.ServerProxy", "xmlrpc.client.Server", "xmlrpclib.ServerProxy"}
)
UPGRADE_METHODS = frozenset({"starttls", "stls"})
# Methods that send credentials.
LOGIN_METHODS = frozenset(
    {"login", "authenticate", "auth", "user", "pass_", "apop", "rpop", "login_cram_md5"}
)


@dataclass(slots=True)
class Connection:
    node: ast.Call
    name: str
    protocol: str
    host: str | None = None
    secured: bool = False
    escapes: bool = False
    logins: list[int] = field(default_factory=list)


class CleartextProtocol(TrackingRule):
    """Talks a cleartext protocol to a remote host: FTP, Telnet, SMTP/IMAP/POP3 without STARTTLS.

    ## What it does
    - `ftplib.FTP` and `telnetlib.Telnet`: reported where they are created, high severity
      (the protocols have no encryption and always carry a login; `ftplib.FTP_TLS` is fine).
    - `smtplib.SMTP`, `imaplib.IMAP4` and `poplib.POP3`: reported when the object is kept in
      a variable and no `starttls()` (`stls()` for POP3) is called on that same variable in
      the same function (for `self.attr`, in any method of the class). STARTTLS behind a
      condition (`if use_tls: server.starttls()`) counts as upgraded. A connection used
      without being stored (`smtplib.SMTP(host).sendmail(...)`) cannot be upgraded and is
      reported; one that is returned to the caller, or passed on unstored, is counted as
      examined. `SMTP_SSL`, `IMAP4_SSL` and `POP3_SSL` are fine.
    - `xmlrpc.client.ServerProxy` with an `http://` URL.

    Connections to loopback hosts (`localhost`, `127.0.0.1`: a local MTA relay) are not
    reported; placeholder hosts (`mail.example.com`) are, since the protocol, not the host, is
    the defect. For SMTP/IMAP/POP3 severity is medium, high when credentials are sent on the connection
    (`login()`, `user()`/`pass_()`) or in the URL. Test code is lowered.

    ## Why is this bad?
    Everything on these connections, passwords included, crosses the network as plain text
    that anyone on the path can read and change: FTP and Telnet send the login in the first
    packets, SMTP/IMAP/POP3 send `AUTH` and the mail itself unless STARTTLS is negotiated
    first.

    ## Example
    ```python
    import os
    import smtplib

    def send_report(message):
        server = smtplib.SMTP("smtp.mailgun.org", 587)
        server.login("reports", os.environ["SMTP_PASSWORD"])
        server.send_message(message)
        server.quit()
    ```

    ## Use instead
    ```python
    import os
    import smtplib
    import ssl

    def send_report(message):
        with smtplib.SMTP("smtp.mailgun.org", 587) as server:
            server.starttls(context=ssl.create_default_context())
            server.login("reports", os.environ["SMTP_PASSWORD"])
            server.send_message(message)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/319.html
    - https://docs.python.org/3/library/smtplib.html#smtplib.SMTP.starttls
    """

    id = "SR402"
    slug = "cleartext-protocol"
    cwe = 319
    title = "Cleartext protocol (FTP, Telnet, SMTP/IMAP/POP3 without STARTTLS)"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    node_types = (*TrackingRule.node_types, ast.Return)
    judged_types = (ast.Assign, ast.AnnAssign, ast.withitem)
    # Connection classes by name; starttls and login methods on a connection by attribute.
    call_leaves = leaves_of(
        ALWAYS_CLEARTEXT,
        UPGRADABLE,
        XMLRPC_PROXIES,
        TLS_CLIENTS,
        UPGRADE_METHODS,
        LOGIN_METHODS,
    )
    in_tests = "lower"

    def __init__(self, walker) -> None:  # type: ignore[no-untyped-def]
        super().__init__(walker)
        self.connections: dict[ast.Call, Connection] = {}
        self.stored: set[ast.Call] = set()  # calls whose result is kept in a name or self.attr

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Return):
            if node.value is not None:
                connection = self._connection_of(node.value)
                if connection is not None:
                    connection.escapes = True
            return
        if (
            isinstance(node, ast.withitem)
            and isinstance(node.context_expr, ast.Call)
            and _simple_target(node.optional_vars)
        ):
            self.stored.add(node.context_expr)
        super().check(node)

    def check_assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if isinstance(node.value, ast.Call) and all(_simple_target(t) for t in targets):
            self.stored.add(node.value)

    def _connection_of(self, expr: ast.expr) -> Connection | None:
        value = self.values.resolve(expr)
        return self.connections.get(value) if isinstance(value, ast.Call) else None

    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        func = node.func
        if isinstance(func, ast.Attribute) and not isinstance(func.value, ast.Call):
            connection = self._connection_of(func.value)
            if connection is not None:
                if func.attr in UPGRADE_METHODS:
                    connection.secured = True
                elif func.attr in LOGIN_METHODS:
                    connection.logins.append(node.lineno)
                return
        name = walker.call_name(node)
        if name in ALWAYS_CLEARTEXT:
            self._check_always(node, name)
        elif name in UPGRADABLE:
            self._check_upgradable(node, name)
        elif name in XMLRPC_PROXIES:
            self._check_xmlrpc(node, name)
        elif name in TLS_CLIENTS:  # for the review: the encrypted clients are sites too
            walker.examine(319, node, "cleartext-connection", "tls-client", f"{name}()")

    def _host(self, node: ast.Call) -> tuple[str, str | None]:
        host = self.walker.argument(node, 0, "host")
        if host is None:
            return "", None
        value = self.walker.const_value(host)
        if isinstance(value, str):
            return classify_host(value), value
        return "", short_source(self.walker, host)

    def _check_always(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        protocol, alternative = ALWAYS_CLEARTEXT[name]
        where, host = self._host(node)
        if where == LOOPBACK:
            walker.examine(319, node, "cleartext-connection", where, f"{name}({host!r})")
            return
        walker.examine(319, node, "cleartext-connection", "flagged", f"{name}()")
        target = f" to `{host}`" if host else ""
        walker.report(
            self,
            node,
            f"{name}() opens an unencrypted {protocol} connection{target}: the login and all "
            "data cross the network in cleartext",
            severity=Severity.HIGH,
            evidence="cleartext protocol",
            fix=Fix(f"use {alternative}"),
        )

    def _check_upgradable(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        where, host = self._host(node)
        if where == LOOPBACK:
            walker.examine(319, node, "cleartext-connection", where, f"{name}({host!r})")
            return
        connection = Connection(node, name, UPGRADABLE[name][0], host=host)
        parent = walker.parent
        if isinstance(parent, ast.Attribute) and parent.value is node:
            # `smtplib.SMTP(host).sendmail(...)`: used once, never upgraded.
            if parent.attr in LOGIN_METHODS:
                connection.logins.append(node.lineno)
            self._report(connection)
        elif node in self.stored:
            self.connections[node] = connection
        else:
            walker.examine(319, node, "cleartext-connection", "untracked", f"{name}() not stored")

    def end_module(self) -> None:
        walker = self.walker
        for node, connection in self.connections.items():
            if connection.secured:
                detail = f"{connection.name}() upgraded with STARTTLS"
                walker.examine(319, node, "cleartext-connection", "starttls", detail)
            elif connection.escapes:
                detail = f"{connection.name}() object is returned to the caller"
                walker.examine(319, node, "cleartext-connection", "untracked", detail)
            else:
                self._report(connection)

    def _report(self, connection: Connection) -> None:
        walker = self.walker
        _, upgrade, tls_class = UPGRADABLE[connection.name]
        target = f" to `{connection.host}`" if connection.host else ""
        if connection.logins:
            severity = Severity.HIGH
            what = f"the login (line {connection.logins[0]}) and the messages"
        else:
            severity = Severity.MEDIUM
            what = "the messages"
        walker.examine(
            319,
            connection.node,
            "cleartext-connection",
            "flagged",
            f"{connection.name}() without {upgrade}()",
        )
        walker.report(
            self,
            connection.node,
            f"{connection.name}() connection{target} is never upgraded with {upgrade}(): "
            f"{what} cross the network in cleartext",
            severity=severity,
            evidence=f"no {upgrade}() call on the object",
            fix=Fix(
                f"call {upgrade}(context=ssl.create_default_context()) right after connecting, "
                f"or use {tls_class}"
            ),
        )

    def _check_xmlrpc(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        url = http_url(walker, self.values, walker.argument(node, 0, "uri"))
        if url is None:
            return
        where = url.where
        if where in (LOOPBACK, "metadata-service"):
            walker.examine(319, node, "cleartext-connection", where, f"{name}({url.shown()})")
            return
        walker.examine(319, node, "cleartext-connection", "flagged", f"{name}() over http://")
        edit = https_edit(walker, url)
        description = "use an https:// URL"
        walker.report(
            self,
            node,
            f"{name}() calls `{url.shown()}` over cleartext HTTP"
            + (" with credentials in the URL" if url.userinfo else ""),
            severity=Severity.HIGH if url.userinfo else Severity.MEDIUM,
            confidence=Confidence.HIGH if url.host and where != PLACEHOLDER else Confidence.MEDIUM,
            evidence="constant URL" if url.complete else "constant URL prefix",
            fix=Fix(description, (edit,), "https://" + url.shown()[7:])
            if edit
            else Fix(description),
        )


def _simple_target(target: ast.expr | None) -> bool:
    return isinstance(target, ast.Name) or (
        isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
    )
