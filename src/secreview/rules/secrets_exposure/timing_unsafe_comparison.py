"""SR105: a signature, MAC, token or password compared with `==` instead of compare_digest."""

from __future__ import annotations

import ast
import re

from secreview.engine.lowering import _middleware_key
from secreview.findings import Confidence, Fix, Severity
from secreview.parsing.names import BindingKind
from secreview.rules.base import Rule
from secreview.rules.credentials._shared import (
    CONFIRMATION_WORDS,
    CredentialName,
    brief,
    credential_of,
    expression_name,
    looks_like_a_name,
    same_as_name,
    split_words,
)
from secreview.rules.fixes import module_reference

_SETTING_NAME = re.compile(r"[A-Z]+(?:_[A-Z]+)+")  # CORS_ALLOW_CREDENTIALS

_HMAC_CONSTRUCTORS = frozenset(
    {"hmac.new", "hmac.HMAC", "Crypto.Hash.HMAC.new", "Cryptodome.Hash.HMAC.new"}
)
_WRAPPERS = frozenset(
    {
        "base64.b64encode",
        "base64.urlsafe_b64encode",
        "base64.b16encode",
        "base64.b32encode",
        "binascii.hexlify",
        "binascii.b2a_hex",
        "binascii.b2a_base64",
        "str",
        "bytes",
    }
)
_SAME_VALUE_METHODS = frozenset({"decode", "encode", "hex", "lower", "upper", "strip", "rstrip"})
_NOT_VALUES = frozenset({"len", "type", "id", "bool", "int", "isinstance", "hash"})
_DUNDER_COMPARISONS = frozenset(
    {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__cmp__"}
)
_MAX_DEPTH = 4
_REQUEST_ROOTS = frozenset({"request", "req", "environ", "headers", "cookies"})
# Words of a name that make it a code or a kind, not a value: `VIR_ERR_NO_SECRET`,
# `STYLE_LOGIN_PASSWORD`, `NoTokenSentinel`, `get_error_code()`.
_LABEL_WORDS = frozenset({"err", "error", "errno", "status", "style", "kind", "mode", "sentinel"})


def _label(expr: ast.expr) -> bool:
    """A code, a kind or a sentinel, by its name (`libvirt.VIR_ERR_NO_SECRET`, `Sentinel`)."""
    if isinstance(expr, ast.Call):
        expr = expr.func
    name = expr.attr if isinstance(expr, ast.Attribute) else getattr(expr, "id", "")
    return bool(name) and bool(_LABEL_WORDS.intersection(split_words(name)))


class TimingUnsafeComparison(Rule):
    """Compares a signature, MAC, token or password hash with `==`, which leaks timing.

    ## What it does
    Finds `==`, `!=`, `in` and `not in` comparisons where one side is a message
    authentication value and the other side is not a constant:
    - an `hmac.new(...).hexdigest()` / `.digest()` result (also through `base64.b64encode`,
      `.decode()`, a `"sha256=" +` prefix, or a variable assigned from one);
    - a value named as a signature, HMAC, auth digest, password hash, password, secret,
      API key or a qualified token (`expected_signature`, `request.headers["X-Hub-Signature"]`,
      `csrf_token`, `user.password_hash`, `settings.API_TOKEN`).

    `in` / `not in` is reported when the right side is a list, tuple or set display
    (`signature not in (current, previous)`); lookups in dicts and sets are hash-based and
    are not reported.

    Not reported: comparisons with any constant (`signature == ""`, `token is None`,
    `token_type == "bearer"`: a constant on one side is a sentinel or a type check; a
    hard-coded secret would be SR101's business), `len(token) == 32`, plain content
    hashes and checksums (`hashlib.sha256(data).hexdigest() == expected_checksum`:
    integrity checks, nothing secret to leak), password confirmation and reuse checks
    (`password != password_confirm`, `new_password == old_password`), a bare `token` against
    an ordinary name (lexers compare tokens), `__eq__`-style methods, and codes, kinds and
    sentinels named after a secret (`exc.get_error_code() == libvirt.VIR_ERR_NO_SECRET`,
    `style in (STYLE_LOGIN_PASSWORD, STYLE_CERTIFICATE)`, `token not in (None, NoTokenSentinel)`).

    A timing attack needs someone outside to send guesses. So a comparison is reported with
    medium severity when one side comes from the request, from the function's caller (a
    parameter), or from a local assigned from one of those, or when one side is an HMAC
    digest. The session's stored values and the keys a middleware sets in the environ
    (`request.META["CSRF_COOKIE"]`) are the server's, not the request's. Two values the program holds itself (the password hash the system stores against
    the configured one, two devices' tokens) are reported with low severity, and so is a name
    that says it holds something else as often (`PathOrToken`).

    ## Why is this bad?
    `==` on strings and bytes stops at the first differing byte. By timing many requests an
    attacker can learn a valid signature or token byte by byte and forge requests
    (webhooks, signed URLs, password-reset links, API keys). `hmac.compare_digest()` takes
    the same time wherever the inputs differ. Test code is skipped.

    ## Example
    ```python
    import hashlib
    import hmac

    def verify_webhook(secret, body, received_signature):
        expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
        return expected == received_signature
    ```

    ## Use instead
    ```python
    import hashlib
    import hmac

    def verify_webhook(secret, body, received_signature):
        expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, received_signature)
    ```
    Both arguments must be `bytes`, or both `str` with ASCII characters only.

    ## References
    - https://cwe.mitre.org/data/definitions/208.html
    - https://docs.python.org/3/library/hmac.html#hmac.compare_digest
    """

    id = "SR105"
    slug = "timing-unsafe-comparison"
    cwe = 208
    title = "Secret compared in non-constant time"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (ast.Compare, ast.Assign)
    in_tests = "skip"

    def begin_module(self) -> None:
        self._mac_values: set[tuple[str, str]] = set()
        self._mac_objects: set[tuple[str, str]] = set()
        # Class attributes bound to constants: `reset_url_token = "set-password"`.
        self._class_constants: set[tuple[str, str]] = set()
        # The value last assigned to each local name, by scope: where a compared value came from.
        self._assigned: dict[tuple[str, str], ast.expr] = {}

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            self._track(node)
        elif isinstance(node, ast.Compare):
            self._compare(node)

    # -- what holds a MAC ----------------------------------------------------------------------
    def _track(self, node: ast.Assign) -> None:
        value = node.value
        walker = self.walker
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._assigned[(walker.scope_name, target.id)] = value
        if walker.names.current.kind == "class" and walker.is_constant(value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self._class_constants.add((walker.scope_name, target.id))
            return
        if not isinstance(value, ast.Call | ast.BinOp | ast.JoinedStr):
            return
        scope = self.walker.scope_name
        if isinstance(value, ast.Call) and self.walker.call_name(value) in _HMAC_CONSTRUCTORS:
            store = self._mac_objects
        elif self._is_mac(value):
            store = self._mac_values
        else:
            return
        for target in node.targets:
            if isinstance(target, ast.Name):
                store.add((scope, target.id))

    def _is_mac(self, expr: ast.expr) -> bool:
        walker = self.walker
        scope = walker.scope_name
        for _ in range(_MAX_DEPTH):
            match expr:
                case ast.Name(id=name):
                    return (scope, name) in self._mac_values
                case ast.Call(func=ast.Attribute(attr="hexdigest" | "digest", value=receiver)):
                    if isinstance(receiver, ast.Call):
                        return walker.call_name(receiver) in _HMAC_CONSTRUCTORS
                    return isinstance(receiver, ast.Name) and (
                        (scope, receiver.id) in self._mac_objects
                    )
                case ast.Call(func=ast.Attribute(attr=attr, value=receiver)) if (
                    attr in _SAME_VALUE_METHODS
                ):
                    expr = receiver
                case ast.Call(args=[first, *_]) if walker.call_name(expr) in _WRAPPERS:
                    expr = first
                case ast.Call() if walker.call_name(expr) == "hmac.digest":
                    return True
                case ast.BinOp(op=ast.Add(), left=left, right=right):
                    if walker.is_constant(left):
                        expr = right
                    elif walker.is_constant(right):
                        expr = left
                    else:
                        return False
                case ast.JoinedStr(values=values):
                    parts = [v.value for v in values if isinstance(v, ast.FormattedValue)]
                    if len(parts) != 1:
                        return False
                    expr = parts[0]
                case _:
                    return False
        return False

    def _class_constant(self, expr: ast.expr) -> bool:
        """`self.NAME` where the enclosing class body binds NAME to a constant."""
        if not (
            isinstance(expr, ast.Attribute)
            and isinstance(expr.value, ast.Name)
            and expr.value.id in ("self", "cls")
        ):
            return False
        class_scope = self.walker.scope_name.rpartition(".")[0]
        return (class_scope, expr.attr) in self._class_constants

    def _secret_side(self, expr: ast.expr) -> tuple[str, CredentialName | None] | None:
        """("an HMAC digest", None) / (noun, name) when `expr` holds a value worth timing."""
        if self._is_mac(expr):
            return "an HMAC digest", None
        cred = credential_of(self.walker, expr)
        if cred is None:
            return None
        return cred.a_noun, cred

    # -- the comparison ------------------------------------------------------------------------
    def _compare(self, node: ast.Compare) -> None:
        if len(node.ops) != 1:
            return
        op = node.ops[0]
        left, right = node.left, node.comparators[0]
        if isinstance(op, ast.In | ast.NotIn):
            if not isinstance(right, ast.List | ast.Tuple | ast.Set):
                return
            candidates = [e for e in right.elts if not self.walker.is_constant(e) and not _label(e)]
            if not candidates:
                return
            sides = [(left, candidates[0]), (candidates[0], left)]
        elif isinstance(op, ast.Eq | ast.NotEq):
            sides = [(left, right), (right, left)]
        else:
            return
        judged = [(s, self._secret_side(s), other) for s, other in sides]
        judged = [(s, info, other) for s, info, other in judged if info is not None]
        if not judged:
            return
        # The most telling side names the comparison: an HMAC, then a clear name, then `token`.
        judged.sort(key=lambda j: 0 if j[1][1] is None else 2 if j[1][1].weak else 1)
        secret, (noun, cred), other = judged[0]
        other_info = self._secret_side(other)
        verdict = self._benign(cred, other, other_info)
        if verdict is None and (self._class_constant(secret) or self._label_constant(secret)):
            verdict = "constant-comparison"
        if verdict is not None:
            if verdict != "ambiguous-name":
                self.walker.examine(208, node, "secret-comparison", verdict, noun)
            return
        self._report(node, op, noun, cred, other_info)

    def _label_constant(self, expr: ast.expr) -> bool:
        """`DJANGO_CORS_CREDENTIALS = "CORS_ALLOW_CREDENTIALS"`: a constant holding a name or a
        sentinel, not a secret; comparing with it leaks nothing worth timing."""
        value = self.walker.const_value(expr)
        if not isinstance(value, str):
            return False
        name = expr.id if isinstance(expr, ast.Name) else getattr(expr, "attr", "")
        return bool(
            _SETTING_NAME.fullmatch(value) or looks_like_a_name(value) or same_as_name(value, name)
        )

    def _benign(
        self,
        cred: CredentialName | None,
        other: ast.expr,
        other_info: tuple[str, CredentialName | None] | None,
    ) -> str | None:
        walker = self.walker
        if walker.is_constant(other) or self._class_constant(other):
            return "constant-comparison"
        if _label(other) or (cred is not None and _LABEL_WORDS.intersection(cred.words)):
            # `e.get_error_code() == libvirt.VIR_ERR_NO_SECRET`, `style in (STYLE_PASSWORD,
            # ...)`: codes and kinds named after a secret, not secrets.
            return "code-comparison"
        if isinstance(other, ast.Call) and walker.call_name(other) in (
            *_NOT_VALUES,
            "inspect.signature",
        ):
            return "not-a-value"
        if isinstance(other, ast.Compare | ast.BoolOp | ast.UnaryOp):
            return "not-a-value"
        function = walker.function
        if function is not None and function.name in _DUNDER_COMPARISONS:
            return "equality-method"
        other_cred = other_info[1] if other_info else None
        if cred is not None and cred.kind == "token" and cred.weak and other_info is None:
            return "ambiguous-name"
        if cred is not None and cred.kind == "password":
            if (
                other_cred is not None
                and other_cred.kind == "password"
                and (
                    cred.confirmation
                    or other_cred.confirmation
                    or "new" in cred.words
                    or "new" in other_cred.words
                )
            ):
                return "confirmation-check"
            other_name = expression_name(walker, other)
            if other_name and CONFIRMATION_WORDS.intersection(split_words(other_name)):
                return "confirmation-check"  # data['password'] != data['confirm']
        return None

    def _report(
        self,
        node: ast.Compare,
        op: ast.cmpop,
        noun: str,
        cred: CredentialName | None,
        other_info: tuple[str, CredentialName | None] | None,
    ) -> None:
        walker = self.walker
        walker.examine(
            208, node, "secret-comparison", "test-data" if walker.test_code else "flagged", noun
        )
        symbol = {ast.Eq: "==", ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in"}[type(op)]
        sides = (node.left, *node.comparators)
        if cred is not None and ("or" in cred.words or "and" in cred.words):
            # `PathOrToken`: a name that holds a path as often as a token.
            walker.report(
                self,
                node,
                f"`{brief(node)}` compares `{cred.name}` with `{symbol}`; the name says it may "
                "hold a token or something else, so check whether a secret is compared here",
                severity=Severity.LOW,
                confidence=Confidence.LOW,
                evidence="name heuristic, ambiguous name",
                fix=self._fix(node, op),
            )
            return
        if cred is not None and not any(self._outside(side) for side in sides):
            # Two values the program holds itself (a password hash read from the system and
            # the one it was configured with, two devices' tokens): no one outside can time
            # guesses against it.
            walker.report(
                self,
                node,
                f"`{brief(node)}` compares {noun} with `{symbol}`; neither side comes from the "
                "request or the function's caller, so no guess can be timed against it",
                severity=Severity.LOW,
                confidence=Confidence.LOW,
                evidence="name heuristic, no outside value",
                fix=self._fix(node, op),
            )
            return
        if cred is None or (other_info is not None and other_info[1] is None):
            confidence = Confidence.HIGH
        elif cred.weak:
            confidence = Confidence.LOW
        else:
            confidence = self.confidence
        walker.report(
            self,
            node,
            f"`{brief(node)}` compares {noun} with `{symbol}`, which returns at "
            "the first differing byte and leaks how much of the value matched",
            confidence=confidence,
            evidence="HMAC digest" if confidence is Confidence.HIGH else "name heuristic",
            fix=self._fix(node, op),
        )

    def _outside(self, expr: ast.expr, depth: int = 0) -> bool:
        """Whether the value comes from the request, the caller (a parameter), or a local
        assigned from one of those."""
        walker = self.walker
        node = expr
        while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
            if self._server_side(node):
                return False
            if isinstance(node, ast.Call):
                if isinstance(node.func, ast.Attribute):
                    node = node.func.value
                elif node.args and walker.call_name(node) in _WRAPPERS:
                    node = node.args[0]
                else:
                    return False
            else:
                node = node.value
        if not isinstance(node, ast.Name) or node.id in ("self", "cls"):
            return isinstance(node, ast.Attribute) and node.attr == "request"
        if node.id in _REQUEST_ROOTS:
            return True
        binding = walker.names.lookup(node.id)
        if binding is not None and binding.kind is BindingKind.PARAMETER:
            return True
        value = self._assigned.get((walker.scope_name, node.id))
        return value is not None and depth < _MAX_DEPTH and self._outside(value, depth + 1)

    def _server_side(self, node: ast.expr) -> bool:
        """A part of the request the server fills, not the client: the session's stored values
        (`request.session[...]`) and a key of the environ a middleware sets
        (`request.META["CSRF_COOKIE"]`, `req.environ["keystone.token_info"]`)."""
        if isinstance(node, ast.Attribute):
            return node.attr == "session"
        if isinstance(node, ast.Subscript):
            container, key = node.value, node.slice
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
        ):
            container, key = node.func.value, node.args[0]
        else:
            return False
        if not (isinstance(container, ast.Attribute) and container.attr in ("META", "environ")):
            return False
        name = self.walker.const_value(key)
        return isinstance(name, str) and _middleware_key(name)

    def _fix(self, node: ast.Compare, op: ast.cmpop) -> Fix:
        walker = self.walker
        func, imported = self._compare_digest()
        left = walker.segment(node.left)
        right = walker.segment(node.comparators[0])
        if isinstance(op, ast.Eq | ast.NotEq):
            text = f"{func}({left}, {right})"
        else:
            text = f"any({func}({left}, candidate) for candidate in {right})"
        if isinstance(op, ast.NotEq | ast.NotIn):
            text = f"not {text}"
        description = f"compare in constant time with {func}() (both arguments str with ASCII only, or both bytes; never None)"
        if imported:
            return walker.replace_fix(node, text, description)
        found = module_reference(walker, "hmac")
        if found is None or found[0] != "hmac":
            return Fix(f"{description}; add `import hmac`", replacement=text)
        fix = walker.replace_fix(node, text, f"{description} (and `import hmac`)")
        return Fix(fix.description, fix.edits + found[1], fix.replacement)

    def _compare_digest(self) -> tuple[str, bool]:
        """How compare_digest is spelled in this module, and whether it is imported."""
        bindings = self.walker.names.module.bindings
        fallback = None
        for local, binding in bindings.items():
            if binding.kind is not BindingKind.IMPORT:
                continue
            if binding.value == "hmac":
                return f"{local}.compare_digest", True
            if binding.value in ("hmac.compare_digest", "secrets.compare_digest"):
                fallback = fallback or local
            elif binding.value == "secrets":
                fallback = fallback or f"{local}.compare_digest"
        if fallback:
            return fallback, True
        return "hmac.compare_digest", False
