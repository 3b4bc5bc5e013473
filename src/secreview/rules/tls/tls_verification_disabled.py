"""SR403: TLS certificate or SSH host key verification turned off."""

from __future__ import annotations

import ast
import re
from typing import Any

from secreview.findings import Confidence, Fix, Severity
from secreview.parsing.names import NOT_CONSTANT
from secreview.rules.cleartext.cleartext_http_url import CLIENT_CLASSES, URL_FUNCTIONS
from secreview.rules.common import judges_call, short_source
from secreview.rules.deserialization._shared import TrackingRule
from secreview.rules.fixes import module_reference

# Calls whose `verify=False` turns certificate checks off.
VERIFY_CALLS = frozenset(
    {
        *(n for n in URL_FUNCTIONS if n.startswith(("requests.", "httpx."))),
        "httpx.Client",
        "httpx.AsyncClient",
        "httpx.HTTPTransport",
        "httpx.AsyncHTTPTransport",
        "boto3.client",
        "boto3.resource",
        "hvac.Client",
    }
)
# Calls whose `ssl=False` / `verify_ssl=False` does the same (aiohttp).
AIOHTTP_CALLS = frozenset({"aiohttp.TCPConnector", "aiohttp.request", "aiohttp.ClientSession"})
HTTP_METHODS = frozenset(
    {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "request",
        "send",
        "stream",
        "ws_connect",
    }
)
CLIENT_FACTORIES = frozenset({"client", "resource", "create_client"})  # boto3 sessions
SSL_CONTEXTS = frozenset(
    {
        "ssl.create_default_context",
        "ssl.SSLContext",
        "urllib3.util.ssl_.create_urllib3_context",
        "urllib3.util.create_urllib3_context",
    }
)
UNVERIFIED_CONTEXT = frozenset({"ssl._create_unverified_context"})
CERT_NONE = frozenset({"ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"})
AUTO_ACCEPT_POLICIES = {
    "paramiko.AutoAddPolicy": "AutoAddPolicy",
    "paramiko.client.AutoAddPolicy": "AutoAddPolicy",
    "paramiko.WarningPolicy": "WarningPolicy",
    "paramiko.client.WarningPolicy": "WarningPolicy",
}
PYCURL_VERIFY = frozenset({"pycurl.SSL_VERIFYPEER", "pycurl.SSL_VERIFYHOST"})
# Keywords judged on a call of any function (`cert_reqs=CERT_NONE` on urllib3 pools, ...,
# `ssl=False` on any method of an aiohttp session), and the ones judged on known calls.
ANY_CALL_KEYWORDS = frozenset({"cert_reqs", "verify_certs", "ssl", "verify_ssl"})
VERIFY_KEYWORDS = frozenset({*ANY_CALL_KEYWORDS, "verify"})
# The calls judged without any of those keywords: by resolved name, and by method name.
KEYWORDLESS_CALLS = frozenset({*UNVERIFIED_CONTEXT, "ssl.wrap_socket"})
KEYWORDLESS_METHODS = frozenset({"set_missing_host_key_policy", "setopt"})
# A condition about verification: `if not validate_certs:`, `if conf.ssl_cert_verify:` (with
# the disabling in its `else`), `if ssl_options["cert_reqs"] == ssl.CERT_NONE:`.
_OPTION = re.compile(r"verif|validat|cert|insecure|strict|check_host|host_?key", re.IGNORECASE)
_SESSIONISH = re.compile(r"(session|sess|client|http|conn|api)", re.IGNORECASE)


