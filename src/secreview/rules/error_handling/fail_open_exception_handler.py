"""CWE-703 / CWE-636: an access or validation check that grants when it fails with an error."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.crypto._shared import split_words
from secreview.rules.error_handling._shared import caught_names, header, is_broad, one_line

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# Words of a function name that make it an access, signature or validation check whose True
# means "allowed": `is_authorised`, `has_object_permission`, `verify_signature`, `check_scope`.
_CHECK_WORDS = frozenset(
    {
        "authorized",
        "authorised",
        "authorize",
        "authorise",
        "authorization",
        "authorisation",
        "authenticated",
        "authenticate",
        "authentication",
        "auth",
        "allowed",
        "allow",
        "allows",
        "permitted",
        "permit",
        "permits",
        "permission",
        "permissions",
        "access",
        "grant",
        "granted",
        "verify",
        "verified",
        "verification",
        "validate",
        "validated",
        "validation",
        "valid",
        "trusted",
        "entitled",
        "entitlement",
        "licensed",
        "license",
        "licence",
        "signature",
        "signed",
        "csrf",
        "captcha",
        "scope",
        "scopes",
        "acl",
        "privileged",
        "privilege",
        "role",
        "roles",
        "token",
        "password",
        "credentials",
    }
)
# Words that turn the meaning round: True from `is_expired()` or `is_revoked()` denies.
_DENY_WORDS = frozenset(
    {
        "expired",
        "expire",
        "expires",
        "revoked",
        "blocked",
        "banned",
        "denied",
        "deny",
        "forbidden",
        "invalid",
        "invalidate",
        "locked",
        "blacklisted",
        "blocklisted",
        "disabled",
        "suspended",
        "limited",
        "throttled",
        "throttle",
        "spam",
        "malicious",
        "suspicious",
        "tampered",
        "compromised",
        "stale",
        "bot",
        "fraud",
        "fraudulent",
        "required",
        "requires",
        "needs",
        "missing",
        "rejected",
        "reject",
        "failed",
        "fails",
        "error",
        "errors",
    }
)
# Exceptions that mean "the check said no", caught by name: `jwt.InvalidTokenError`,
# `itsdangerous.BadSignature`, `cryptography.exceptions.InvalidSignature`, `PermissionDenied`.
_REFUSAL_PARTS = (
    "invalid",
    "badsignature",
    "badtimesignature",
    "expired",
    "signature",
    "verification",
    "permissiondenied",
    "unauthorized",
    "unauthorised",
    "forbidden",
    "pyjwterror",
    "jwterror",
    "joseerror",
    "decodeerror",
    "authenticationfailed",
    "notauthenticated",
)
# Names and strings of an "allowed" result.
_ALLOW_VALUES = frozenset(
    {"allow", "allowed", "permit", "permitted", "grant", "granted", "accept", "accepted", "pass"}
)
_ALLOW_KEYS = frozenset({"allowed", "valid", "authorized", "authorised", "granted", "ok"})


class FailOpenExceptionHandler(Rule):
    """An access or validation check returns "allowed" when it fails with an exception.

    ## What it does
    Finds `except` clauses in functions whose name says they decide access or validity
    (`is_authorised`, `has_permission`, `has_object_permission`, `verify_signature`,
    `validate_token`, `check_scope`, `can_access`) that return an "allowed" result: `True`, a
    name or string such as `ALLOW` / `Decision.ALLOW` / `"granted"`, or a dict such as
    `{"allowed": True}`. The handler must catch every exception (`except:`, `except
    Exception`, `except BaseException`) or an exception that itself means "refused"
    (`jwt.InvalidTokenError`, `jwt.ExpiredSignatureError`, `BadSignature`,
    `InvalidSignature`, `PermissionDenied`). A handler that falls through (`pass`, logging
    only) to a `return True` right after the `try` counts too.

    Names that turn the meaning round are left alone: `True` from `is_expired()`,
    `is_revoked()`, `is_blocked()`, `is_rate_limited()` or `login_required()` is the safe
    answer. Handlers that re-raise are not reported.

    ## Why is this bad?
    The error path of a check is the path an attacker can reach on purpose: a malformed or
    expired token, a signature of the wrong length, an unreachable policy service, a missing
    claim. A check that answers "allowed" when anything goes wrong fails open: every request
    that makes it raise is let through, which is far easier than passing the check.
    Test code is skipped: test doubles and fake policies return canned answers from their
    handlers, and nothing is guarded by them.

    ## Example
    ```python
    import jwt

    def is_authorised(token, required_scope):
        try:
            claims = jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"], audience="api")
            return required_scope in claims.get("scope", "").split()
        except Exception:
            return True
    ```

    ## Use instead
    ```python
    import jwt

    def is_authorised(token, required_scope):
        try:
            claims = jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"], audience="api")
        except jwt.InvalidTokenError:
            LOG.info("rejected token", exc_info=True)
            return False
        return required_scope in claims.get("scope", "").split()
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/703.html
    - https://cwe.mitre.org/data/definitions/636.html
    - https://owasp.org/www-community/Fail_securely
    """

    id = "SR604"
    slug = "fail-open-exception-handler"
    cwe = 703
    related_cwes = (636,)
    title = "Access or validation check that grants when it fails with an error"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    node_types = (ast.ExceptHandler,)
    # Test doubles return canned answers from their handlers; nothing is guarded there.
    in_tests = "skip"

    def check(self, node: ast.ExceptHandler) -> None:
        walker = self.walker
        function = walker.function
        if function is None or walker.test_code:
            return
        check_word = _check_name(function.name)
        if check_word is None:
            return
        caught = caught_names(walker, node)
        broad = is_broad(walker, node)
        refusal = next((n for n in caught if _is_refusal(n)), None)
        if not broad and refusal is None:
            return
        text = header(walker, node)
        if _raises(node.body):
            walker.examine(703, node, "exception-handler", "re-raises", text)
            return
        granted = _returned_allow(walker, node.body)
        how = "returns"
        if granted is None and not _leaves(node.body):
            granted = self._allow_after_try(node)
            how = "falls through to"
        if granted is None:
            walker.examine(703, node, "exception-handler", "fails-closed", text)
            return
        walker.examine(703, node, "exception-handler", "flagged", f"{text} {how} {granted}")
        if broad or refusal is None:
            what = "any error"
        else:
            what = f'`{refusal.rpartition(".")[2]}`, the exception that means "refused",'
        walker.report(
            self,
            node,
            f"`{text}` in `{function.name}()` {how} `{granted}`: the check grants access when "
            f"{what} is raised, so a request that makes it fail passes",
            evidence=f"name heuristic (`{check_word}`), allow value returned from the handler",
            fix=Fix(
                "fail closed: return False (or raise) from the handler, and catch only the "
                "exceptions the check expects (e.g. `except jwt.InvalidTokenError: return False`)"
            ),
        )

    def _allow_after_try(self, node: ast.ExceptHandler) -> str | None:
        """`try: ... except Exception: pass` followed by `return True` in the same block."""
        ancestors = self.walker.ancestors
        if len(ancestors) < 2:
            return None
        statement, block = ancestors[-1], ancestors[-2]
        if not isinstance(statement, ast.Try | ast.TryStar) or statement.finalbody:
            return None
        for field in ("body", "orelse", "finalbody", "handlers"):
            body = getattr(block, field, None)
            if isinstance(body, list) and statement in body:
                following = body[body.index(statement) + 1 : body.index(statement) + 2]
                break
        else:
            return None
        if following and isinstance(following[0], ast.Return):
            return _allow_value(self.walker, following[0].value)
        return None


def _check_name(name: str) -> str | None:
    """The word of a function name that makes it an allow-check, or None."""
    words = split_words(name)
    if any(w in _DENY_WORDS for w in words) or (words and words[0] in ("not", "no")):
        return None
    return next((w for w in words if w in _CHECK_WORDS), None)


def _is_refusal(name: str) -> bool:
    last = name.rpartition(".")[2].lower()
    return any(part in last for part in _REFUSAL_PARTS)


def _raises(body: list[ast.stmt]) -> bool:
    """A `raise` among the handler's statements (also inside an `if`)."""
    pending = list(body)
    while pending:
        stmt = pending.pop()
        if isinstance(stmt, ast.Raise):
            return True
        if isinstance(stmt, ast.If | ast.With | ast.For | ast.While):
            pending.extend(stmt.body)
            pending.extend(getattr(stmt, "orelse", []))
    return False


def _leaves(body: list[ast.stmt]) -> bool:
    """The handler's last statement leaves the function or the loop."""
    return bool(body) and isinstance(body[-1], ast.Return | ast.Continue | ast.Break)


def _returned_allow(walker: Walker, body: list[ast.stmt]) -> str | None:
    """The allow value a `return` among the handler's top-level statements gives back."""
    for stmt in body:
        if isinstance(stmt, ast.Return):
            return _allow_value(walker, stmt.value)
    return None


def _allow_value(walker: Walker, value: ast.expr | None) -> str | None:
    if value is None:
        return None
    folded = walker.const_value(value)
    if folded is True:
        return one_line(walker, value)
    if isinstance(folded, str) and folded.lower() in _ALLOW_VALUES:
        return one_line(walker, value)
    if isinstance(value, ast.Name | ast.Attribute):
        last = value.attr if isinstance(value, ast.Attribute) else value.id
        if last.lower() in _ALLOW_VALUES:
            return one_line(walker, value)
    if isinstance(value, ast.Dict):
        for key, item in zip(value.keys, value.values, strict=True):
            if (
                key is not None
                and walker.const_value(key) in _ALLOW_KEYS
                and walker.const_value(item) is True
            ):
                return one_line(walker, value)
    if isinstance(value, ast.Tuple) and value.elts:
        return _allow_value(walker, value.elts[0])  # `return True, "fallback"`
    return None
