"""SR404: SSL 2/3, TLS 1.0/1.1 and weak cipher suites."""

from __future__ import annotations

import ast
import re

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.common import judges_call, short_source
from secreview.rules.deserialization._shared import TrackingRule

# Protocol constants: qualified name -> (protocol, severity).
WEAK_PROTOCOLS: dict[str, tuple[str, Severity]] = {
    "ssl.PROTOCOL_SSLv2": ("SSLv2", Severity.HIGH),
    "ssl.PROTOCOL_SSLv3": ("SSLv3", Severity.HIGH),
    "ssl.PROTOCOL_TLSv1": ("TLS 1.0", Severity.MEDIUM),
    "ssl.PROTOCOL_TLSv1_1": ("TLS 1.1", Severity.MEDIUM),
    "OpenSSL.SSL.SSLv2_METHOD": ("SSLv2", Severity.HIGH),
    "OpenSSL.SSL.SSLv3_METHOD": ("SSLv3", Severity.HIGH),
    "OpenSSL.SSL.TLSv1_METHOD": ("TLS 1.0", Severity.MEDIUM),
    "OpenSSL.SSL.TLSv1_1_METHOD": ("TLS 1.1", Severity.MEDIUM),
}
# ssl.TLSVersion members below TLS 1.2.
WEAK_VERSIONS: dict[str, tuple[str, Severity]] = {
    "ssl.TLSVersion.SSLv3": ("SSLv3", Severity.HIGH),
    "ssl.TLSVersion.TLSv1": ("TLS 1.0", Severity.MEDIUM),
    "ssl.TLSVersion.TLSv1_1": ("TLS 1.1", Severity.MEDIUM),
    "ssl.TLSVersion.MINIMUM_SUPPORTED": ("the oldest version OpenSSL supports", Severity.MEDIUM),
}
# Cipher string tokens that enable broken suites: token -> (what, severity).
WEAK_CIPHER_TOKENS: dict[str, tuple[str, Severity]] = {
    "NULL": ("no encryption (NULL)", Severity.HIGH),
    "ENULL": ("no encryption (eNULL)", Severity.HIGH),
    "ANULL": ("no authentication (aNULL)", Severity.HIGH),
    "ADH": ("anonymous Diffie-Hellman (ADH)", Severity.HIGH),
    "AECDH": ("anonymous ECDH (AECDH)", Severity.HIGH),
    "EXPORT": ("export-grade ciphers (EXPORT)", Severity.HIGH),
    "EXP": ("export-grade ciphers (EXP)", Severity.HIGH),
    "EXPORT40": ("export-grade ciphers (EXPORT40)", Severity.HIGH),
    "EXPORT56": ("export-grade ciphers (EXPORT56)", Severity.HIGH),
    "RC4": ("RC4", Severity.HIGH),
    "RC2": ("RC2", Severity.HIGH),
    "DES": ("DES", Severity.HIGH),
    "3DES": ("3DES (Sweet32)", Severity.MEDIUM),
    "DES-CBC3": ("3DES (Sweet32)", Severity.MEDIUM),
    "MD5": ("MD5-based suites", Severity.MEDIUM),
    "LOW": ("LOW-strength suites", Severity.HIGH),
}
# Where protocol constants are consumed: keyword names on any call, positions on known calls.
PROTOCOL_KEYWORDS = frozenset({"ssl_version", "protocol", "method", "ssl_protocol", "tls_version"})
PROTOCOL_POSITIONS = {
    "ssl.SSLContext": 0,
    "ssl.wrap_socket": 5,
    "ssl.get_server_certificate": 1,
    "OpenSSL.SSL.Context": 0,
}
CIPHER_SETTERS = frozenset({"set_ciphers", "set_cipher_list"})
_TOKEN_SPLIT = re.compile(r"[:, ]+")
WRAP_SOCKET = "ssl.wrap_socket"
# Keywords judged on a call of any function; without one, only these calls are judged.
ANY_CALL_KEYWORDS = frozenset({*PROTOCOL_KEYWORDS, "ciphers"})
KEYWORDLESS_CALLS = frozenset({*PROTOCOL_POSITIONS, WRAP_SOCKET})


