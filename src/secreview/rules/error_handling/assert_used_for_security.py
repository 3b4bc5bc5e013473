"""CWE-617: access checks and input validation written as `assert`, gone under `python -O`."""

from __future__ import annotations

import ast
import re

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.error_handling._shared import one_line
from secreview.rules.web._shared import ast_lines, source_text

# Words (of identifiers split at `_` and camelCase) that make an assert an access check.
_ACCESS_STRONG = frozenset(
    {
        "admin",
        "admins",
        "administrator",
        "superuser",
        "staff",
        "authenticated",
        "unauthenticated",
        "authorized",
        "authorised",
        "unauthorized",
        "permission",
        "permissions",
        "perms",
        "permitted",
    }
)
_ACCESS_WORDS = _ACCESS_STRONG | frozenset(
    {
        "auth",
        "authorization",
        "authorisation",
        "privilege",
        "privileges",
        "privileged",
        "role",
        "roles",
        "owner",
        "owners",
        "acl",
        "csrf",
        "anonymous",
    }
)
# Calls that decide access or validity.
_CHECK_CALL = re.compile(
    r"\b(has_perms?|has_permission|has_role|has_access|check_\w+|is_valid\w*|validate\w*"
    r"|verify\w*|authori[sz]e\w*|can_\w+|is_allowed\w*)\s*\("
)
# Data straight from the request (Flask, Django, DRF, webob).
_REQUEST_INPUT = re.compile(
    r"\b(?:request|req)\.(?:args|form|json|get_json|GET|POST|data|values|files|headers|"
    r"cookies|query_params|params|body|META|method|remote_addr|environ|matchdict)\b"
    r"|\binput\s*\("
)
_INPUT_IDENTIFIERS = frozenset({"user_input", "userinput", "raw_input", "form_data"})
# Identifiers whose comparison with something else is an ownership or tenancy check.
_PRINCIPALS = frozenset(
    {
        "user",
        "current_user",
        "username",
        "user_id",
        "userid",
        "uid",
        "owner_id",
        "project_id",
        "tenant_id",
        "tenant",
        "account_id",
        "author",
        "created_by",
    }
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r"""'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*\"""")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_TYPE_CHECKS = frozenset({"isinstance", "issubclass", "hasattr", "callable", "type"})


class AssertUsedForSecurity(Rule):
    """Uses `assert` for an access check or input validation, which `python -O` removes.

    ## What it does
    Finds `assert` statements inside functions whose condition is an access check (names such as
    `is_admin`, `is_authenticated`, `permission`, `role`, `owner`, calls such as `has_perm()`,
    `check_*()`, `is_valid()`), a check of request data (`request.args`, `request.POST`,
    `input()`), or a comparison of a principal (`user`, `owner_id`, `project_id`) with something
    else. Plain invariants (`assert isinstance(x, int)`, `assert len(buf) == n`,
    `assert x is not None`) are not reported: unlike Bandit's B101, this rule does not flag
    every assert. Test code is skipped: asserts are how tests check things.

    ## Why is this bad?
    Python removes `assert` statements when it runs with `-O` or `PYTHONOPTIMIZE` (some
    container images and WSGI servers set it). The permission check or the validation
    disappears, and every caller is let through.

    ## Example
    ```python
    def delete_instance(context, instance_id):
        assert context.is_admin, "admin only"
        db.instance_destroy(context, instance_id)
    ```

    ## Use instead
    ```python
    def delete_instance(context, instance_id):
        if not context.is_admin:
            raise exception.Forbidden("admin only")
        db.instance_destroy(context, instance_id)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/617.html
    - https://cwe.mitre.org/data/definitions/703.html
    - https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement
    """

    id = "SR603"
    slug = "assert-used-for-security"
    cwe = 617
    related_cwes = (703,)
    title = "Security check written as an assert"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (ast.Assert,)
    in_tests = "skip"

    def check(self, node: ast.Assert) -> None:
        walker = self.walker
        function = walker.function
        if walker.test_code or function is None:
            return
        test = node.test
        if _invariant(walker, test):
            walker.examine(617, node, "assertion", "invariant", one_line(walker, test))
            return
        text = _STRING.sub("''", source_text(walker, test))
        identifiers = _IDENTIFIER.findall(text)
        words = {w.lower() for ident in identifiers for w in _words(ident)}
        access = words & _ACCESS_WORDS
        call = _CHECK_CALL.search(text)
        request = _REQUEST_INPUT.search(text) or (_INPUT_IDENTIFIERS & set(identifiers))
        principal = isinstance(test, ast.Compare) and bool(_PRINCIPALS & set(identifiers))
        called = call.group(1) if call else ""
        if access or principal:
            kind = "an access check"
        elif request or called.startswith(("validate", "is_valid")):
            kind = "input validation"
        elif called.startswith("verify"):
            kind = "a verification"
        elif called:
            kind = "an access check"
        else:
            walker.examine(617, node, "assertion", "invariant", one_line(walker, test))
            return
        strong = bool(words & _ACCESS_STRONG) or "perm" in called
        walker.examine(617, node, "assertion", "flagged", one_line(walker, test))
        walker.report(
            self,
            node,
            f"assert used for {kind} in `{function.name}()`: `{one_line(walker, test)}` "
            "is removed when Python runs with -O, and the check with it",
            confidence=Confidence.HIGH if strong else Confidence.MEDIUM,
            evidence="name heuristic",
            fix=_fix(
                walker, node, "PermissionError" if kind == "an access check" else "ValueError"
            ),
        )


def _words(identifier: str) -> list[str]:
    return [w for part in identifier.split("_") for w in _CAMEL.split(part) if w]


def _invariant(walker, test: ast.expr) -> bool:  # type: ignore[no-untyped-def]
    """Type checks, None checks and length checks: internal invariants, not security checks."""
    if isinstance(test, ast.BoolOp):
        return all(_invariant(walker, value) for value in test.values)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _invariant(walker, test.operand)
    if isinstance(test, ast.Call):
        return walker.call_name(test) in _TYPE_CHECKS
    if isinstance(test, ast.Compare):
        operands = [test.left, *test.comparators]
        if all(isinstance(op, ast.Is | ast.IsNot) for op in test.ops) and any(
            isinstance(o, ast.Constant) and o.value is None for o in operands
        ):
            return True
        return any(
            isinstance(o, ast.Call) and walker.call_name(o) in {"len", "type"} for o in operands
        )
    return False


def _fix(walker, node: ast.Assert, exception: str) -> Fix:  # type: ignore[no-untyped-def]
    description = (
        f"replace the assert with an explicit check that raises ({exception}, or your "
        "framework's PermissionDenied / Forbidden / BadRequest)"
    )
    line = ast_lines(walker)[node.lineno - 1]
    indent = line[: len(line) - len(line.lstrip())]
    if (
        line.strip() == ""
        or not line.lstrip().startswith("assert")
        or "\n" in source_text(walker, node)
    ):
        return Fix(description)
    test = node.test
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        condition = source_text(walker, test.operand)
    else:
        condition = f"not ({source_text(walker, test)})"
    message = source_text(walker, node.msg) if node.msg is not None else ""
    step = "\t" if indent.startswith("\t") else "    "
    replacement = f"if {condition}:\n{indent}{step}raise {exception}({message})"
    return walker.replace_fix(node, replacement, description)
