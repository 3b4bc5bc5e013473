"""SR104: a credential-named value in a log call, a print() or an exception message."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from secreview.engine.lowering import PATH_BUILDERS
from secreview.findings import Confidence, Fix, Severity
from secreview.models import builtin_models
from secreview.parsing.names import BindingKind
from secreview.rules.base import Rule
from secreview.rules.credentials._shared import CredentialName, brief, credential_of

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

_LOG_METHODS = frozenset(
    {
        "debug",
        "info",
        "warning",
        "warn",
        "error",
        "exception",
        "critical",
        "fatal",
        "log",
        "audit",
        "trace",
        "success",
    }
)
_LOGGER_NAMES = frozenset(
    {"log", "LOG", "logger", "_logger", "LOGGER", "_LOGGER", "_LOG", "_log", "logging_", "Log"}
)
_GET_LOGGER = frozenset(
    {
        "logging.getLogger",
        "logging.LoggerAdapter",
        "oslo_log.log.getLogger",
        "oslo_log.log.KeywordArgumentAdapter",
        "structlog.get_logger",
        "structlog.getLogger",
        "celery.utils.log.get_task_logger",
        "twisted.logger.Logger",
    }
)
_MASK_FUNCTIONS = frozenset(
    {"oslo_utils.strutils.mask_password", "oslo_utils.strutils.mask_dict_password"}
)
_MASK_NAME = re.compile(r"^_*(mask|redact|sanitize|sanitise|scrub|obfuscate|censor|hide)", re.I)
_MAX_DEPTH = 6

_FIX = Fix(
    "do not put the secret in the message: log a fixed marker or a non-secret identifier, or "
    "mask it first (oslo_utils.strutils.mask_password / mask_dict_password)"
)


class SecretInLog(Rule):
    """Writes a password, token, key or signature to a log, to stdout, or into an exception.

    ## What it does
    Looks at the arguments of logging calls (`logging.*`, and `debug`/`info`/`warning`/
    `error`/`exception`/`critical` on loggers named `log`, `LOG`, `logger`, `_logger`,
    `LOGGER`, `self.logger`, `app.logger`, or obtained from `logging.getLogger` /
    `oslo_log.log.getLogger` / `structlog.get_logger`), of `print()`, and of exceptions
    being raised (`raise X(msg)`), including f-string parts, `%` arguments and `.format()`
    arguments. A finding is a credential-named name, attribute, subscript or `.get()` among
    them: `conn_info['auth_password']`, `expected_signature`, `user.secret`,
    `self.admin_pass`, `request.form.get("password")`, `settings.api_key.get_secret_value()`.

    Not reported: `len(password)`, `bool(token)`, `password is None`, hashes and other calls
    of the value, slices such as `token[:6]` (recorded as truncated), values passed through
    a mask function (`strutils.mask_password(...)`, any `mask_*`/`redact_*`/`sanitize_*`;
    recorded as masked), metadata names (`token_type`, `password_policy`, `max_tokens`,
    `inspect.signature` results), and words that only appear in the literal message text.
    A bare `token` counts in logging calls only, with low confidence; exception messages
    need an unambiguous name (parsers raise "unexpected token" errors). Written at debug or
    trace level, a bare `token` is reported with low severity: the name alone does not make it
    a credential, and production logging leaves those levels off. A bare `token` whose
    attributes the function reads or sets (`token.expires_at`, not `token.strip()`) is an
    object, a token model or a parser's token, and the message shows what its class prints:
    that is low severity too. A clear name (`auth_password`, `api_key`) keeps its severity
    at any level. A parameter of a function named by the kind of token it takes
    (`def sync(self, old_token)`: a sync token, a version marker) is not a secret. A name of
    alternatives holds a secret only if each alternative does: `password_or_api_key` is
    reported as usual, `path_or_token` (a collection path for some rows, a share token for
    others) with low severity and only in logging calls.

    The data-flow rule SR918 follows secrets from where they are read to these calls, across
    functions and modules; where it reports a call, its finding (with the path the secret
    took) replaces this one, and where it followed every value to something that is not a
    secret, this one is dropped. What remains here is what the analysis cannot follow.

    ## Why is this bad?
    Logs are kept for a long time, shipped to aggregation services and readable by many
    more people than the credential store. OpenStack has issued security advisories for
    exactly this: an expected HMAC signature logged on a mismatch (which hands whoever reads
    the log a valid signature), and volume `connection_info` with its `auth_password`
    logged at debug level. Exception messages end up in logs and HTTP error pages too.
    Test code is skipped.

    ## Example
    ```python
    import logging

    LOG = logging.getLogger(__name__)

    def check(request, expected_signature):
        if request.signature != expected_signature:
            LOG.warning(f"bad signature, expected {expected_signature}")
            return False
        return True
    ```

    ## Use instead
    ```python
    import hmac
    import logging

    LOG = logging.getLogger(__name__)

    def check(request, expected_signature):
        if not hmac.compare_digest(request.signature, expected_signature):
            LOG.warning("bad signature for request %s", request.id)
            return False
        return True
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/532.html
    - https://cwe.mitre.org/data/definitions/209.html
    - https://docs.openstack.org/oslo.utils/latest/reference/strutils.html
    - https://wiki.openstack.org/wiki/Security/Guidelines/logging_guidelines
    """

    id = "SR104"
    slug = "secret-in-log"
    cwe = 532
    related_cwes = (209,)
    title = "Secret written to a log, stdout or an exception message"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (ast.Call, ast.Raise, ast.Assign)
    # Calls: `print()` and the logging methods (`_sink_kind`); exceptions come as Raise.
    call_leaves = _LOG_METHODS | {"print"}
    in_tests = "skip"

    def begin_module(self) -> None:
        self._loggers: set[str] = set()

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            self._track_logger(node)
        elif isinstance(node, ast.Raise):
            exc = node.exc
            if isinstance(exc, ast.Call) and exc.args:
                self._inspect(node, exc, exc.args, "raise")
        elif isinstance(node, ast.Call):
            kind = self._sink_kind(node)
            if kind is not None:
                self._inspect(node, node, node.args, kind)

    # -- sinks ------------------------------------------------------------------------------
    def _track_logger(self, node: ast.Assign) -> None:
        if not isinstance(node.value, ast.Call) or self.walker.call_name(node.value) not in (
            _GET_LOGGER
        ):
            return
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._loggers.add(target.id)
            elif isinstance(target, ast.Attribute):
                self._loggers.add(target.attr)

    def _sink_kind(self, call: ast.Call) -> str | None:
        walker = self.walker
        func = call.func
        if isinstance(func, ast.Name):
            return "print" if walker.call_name(call) == "print" else None
        if not isinstance(func, ast.Attribute) or func.attr not in _LOG_METHODS:
            return None
        receiver = func.value
        if isinstance(receiver, ast.Name):
            if walker.qualname(receiver) == "logging":
                return "log"
            if receiver.id in _LOGGER_NAMES or receiver.id in self._loggers:
                return "log"
        elif isinstance(receiver, ast.Attribute):
            if receiver.attr in _LOGGER_NAMES or receiver.attr in self._loggers:
                return "log"
        elif isinstance(receiver, ast.Call) and walker.call_name(receiver) in _GET_LOGGER:
            return "log"
        return None

    # -- arguments ---------------------------------------------------------------------------
    def _inspect(self, node: ast.AST, call: ast.Call, args: list[ast.expr], kind: str) -> None:
        walker = self.walker

        def sink() -> str:
            func = brief(call.func, 40)
            return f"the message of {func}() being raised" if kind == "raise" else f"{func}()"

        for state, expr in _values(walker, args):
            if state == "masked":
                walker.examine(532, node, "log-call", "masked", f"{sink()}: masked value")
                continue
            cred = credential_of(walker, expr)
            if cred is None or not _counts(cred, kind) or _names_a_file(walker, expr):
                continue
            if _parameter_named_by_function(walker, expr):
                continue
            shown = brief(expr)
            if state == "truncated":
                walker.examine(532, node, "log-call", "truncated", f"{sink()}: `{shown}`")
                continue
            walker.examine(
                532, node, "log-call", "test-data" if walker.test_code else "flagged", sink()
            )
            used_as = _object_attribute(walker, expr) if cred.weak else None
            if used_as is not None:
                # `token.expires_at` read nearby: `token` is an object (a token model, a
                # parser's token), and the message shows its class's repr, not a raw secret.
                walker.report(
                    self,
                    node,
                    f"{sink()} includes `{shown}`, which may be {cred.a_noun}; but the function "
                    f"reads `{shown}.{used_as}`, so it is an object and the message shows "
                    "whatever its class prints",
                    severity=Severity.LOW,
                    confidence=Confidence.LOW,
                    evidence=f"bare name of an object (`.{used_as}` read)",
                    fix=_FIX,
                )
                return
            if cred.weak and "or" in cred.words:
                # `path_or_token`: the name says the value is a secret only some of the time.
                walker.report(
                    self,
                    node,
                    f"{sink()} includes `{shown}`, which may be {cred.a_noun}; its name says it "
                    "may hold something else, so check whether the secret kind reaches this "
                    "message",
                    severity=Severity.LOW,
                    confidence=Confidence.LOW,
                    evidence="name of alternatives",
                    fix=_FIX,
                )
                return
            if cred.weak and _quiet_level(call):
                # A bare `token` (a parser's token, a key of a rule table as often as a
                # credential) written at a level that production logging leaves off.
                walker.report(
                    self,
                    node,
                    f"{sink()} includes `{shown}`, which may be {cred.a_noun}; the name alone "
                    "does not say so and the level is off in production logs",
                    severity=Severity.LOW,
                    confidence=Confidence.LOW,
                    evidence="bare name at debug level",
                    fix=_FIX,
                )
                return
            walker.report(
                self,
                node,
                f"{sink()} includes `{shown}`, {cred.a_noun}",
                confidence=Confidence.LOW if cred.weak else self.confidence,
                evidence="name heuristic",
                fix=_FIX,
            )
            return  # one finding per call


_QUIET_LEVELS = frozenset({"debug", "trace"})


def _names_a_file(walker: Walker, expr: ast.expr) -> bool:
    """`private_key = os.path.join(key_dir, "private.pem")`: the path to a secret."""
    if not isinstance(expr, ast.Name):
        return False
    binding = walker.names.lookup(expr.id)
    return (
        binding is not None
        and binding.kind is BindingKind.INSTANCE
        and binding.value in PATH_BUILDERS
    )


# What a str or bytes value has: reading anything else shows the value is an object.
_TEXT_ATTRIBUTES = frozenset(dir(str)) | frozenset(dir(bytes))


def _object_attribute(walker: Walker, expr: ast.expr) -> str | None:
    """An attribute of `expr` (a bare name) that the enclosing function reads or sets and
    that no string has: `token.expires_at`. None when the name is used as text only."""
    function = walker.function
    if not isinstance(expr, ast.Name) or function is None:
        return None
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == expr.id
            and node.attr not in _TEXT_ATTRIBUTES
        ):
            return node.attr
    return None


def _parameter_named_by_function(walker: Walker, expr: ast.expr) -> bool:
    """`def sync(self, old_token)`: the function's name says what kind of token it takes."""
    function = walker.function
    if not isinstance(expr, ast.Name) or function is None:
        return False
    args = function.args
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    return expr.id in params and builtin_models().secret_names.named_by_function(
        function.name, expr.id
    )


def _quiet_level(call: ast.Call) -> bool:
    """`log.debug(...)`, `logger.trace(...)`: levels production logging leaves off."""
    return isinstance(call.func, ast.Attribute) and call.func.attr in _QUIET_LEVELS


def _counts(cred: CredentialName, kind: str) -> bool:
    if cred.kind == "hash":
        return False
    if cred.weak:
        # `token` alone: logging calls only; `signature` alone is often inspect.signature().
        return kind == "log" and cred.kind == "token"
    return cred.holds_credential or cred.holds_mac


def _is_mask_call(walker: Walker, call: ast.Call) -> bool:
    name = walker.call_name(call)
    if name in _MASK_FUNCTIONS:
        return True
    func = call.func
    short = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return bool(_MASK_NAME.match(short))


def _values(walker: Walker, args: list[ast.expr]) -> Iterator[tuple[str, ast.expr]]:
    """The values a message is built from: f-string parts, `%` and `.format()` arguments."""
    stack: list[tuple[ast.expr, int]] = [(arg, 0) for arg in reversed(args)]
    while stack:
        expr, depth = stack.pop()
        if depth > _MAX_DEPTH:
            continue
        inner: list[ast.expr] = []
        match expr:
            case ast.Constant():
                continue
            case ast.JoinedStr(values=parts):
                inner = [p.value for p in parts if isinstance(p, ast.FormattedValue)]
            case ast.FormattedValue(value=value) | ast.Starred(value=value):
                inner = [value]
            case ast.BinOp(op=ast.Mod() | ast.Add(), left=left, right=right):
                inner = [left, right]
            case ast.Tuple(elts=elts) | ast.List(elts=elts) | ast.Set(elts=elts):
                inner = list(elts)
            case ast.Dict(values=values):
                inner = list(values)
            case ast.IfExp(body=body, orelse=orelse):
                inner = [body, orelse]
            case ast.Call(func=ast.Attribute(attr="format", value=receiver)):
                inner = [receiver, *expr.args, *(k.value for k in expr.keywords)]
            case ast.Call() if _is_mask_call(walker, expr):
                yield "masked", expr
                continue
            case ast.Subscript(value=value, slice=ast.Slice()):
                yield "truncated", value
                continue
            case _:
                yield "value", expr
                continue
        stack.extend((child, depth + 1) for child in reversed(inner))
