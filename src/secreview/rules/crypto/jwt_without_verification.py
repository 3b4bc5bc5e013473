"""CWE-347: JSON Web Tokens decoded without checking their signature."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule, leaves_of
from secreview.rules.common import is_truthy
from secreview.rules.web._shared import one_line

# PyJWT and python-jose: decode(token, key, algorithms=[...], options={...}).
DECODERS = frozenset(
    {
        "jwt.decode",
        "jwt.api_jwt.decode",
        "jwt.PyJWT.decode",
        "jwt.api_jwt.PyJWT.decode",
        "jose.jwt.decode",
    }
)
# Claims read without any check.
UNVERIFIED_CLAIMS = frozenset({"jose.jwt.get_unverified_claims"})
_PACKAGES = frozenset({"jwt", "jose"})


class JwtWithoutVerification(Rule):
    """Decodes a JSON Web Token without verifying its signature, or accepting any algorithm.

    ## What it does
    Finds PyJWT and python-jose `jwt.decode()` calls that do not check the token's signature:

    - `verify=False` (PyJWT 1's keyword) or `options={"verify_signature": False}` (also
      through a constant dict defined elsewhere in the module);
    - `algorithms` that include `"none"`, the algorithm of unsigned tokens;
    - no `algorithms` at all while verifying (PyJWT 1 and python-jose then take the algorithm
      from the token's own header, which lets an attacker choose an HMAC with the public key
      as secret): medium severity;

    and python-jose's `jwt.get_unverified_claims()`, whose claims nobody checked. A call
    whose verification flag is not a constant is not reported. Reading the header first
    (`get_unverified_header`) to pick a key is fine, and so is authlib, which always checks
    the signature. Test code is skipped.

    ## Why is this bad?
    A token's signature is the only thing that makes its claims true. Without checking it,
    anyone can write a token saying `{"sub": "admin"}` and be treated as that user. The same
    holds when the token may pick its own algorithm: `"none"` needs no signature at all.

    ## Example
    ```python
    import jwt

    def current_user(request):
        claims = jwt.decode(request.headers["Authorization"][7:], options={"verify_signature": False})
        return User.objects.get(pk=claims["sub"])
    ```

    ## Use instead
    ```python
    import jwt

    def current_user(request):
        claims = jwt.decode(request.headers["Authorization"][7:], SIGNING_KEY, algorithms=["HS256"])
        return User.objects.get(pk=claims["sub"])
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/347.html
    - https://pyjwt.readthedocs.io/en/stable/api.html#jwt.decode
    - https://python-jose.readthedocs.io/en/latest/jwt/api.html
    - https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html
    """

    id = "SR409"
    slug = "jwt-without-verification"
    cwe = 347
    title = "JSON Web Token decoded without verifying its signature"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    node_types = (ast.Call,)
    call_leaves = leaves_of(DECODERS, UNVERIFIED_CLAIMS)
    in_tests = "skip"

    def check(self, node: ast.Call) -> None:
        walker = self.walker
        if not walker.framework_hints & _PACKAGES and not walker.names.module.star_imports:
            return
        name = walker.call_name(node) or ""
        if name in UNVERIFIED_CLAIMS:
            self._flag(
                node,
                "get_unverified_claims() returns claims whose signature nobody checked",
                None,
                "unverified claims",
            )
            return
        if name not in DECODERS:
            return
        options = walker.keyword(node, "options")
        off = self._signature_off(options)
        verify = walker.keyword(node, "verify")
        # PyJWT 2 ignores `verify` when `options` says what to verify.
        if (
            off is None
            and options is None
            and verify is not None
            and is_truthy(walker, verify) is False
        ):
            self._flag(
                node, "jwt.decode(verify=False) skips the signature check", verify, "verify=False"
            )
            return
        if off is not None:
            self._flag(
                node,
                'jwt.decode(options={"verify_signature": False}) skips the signature check',
                off,
                "verify_signature off",
            )
            return
        algorithms = walker.keyword(node, "algorithms")
        if algorithms is None and len(node.args) > 2:
            algorithms = node.args[2]
        if algorithms is not None:
            value = walker.const_value(algorithms)
            names = value if isinstance(value, tuple | list) else (value,)
            if any(isinstance(a, str) and a.lower() == "none" for a in names):
                self._flag(
                    node,
                    f"jwt.decode(algorithms={one_line(walker, algorithms, 30)}) "
                    "accepts unsigned tokens",
                    algorithms,
                    'algorithm "none"',
                )
            else:
                walker.examine(347, node, "token-decode", "verified", "jwt.decode()")
            return
        if any(k.arg is None for k in node.keywords) or options is not None:
            walker.examine(347, node, "token-decode", "dynamic", "jwt.decode(**options)")
            return
        self._flag(
            node,
            "jwt.decode() without algorithms lets the token's header choose the algorithm "
            "(PyJWT 1, python-jose), an HMAC keyed with the public key included",
            None,
            "no algorithms",
            severity=Severity.MEDIUM,
            confidence=Confidence.MEDIUM,
        )

    def _signature_off(self, options: ast.expr | None) -> ast.expr | None:
        walker = self.walker
        if options is None:
            return None
        if isinstance(options, ast.Name):
            options = self._module_dict(options.id) or options
        if isinstance(options, ast.Dict):
            for key, value in zip(options.keys, options.values, strict=True):
                if key is not None and walker.const_value(key) == "verify_signature":
                    return value if is_truthy(walker, value) is False else None
            return None
        value = walker.const_value(options)
        if isinstance(value, dict) and value.get("verify_signature", True) is False:
            return options
        return None

    def _module_dict(self, name: str) -> ast.Dict | None:
        """The dict literal a module-level name is bound to once (`NO_CHECK = {...}`)."""
        found: list[ast.Dict] = []
        for statement in self.walker.parsed.tree.body:
            if isinstance(statement, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in statement.targets
            ):
                if not isinstance(statement.value, ast.Dict):
                    return None
                found.append(statement.value)
        return found[0] if len(found) == 1 else None

    def _flag(
        self,
        node: ast.Call,
        what: str,
        value: ast.expr | None,
        detail: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
    ) -> None:
        walker = self.walker
        walker.examine(347, node, "token-decode", "flagged", detail)
        walker.report(
            self,
            node,
            f"{what}: anyone can forge the token's claims",
            severity=severity,
            confidence=confidence,
            evidence="constant argument" if value is not None else "default argument",
            fix=Fix(
                'verify the signature: jwt.decode(token, key, algorithms=["RS256"]) with the '
                "one algorithm the issuer uses"
            ),
        )