class WeakTlsVersion(TrackingRule):
    """Allows SSL 2/3 or TLS 1.0/1.1, or enables broken cipher suites.

    ## What it does
    - `ssl.PROTOCOL_SSLv2/SSLv3/TLSv1/TLSv1_1` and pyOpenSSL `SSLv2/SSLv3/TLSv1/TLSv1_1_METHOD`
      passed to `ssl.SSLContext(...)`, `ssl.wrap_socket(...)`, `ssl.get_server_certificate(...)`,
      `OpenSSL.SSL.Context(...)`, or as `ssl_version=` / `protocol=` / `method=` to any call
      (urllib3 pools, requests adapters); also through aliases. A constant merely stored in
      a table is not reported.
    - `ctx.minimum_version` (or `maximum_version`) set to `ssl.TLSVersion.SSLv3`, `TLSv1`,
      `TLSv1_1` or `MINIMUM_SUPPORTED`. The fix is mechanical: `TLSVersion.TLSv1_2`.
    - `set_ciphers()` / pyOpenSSL `set_cipher_list()` / `ciphers=` with a constant cipher
      string that enables NULL, anonymous, EXPORT, RC4, RC2, DES, 3DES, MD5 or LOW suites
      (tokens starting with `!`, `-` or `+` remove or reorder suites and are ignored).
      Reported as CWE-327.
    - `ssl.wrap_socket()` without `ssl_version` (Bandit B504): low severity. The function
      was deprecated in 3.7 and removed in 3.12; the protocol it negotiates is whatever the
      local OpenSSL allows, which may include TLS 1.0/1.1.

    `PROTOCOL_TLS`, `PROTOCOL_TLS_CLIENT`/`SERVER`, `PROTOCOL_SSLv23` and pyOpenSSL's
    `SSLv23_METHOD`/`TLS_METHOD` negotiate the best version and are fine. In test code
    findings are lowered.

    ## Why is this bad?
    SSL 2 and 3 are broken (DROWN, POODLE); TLS 1.0 and 1.1 are deprecated by RFC 8996 and
    rely on SHA-1/MD5 constructions and CBC modes with known attacks (BEAST, Lucky13).
    Pinning one of them, or letting a peer negotiate down to it, exposes the connection to
    decryption or tampering. NULL/anonymous/EXPORT/RC4/DES suites give no or breakable
    encryption or no authentication.

    ## Example
    ```python
    import ssl

    def client_context():
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
        ctx.set_ciphers("ALL:RC4-SHA")
        return ctx
    ```

    ## Use instead
    ```python
    import ssl

    def client_context():
        ctx = ssl.create_default_context()
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        return ctx
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/326.html
    - https://cwe.mitre.org/data/definitions/327.html
    - https://www.rfc-editor.org/rfc/rfc8996
    - https://docs.python.org/3/library/ssl.html#protocol-versions
    """

    id = "SR404"
    slug = "weak-tls-version"
    cwe = 326
    related_cwes = (327,)
    title = "Weak SSL/TLS protocol version or cipher suite"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    node_types = TrackingRule.node_types
    judged_types = (ast.Assign, ast.AnnAssign)
    # None: `ssl_version=`, `protocol=`, `ciphers=`... are judged on calls of any name, so no
    # set of leaves holds every call this rule acts on. `check_call` drops the calls without
    # those keywords first, cheaply.
    call_leaves = None
    in_tests = "lower"

    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        func = node.func
        name = walker.call_name(node)
        if not judges_call(node, name, KEYWORDLESS_CALLS, CIPHER_SETTERS, ANY_CALL_KEYWORDS):
            return  # most calls have none of those keywords
        if self._check_protocol_arguments(node, name):
            return
        if isinstance(func, ast.Attribute) and func.attr in CIPHER_SETTERS and node.args:
            self._check_ciphers(node, f"{func.attr}()", node.args[0])
        else:
            ciphers = walker.keyword(node, "ciphers")
            if ciphers is not None:
                self._check_ciphers(
                    node, f"{name or short_source(walker, func, 40)}(ciphers=...)", ciphers
                )
        if name == WRAP_SOCKET and walker.argument(node, 5, "ssl_version") is None:
            self._report_wrap_socket(node)

    def _check_protocol_arguments(self, node: ast.Call, name: str | None) -> bool:
        walker = self.walker
        candidates = [k.value for k in node.keywords if k.arg in PROTOCOL_KEYWORDS]
        position = PROTOCOL_POSITIONS.get(name or "")
        if position is not None:
            argument = walker.argument(node, position, None)
            if argument is not None:
                candidates.append(argument)
        for argument in candidates:
            if not isinstance(argument, ast.Name | ast.Attribute):
                continue
            qualified = walker.qualname(argument)
            if qualified not in WEAK_PROTOCOLS:
                continue
            protocol, severity = WEAK_PROTOCOLS[qualified]
            target = name or short_source(walker, node.func, 40)
            walker.examine(326, node, "tls-configuration", "flagged", f"{target}({qualified})")
            walker.report(
                self,
                node,
                f"{target}() pins {protocol} ({short_source(walker, argument)}), a broken or "
                "deprecated protocol version",
                severity=severity,
                evidence="protocol constant argument",
                fix=Fix(
                    "use ssl.create_default_context() (or SSLContext(PROTOCOL_TLS_CLIENT / "
                    "PROTOCOL_TLS_SERVER)) and set minimum_version = ssl.TLSVersion.TLSv1_2"
                ),
            )
            return True
        return False

    def _check_ciphers(self, node: ast.Call, what: str, expr: ast.expr) -> None:
        walker = self.walker
        value = walker.const_value(expr)
        if isinstance(value, bytes):
            value = value.decode("ascii", "replace")
        if not isinstance(value, str):
            walker.examine(
                327,
                node,
                "tls-configuration",
                "unknown",
                f"{what} with a non-constant cipher string",
            )
            return
        weak = _weak_ciphers(value)
        if not weak:
            walker.examine(326, node, "tls-configuration", "strong-ciphers", f"{what} {value!r}")
            return
        severity = max(s for _, s in weak)
        names = ", ".join(dict.fromkeys(w for w, _ in weak))
        walker.examine(326, node, "tls-configuration", "flagged", f"{what} enables {names}")
        walker.report(
            self,
            node,
            f"{what} enables weak cipher suites: {names}",
            severity=severity,
            cwe=327,
            evidence="constant cipher string",
            fix=Fix(
                "keep OpenSSL's defaults (do not call set_ciphers), or use a modern list such as "
                "'ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL:!MD5'"
            ),
        )

    def _report_wrap_socket(self, node: ast.Call) -> None:
        walker = self.walker
        walker.examine(
            326, node, "tls-configuration", "flagged", "ssl.wrap_socket() without ssl_version"
        )
        walker.report(
            self,
            node,
            "ssl.wrap_socket() without ssl_version negotiates whatever the local OpenSSL allows "
            "(possibly TLS 1.0/1.1); the function is deprecated and gone in Python 3.12",
            severity=Severity.LOW,
            confidence=Confidence.MEDIUM,
            evidence="missing ssl_version argument",
            fix=Fix(
                "use ssl.create_default_context() with minimum_version = ssl.TLSVersion.TLSv1_2 "
                "and its wrap_socket() method"
            ),
        )

    def check_assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        walker = self.walker
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if value is None:
            return
        for target in targets:
            if not isinstance(target, ast.Attribute) or target.attr not in (
                "minimum_version",
                "maximum_version",
            ):
                continue
            qualified = walker.qualname(value)
            if qualified not in WEAK_VERSIONS:
                continue
            version, severity = WEAK_VERSIONS[qualified]
            shown = walker.segment(target)
            limit = "allows" if target.attr == "minimum_version" else "caps the connection at"
            walker.examine(326, node, "tls-configuration", "flagged", f"{shown} = {qualified}")
            fix = Fix("require TLS 1.2 or newer")
            if isinstance(value, ast.Attribute):
                fix = walker.replace_fix(
                    value,
                    f"{walker.segment(value.value)}.TLSv1_2",
                    "require TLS 1.2 or newer (ssl.TLSVersion.TLSv1_2)",
                )
            walker.report(
                self,
                node,
                f"`{shown} = {short_source(walker, value)}` {limit} {version}",
                severity=severity,
                evidence="TLS version constant",
                fix=fix,
            )


def _weak_ciphers(cipher_string: str) -> list[tuple[str, Severity]]:
    """The weak suites a cipher string adds (tokens after `!`/`-` remove suites: ignored)."""
    found: list[tuple[str, Severity]] = []
    for token in _TOKEN_SPLIT.split(cipher_string.strip()):
        if not token or token[0] in "!-+@":
            continue  # removals, reorderings and @STRENGTH / @SECLEVEL directives
        for part in re.split(r"\+", token):
            upper = part.upper()
            if upper in WEAK_CIPHER_TOKENS:
                found.append(WEAK_CIPHER_TOKENS[upper])
                continue
            if "DES-CBC3" in upper:
                found.append(WEAK_CIPHER_TOKENS["DES-CBC3"])
                continue
            for piece in upper.split("-"):
                if piece in WEAK_CIPHER_TOKENS and piece != "LOW":
                    found.append(WEAK_CIPHER_TOKENS[piece])
    return found