class TlsVerificationDisabled(TrackingRule):
    """Turns off TLS certificate verification (or SSH host key checking).

    ## What it does
    Finds:
    - `verify=False` on `requests.*` / `httpx.*` calls, `httpx.Client`/`AsyncClient`, the
      HTTP methods of `requests.Session`, `httpx` and `urllib3` clients (confidence medium
      when the object could not be followed to its constructor), `boto3.client/resource`;
      `ssl=False` / `verify_ssl=False` for aiohttp; `session.verify = False` (on a session
      object, or a variable named like one: medium confidence);
    - `ssl._create_unverified_context()` and `ssl._create_default_https_context =
      ssl._create_unverified_context` (which turns verification off process-wide);
    - `ctx.verify_mode = ssl.CERT_NONE` (high) and `ctx.check_hostname = False` (medium;
      folded into the `CERT_NONE` finding when both are set on the same context; `self.`
      assignments, i.e. a class implementing a context, are not reported);
    - `cert_reqs=ssl.CERT_NONE` / `"CERT_NONE"` on any call (urllib3 pools, `ssl.wrap_socket`),
      and client-side `ssl.wrap_socket()` without `cert_reqs` (its default is `CERT_NONE`);
    - `pycurl` `setopt(SSL_VERIFYPEER/SSL_VERIFYHOST, 0)`;
    - paramiko `set_missing_host_key_policy(AutoAddPolicy())` / `WarningPolicy()` (CWE-295
      as well: the server's identity is not checked).

    Code that turns verification off only when a setting about verification asks for it
    (`if not conf.ssl_cert_verify: session.verify = False`, the `else` of
    `if request.validate_cert:`) implements an option for deployments that cannot verify (a lab device with a self-signed
    certificate): it is reported with low severity, as advice to keep the option off by default.
    Verification turned off whatever the configuration keeps its severity.

    `verify=False` on other functions is not reported (`jwt.decode(token, verify=False)` is a
    signature check, not TLS). In test code, where local test servers often have self-signed
    certificates, findings are lowered.

    ## Why is this bad?
    Without certificate verification, TLS still encrypts, but to whoever answers: anyone who
    can intercept the connection (hostile Wi-Fi, DNS spoofing, a compromised proxy) presents
    their own certificate, reads every request including credentials, and changes the
    responses. Accepting unknown SSH host keys is the same attack on SSH.

    ## Example
    ```python
    import requests

    def fetch_invoices(token):
        return requests.get(
            "https://erp.partner.com/api/invoices",
            headers={"Authorization": token},
            verify=False,
            timeout=10,
        ).json()
    ```

    ## Use instead
    ```python
    import requests

    def fetch_invoices(token):
        return requests.get(
            "https://erp.partner.com/api/invoices",
            headers={"Authorization": token},
            verify="/etc/ssl/certs/partner-ca.pem",  # or True (the default)
            timeout=10,
        ).json()
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/295.html
    - https://docs.python.org/3/library/ssl.html#security-considerations
    - https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification
    """

    id = "SR403"
    slug = "tls-verification-disabled"
    cwe = 295
    title = "TLS certificate verification disabled"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    node_types = TrackingRule.node_types
    judged_types = (ast.Assign, ast.AnnAssign)
    # None: `cert_reqs=`, `verify_certs=`, `ssl=` / `verify_ssl=` are judged on calls of any
    # name, so no set of leaves holds every call this rule acts on. `check_call` drops the
    # calls without those keywords first, cheaply.
    call_leaves = None
    in_tests = "lower"

    def __init__(self, walker) -> None:  # type: ignore[no-untyped-def]
        super().__init__(walker)
        # (function, context text) -> pending `check_hostname = False` statements
        self.hostname_off: dict[tuple[int, str], tuple[ast.stmt, Confidence, str | None]] = {}
        self.cert_none_keys: set[tuple[int, str]] = set()

    # -- calls -------------------------------------------------------------------------------
    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        func = node.func
        name = walker.call_name(node)
        if not judges_call(node, name, KEYWORDLESS_CALLS, KEYWORDLESS_METHODS, VERIFY_KEYWORDS):
            return  # most calls have none of those keywords
        if name in UNVERIFIED_CONTEXT:
            self._report_unverified_context(node, name)
            return
        cert_reqs = walker.keyword(node, "cert_reqs")
        if name == "ssl.wrap_socket":
            self._check_wrap_socket(node)
        elif cert_reqs is not None and self._is_cert_none(cert_reqs):
            self._report_cert_none_kwarg(node, name, cert_reqs)
        if isinstance(func, ast.Attribute):
            if func.attr == "set_missing_host_key_policy":
                self._check_host_key_policy(node)
                return
            if func.attr == "setopt":
                self._check_pycurl(node)
                return
        self._check_verify_kwargs(node, name)

    def _check_verify_kwargs(self, node: ast.Call, name: str | None) -> None:
        walker = self.walker
        for keyword in ("verify", "verify_ssl", "ssl", "verify_certs"):
            value = walker.keyword(node, keyword)
            if value is None:
                continue
            folded = walker.const_value(value)
            if folded is NOT_CONSTANT or folded is None or folded:
                continue  # a CA bundle path, an SSLContext, True, or not known
            target, confidence = self._verify_target(node, name, keyword)
            if target is None:
                continue
            walker.examine(295, node, "tls-verification", "flagged", f"{target}({keyword}=False)")
            self._report(
                node,
                f"{target}() with {keyword}={short_source(walker, value)} does not verify the "
                "server's TLS certificate: anyone on the network path can impersonate it",
                self._optional(),
                confidence=confidence,
                evidence=f"{keyword}=False argument",
                fix=walker.replace_fix(
                    value,
                    "True",
                    "verify certificates (the default); for a private CA pass the CA bundle path",
                ),
            )
            return

    def _verify_target(
        self, node: ast.Call, name: str | None, keyword: str
    ) -> tuple[str | None, Confidence]:
        """What `keyword=False` is passed to, if it is a TLS client; and how sure that is."""
        if keyword == "verify_certs":
            return (name or _method_text(self.walker, node)), Confidence.HIGH
        if keyword in ("ssl", "verify_ssl"):
            if name in AIOHTTP_CALLS:
                return name, Confidence.HIGH
            client = self._client_of(node)
            if client == "aiohttp.ClientSession":
                return f"{client}.{node.func.attr}", Confidence.HIGH  # type: ignore[attr-defined]
            return None, Confidence.LOW
        if name in VERIFY_CALLS:
            return name, Confidence.HIGH
        func = node.func
        if not isinstance(func, ast.Attribute):
            return None, Confidence.LOW
        client = self._client_of(node)
        if client is not None and func.attr in HTTP_METHODS:
            return f"{client}.{func.attr}", Confidence.HIGH
        if func.attr in HTTP_METHODS or func.attr in CLIENT_FACTORIES:
            return _method_text(self.walker, node), Confidence.MEDIUM
        return None, Confidence.LOW

    def _client_of(self, node: ast.Call) -> str | None:
        func = node.func
        if not isinstance(func, ast.Attribute):
            return None
        origin = self.values.origin_call(func.value)
        if origin is not None and origin[1] in CLIENT_CLASSES:
            return origin[1]
        name = self.walker.call_name(node)
        if name is not None and name.rpartition(".")[0] in CLIENT_CLASSES:
            return name.rpartition(".")[0]
        return None

    def _report_unverified_context(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        walker.examine(295, node, "tls-verification", "flagged", f"{name}()")
        description = "use ssl.create_default_context(), which verifies certificates and host names"
        if node.args or node.keywords:
            fix = Fix(description)
        elif isinstance(node.func, ast.Attribute):
            fix = walker.replace_fix(
                node, f"{walker.segment(node.func.value)}.create_default_context()", description
            )
        elif (found := module_reference(walker, "ssl")) is not None:
            module, imports = found
            base = walker.replace_fix(node, f"{module}.create_default_context()", description)
            fix = Fix(base.description, base.edits + imports, base.replacement)
        else:
            fix = Fix(description)
        walker.report(
            self,
            node,
            f"{name}() makes a TLS context that accepts any certificate for any host",
            evidence="call of an unverified-context factory",
            fix=fix,
        )

    def _is_cert_none(self, expr: ast.expr) -> bool:
        return self.walker.qualname(expr) in CERT_NONE or self.walker.const_value(expr) in (
            "CERT_NONE",
            "NONE",
        )

    def _report_cert_none_kwarg(self, node: ast.Call, name: str | None, value: ast.expr) -> None:
        walker = self.walker
        target = name or _method_text(walker, node)
        walker.examine(295, node, "tls-verification", "flagged", f"{target}(cert_reqs=CERT_NONE)")
        self._report(
            node,
            f"{target}() with cert_reqs={short_source(walker, value)} accepts any server certificate",
            self._optional(),
            evidence="cert_reqs argument",
            fix=_cert_required_fix(
                walker, value, "require certificates (CERT_REQUIRED) and pass a CA bundle"
            ),
        )

    def _check_wrap_socket(self, node: ast.Call) -> None:
        walker = self.walker
        server_side = walker.const_value(walker.argument(node, 3, "server_side"))
        cert_reqs = walker.argument(node, 4, "cert_reqs")
        if cert_reqs is not None and self._is_cert_none(cert_reqs):
            self._report_cert_none_kwarg(node, "ssl.wrap_socket", cert_reqs)
            return
        if server_side is True or cert_reqs is not None:
            verdict = "server-side" if server_side is True else "cert-reqs"
            walker.examine(295, node, "tls-verification", verdict, "ssl.wrap_socket()")
            return
        if any(k.arg is None for k in node.keywords) or any(
            isinstance(a, ast.Starred) for a in node.args
        ):
            walker.examine(295, node, "tls-verification", "unknown", "ssl.wrap_socket(**options)")
            return
        walker.examine(
            295, node, "tls-verification", "flagged", "ssl.wrap_socket() without cert_reqs"
        )
        walker.report(
            self,
            node,
            "ssl.wrap_socket() without cert_reqs does not verify the server certificate (its "
            "default is CERT_NONE) nor the host name",
            severity=Severity.MEDIUM,
            confidence=Confidence.MEDIUM,
            evidence="missing cert_reqs argument (default CERT_NONE)",
            fix=Fix(
                "use ssl.create_default_context().wrap_socket(sock, server_hostname=host); "
                "ssl.wrap_socket() was removed in Python 3.12"
            ),
        )

    def _check_host_key_policy(self, node: ast.Call) -> None:
        walker = self.walker
        policy = walker.argument(node, 0, "policy")
        if policy is None:
            return
        target = policy.func if isinstance(policy, ast.Call) else policy
        kind = AUTO_ACCEPT_POLICIES.get(walker.qualname(target) or "")
        if kind is None:
            walker.examine(
                295,
                node,
                "ssh-host-key",
                "policy",
                f"set_missing_host_key_policy({short_source(walker, policy)})",
            )
            return
        walker.examine(295, node, "ssh-host-key", "flagged", f"set_missing_host_key_policy({kind})")
        self._report(
            node,
            f"set_missing_host_key_policy({kind}) accepts any SSH host key"
            + (" (after a warning)" if kind == "WarningPolicy" else "")
            + ": the server's identity is never checked",
            self._optional(),
            evidence="host key policy argument",
            fix=Fix(
                "load known hosts (client.load_system_host_keys() or load_host_keys(path)) and "
                "keep paramiko.RejectPolicy()"
            ),
        )

    def _check_pycurl(self, node: ast.Call) -> None:
        walker = self.walker
        if len(node.args) != 2:
            return
        option_expr = node.args[0]
        option = walker.qualname(option_expr)
        if option not in PYCURL_VERIFY and not (
            isinstance(option_expr, ast.Attribute)
            and option_expr.attr in ("SSL_VERIFYPEER", "SSL_VERIFYHOST")
        ):
            return
        option = walker.segment(option_expr)
        value = walker.const_value(node.args[1])
        if value is NOT_CONSTANT or value:
            walker.examine(295, node, "tls-verification", "verified", f"setopt({option})")
            return
        walker.examine(295, node, "tls-verification", "flagged", f"setopt({option}, 0)")
        self._report(
            node,
            f"setopt({option}, {short_source(walker, node.args[1])}) turns off TLS verification",
            self._optional(),
            evidence="curl option argument",
            fix=walker.replace_fix(
                node.args[1], "2" if option.endswith("HOST") else "1", "keep verification on"
            ),
        )

    # -- assignments -------------------------------------------------------------------------
    def check_assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        walker = self.walker
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if value is None:
            return
        for target in targets:
            if not isinstance(target, ast.Attribute):
                continue
            if isinstance(target.value, ast.Name) and target.value.id == "self":
                if target.attr in ("verify_mode", "check_hostname"):
                    # A class that implements a context (a shim), not code that uses one.
                    walker.examine(
                        295, node, "tls-verification", "own-attribute", f"self.{target.attr}"
                    )
                continue
            if walker.qualname(target) == "ssl._create_default_https_context":
                self._check_global_default(node, value)
            elif target.attr == "verify_mode" and self._is_cert_none(value):
                self._report_cert_none_attr(node, target, value)
            elif target.attr == "check_hostname" and walker.const_value(value) is False:
                self.hostname_off[self._key(target)] = (
                    node,
                    self._context_confidence(target),
                    self._optional(),
                )
            elif target.attr == "verify" and walker.const_value(value) is False:
                self._check_session_verify(node, target, value)

    def _optional(self) -> str | None:
        """Why turning verification off here is an option, not a decision: the statement runs
        only when a setting about verification says so. Such code implements `verify=False`
        for whoever configures it. (A variable that is off on some paths is not enough: where
        it is set, the option may be forced off for good.)"""
        walker = self.walker
        for ancestor in reversed(walker.ancestors):
            if isinstance(ancestor, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                break
            if isinstance(ancestor, ast.If | ast.IfExp) and _OPTION.search(
                walker.segment(ancestor.test)
            ):
                return f"only when `{short_source(walker, ancestor.test)}` asks for it"
        return None

    def _report(self, node: ast.AST, message: str, option: str | None, **kwargs: Any) -> None:
        """Report; turning verification off on a setting's request is low-severity advice."""
        if option is not None:
            kwargs["severity"] = Severity.LOW
            kwargs["confidence"] = Confidence.LOW
            kwargs["evidence"] = f"{kwargs.get('evidence', 'verification off')}, optional"
            message = (
                f"{message}; {option}: an option for deployments that cannot verify (check "
                "that it is off by default and documented)"
            )
        self.walker.report(self, node, message, **kwargs)

    def _key(self, target: ast.Attribute) -> tuple[int, str]:
        return id(self.walker.function), self.walker.segment(target.value)

    def _context_confidence(self, target: ast.Attribute) -> Confidence:
        origin = self.values.origin_call(target.value)
        return (
            Confidence.HIGH
            if origin is not None and origin[1] in SSL_CONTEXTS
            else Confidence.MEDIUM
        )

    def _check_global_default(self, node: ast.stmt, value: ast.expr) -> None:
        walker = self.walker
        if walker.qualname(value) not in UNVERIFIED_CONTEXT:
            return
        walker.examine(
            295, node, "tls-verification", "flagged", "ssl._create_default_https_context replaced"
        )
        walker.report(
            self,
            node,
            "ssl._create_default_https_context = ssl._create_unverified_context turns off "
            "certificate verification for every urllib/http.client connection of the process",
            evidence="assignment of the unverified-context factory",
            fix=Fix("delete this assignment; install the missing CA certificates instead"),
        )

    def _report_cert_none_attr(
        self, node: ast.stmt, target: ast.Attribute, value: ast.expr
    ) -> None:
        walker = self.walker
        key = self._key(target)
        self.cert_none_keys.add(key)
        shown = walker.segment(target.value)
        walker.examine(295, node, "tls-verification", "flagged", f"{shown}.verify_mode = CERT_NONE")
        fix = _cert_required_fix(
            walker, value, "keep ssl.CERT_REQUIRED (and check_hostname = True)"
        )
        hostname_off = self.hostname_off.get(key)
        if fix.edits and hostname_off is not None:
            # CERT_NONE needed check_hostname off first; with CERT_REQUIRED back, that
            # assignment alone would still accept any host name, so the fix turns it on too.
            hostname_value = getattr(hostname_off[0], "value", None)
            if isinstance(hostname_value, ast.expr):
                on = walker.replace_fix(hostname_value, "True", fix.description)
                fix = Fix(fix.description, on.edits + fix.edits, fix.replacement)
        self._report(
            node,
            f"`{shown}.verify_mode = {short_source(walker, value)}` makes the TLS context accept "
            "any certificate",
            self._optional(),
            confidence=self._context_confidence(target),
            evidence="assignment of CERT_NONE",
            fix=fix,
        )

    def _check_session_verify(self, node: ast.stmt, target: ast.Attribute, value: ast.expr) -> None:
        walker = self.walker
        origin = self.values.origin_call(target.value)
        shown = walker.segment(target.value)
        if origin is not None and origin[1] in CLIENT_CLASSES:
            confidence, evidence = Confidence.HIGH, "assignment on a session object"
        elif _SESSIONISH.search(shown.rpartition(".")[2]):
            confidence, evidence = Confidence.MEDIUM, "name heuristic"
        else:
            walker.examine(295, node, "tls-verification", "unknown", f"{shown}.verify = False")
            return
        walker.examine(295, node, "tls-verification", "flagged", f"{shown}.verify = False")
        self._report(
            node,
            f"`{shown}.verify = False` turns off certificate verification for every request of the session",
            self._optional(),
            confidence=confidence,
            evidence=evidence,
            fix=walker.replace_fix(
                value,
                "True",
                "keep verification on; for a private CA set verify to the CA bundle path",
            ),
        )

    def end_module(self) -> None:
        walker = self.walker
        for key, (node, confidence, option) in self.hostname_off.items():
            shown = key[1]
            if key in self.cert_none_keys:
                walker.examine(
                    295,
                    node,
                    "tls-verification",
                    "with-cert-none",
                    f"{shown}.check_hostname = False",
                )
                continue
            walker.examine(
                295, node, "tls-verification", "flagged", f"{shown}.check_hostname = False"
            )
            self._report(
                node,
                f"`{shown}.check_hostname = False`: any valid certificate, for any host name, is "
                "accepted",
                option,
                severity=Severity.MEDIUM,
                confidence=confidence,
                evidence="assignment of check_hostname",
                fix=Fix(
                    "keep check_hostname = True and pass server_hostname= when wrapping sockets"
                ),
            )


def _method_text(walker, node: ast.Call) -> str:  # type: ignore[no-untyped-def]
    return short_source(walker, node.func, 40)


def _cert_required_fix(walker, value: ast.expr, description: str) -> Fix:  # type: ignore[no-untyped-def]
    """`ssl.CERT_NONE` -> `ssl.CERT_REQUIRED`, `"CERT_NONE"` -> `"CERT_REQUIRED"`."""
    if isinstance(value, ast.Constant):
        replacement = '"CERT_REQUIRED"' if value.value == "CERT_NONE" else '"REQUIRED"'
    elif isinstance(value, ast.Attribute):
        replacement = f"{walker.segment(value.value)}.CERT_REQUIRED"
    else:
        return Fix(description)
    return walker.replace_fix(value, replacement, description)
