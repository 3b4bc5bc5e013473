"""CWE-352: views and applications with CSRF protection switched off."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.common import is_truthy
from secreview.rules.web._shared import (
    dotted,
    imports_any,
    looks_public,
    name_words,
    one_line,
    source_text,
)

DJANGO_EXEMPT = frozenset({"django.views.decorators.csrf.csrf_exempt"})
METHOD_DECORATOR = "django.utils.decorators.method_decorator"
CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"
SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"
# Calls in an exempt view that verify the request by other means (webhook signatures).
_VERIFYING_CALLS = frozenset(
    {
        "hmac.compare_digest",
        "secrets.compare_digest",
        "stripe.Webhook.construct_event",
        "stripe.WebhookSignature.verify_header",
        "github_webhook.Webhook",
    }
)
_VERIFYING_WORDS = ("verify", "signature", "check_sig", "validate_sig", "construct_event")
_PACKAGES = frozenset({"django", "flask", "flask_wtf"})
_TEST_WORDS = frozenset({"test", "tests", "testing", "unittest", "pytest"})
_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(slots=True)
class _Exempt:
    node: ast.AST  # where to report
    target: ast.AST | None  # the def or class whose body may verify a signature
    what: str
    name: str  # the exempt view, "" for a setting
    verified: bool = False


class CsrfExempt(Rule):
    """Switches CSRF protection off for a view or a whole application.

    ## What it does
    Finds Django's `@csrf_exempt` (as a decorator, through `method_decorator`, or wrapped
    around a view in a URLconf), Flask-WTF's `@csrf.exempt` and `csrf.exempt(blueprint)`,
    `WTF_CSRF_ENABLED = False` (as a setting or in `app.config`), and a Django `MIDDLEWARE`
    list with sessions but without `CsrfViewMiddleware`.

    An exempt view that verifies a request signature (`hmac.compare_digest`,
    `stripe.Webhook.construct_event`, a call whose name contains `verify` or `signature`) is not
    reported, and neither are settings inside test configurations (`class TestingConfig`,
    `if app.testing:`) nor test code.

    ## Why is this bad?
    Without the CSRF token check, any web page a logged-in user visits can submit forms to the
    exempt view with the user's cookies: change their e-mail, transfer money, delete data.
    Webhooks legitimately have no CSRF token, but then they must authenticate the caller in
    another way, typically an HMAC signature of the body checked with `hmac.compare_digest`.
    Test code is skipped: test settings and test clients switch CSRF off all the time.

    ## Example
    ```python
    from django.views.decorators.csrf import csrf_exempt

    @csrf_exempt
    def update_email(request):
        request.user.email = request.POST["email"]
        request.user.save()
    ```

    ## Use instead
    ```python
    import hmac

    def update_email(request):  # CSRF middleware checks the token
        request.user.email = request.POST["email"]
        request.user.save()

    @csrf_exempt
    def payment_webhook(request):
        expected = hmac.new(WEBHOOK_KEY, request.body, "sha256").hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
            return HttpResponseForbidden()
        ...
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/352.html
    - https://docs.djangoproject.com/en/stable/ref/csrf/
    - https://flask-wtf.readthedocs.io/en/stable/csrf/
    """

    id = "SR704"
    slug = "csrf-exempt"
    cwe = 352
    title = "CSRF protection disabled"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Call,
        ast.Assign,
        ast.Subscript,
    )
    in_tests = "skip"

    def begin_module(self) -> None:
        self.exempts: list[_Exempt] = []
        self.targets: dict[ast.AST, _Exempt] = {}

    # -- collecting -----------------------------------------------------------------------
    def check(self, node: ast.AST) -> None:
        walker = self.walker
        if walker.test_code:
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self._decorators(node)
        elif isinstance(node, ast.Call):
            if imports_any(walker, _PACKAGES):
                self._call(node)
        elif isinstance(node, ast.Assign):
            self._setting(node)
        elif isinstance(node, ast.Subscript):
            self._config_item(node)

    def _decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        walker = self.walker
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call):
                continue  # method_decorator(csrf_exempt) is seen as a call
            if walker.qualname(decorator) in DJANGO_EXEMPT:
                self._add(decorator, node, "@csrf_exempt", node.name)
            elif self._flask_wtf_exempt(decorator):
                self._add(decorator, node, f"@{one_line(walker, decorator)}", node.name)

    def _flask_wtf_exempt(self, expr: ast.expr) -> bool:
        return (
            isinstance(expr, ast.Attribute)
            and expr.attr == "exempt"
            and "flask_wtf" in self.walker.framework_hints
        )

    def _call(self, node: ast.Call) -> None:
        walker = self.walker
        if self.targets:
            self._verification(node)
        name = walker.call_name(node)
        if name in DJANGO_EXEMPT and node.args:
            self._add_call(node, "csrf_exempt()")
        elif name == METHOD_DECORATOR and node.args:
            if walker.qualname(node.args[0]) in DJANGO_EXEMPT:
                self._add_call(node, "method_decorator(csrf_exempt)")
        elif self._flask_wtf_exempt(node.func) and node.args:
            self._add_call(node, f"{one_line(walker, node.func)}()")
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and dotted(node.func.value).endswith("config")
        ):
            value = walker.keyword(node, "WTF_CSRF_ENABLED")
            if value is not None and is_truthy(walker, value) is False:
                self._add(node, None, "WTF_CSRF_ENABLED=False", "")

    def _add_call(self, node: ast.Call, what: str) -> None:
        parent = self.walker.parent
        target = None
        name = ""
        if isinstance(parent, _BOUNDARIES) and node in parent.decorator_list:
            target, name = parent, parent.name
        elif node.args:
            name = one_line(self.walker, node.args[-1], 40)
        self._add(node, target, what, name)

    def _setting(self, node: ast.Assign) -> None:
        walker = self.walker
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == "WTF_CSRF_ENABLED":
                if is_truthy(walker, node.value) is False:
                    self._add(node, None, "WTF_CSRF_ENABLED = False", "")
            elif isinstance(target, ast.Name) and target.id in {"MIDDLEWARE", "MIDDLEWARE_CLASSES"}:
                self._middleware(node, target.id)

    def _config_item(self, node: ast.Subscript) -> None:
        walker = self.walker
        parent = walker.parent
        if not (
            isinstance(parent, ast.Assign)
            and node in parent.targets
            and walker.const_value(node.slice) == "WTF_CSRF_ENABLED"
        ):
            return
        if is_truthy(walker, parent.value) is False:
            self._add(parent, None, 'config["WTF_CSRF_ENABLED"] = False', "")

    def _middleware(self, node: ast.Assign, name: str) -> None:
        walker = self.walker
        value = walker.const_value(node.value)
        if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
            return
        if CSRF_MIDDLEWARE in value:
            walker.examine(352, node, "csrf-protection", "enabled", f"{name} has CSRF middleware")
            return
        if SESSION_MIDDLEWARE not in value:
            walker.examine(352, node, "csrf-protection", "no-sessions", f"{name} without sessions")
            return
        self._add(node, None, f"{name} without CsrfViewMiddleware", "")

    def _add(self, node: ast.AST, target: ast.AST | None, what: str, name: str) -> None:
        if target is None and self._in_test_configuration():
            self.walker.examine(352, node, "csrf-protection", "test-configuration", what)
            return
        exempt = _Exempt(node, target, what, name)
        self.exempts.append(exempt)
        if target is not None:
            self.targets[target] = exempt

    def _in_test_configuration(self) -> bool:
        """Inside `class TestingConfig`, `def configure_tests()` or `if app.testing:`."""
        for ancestor in self.walker.ancestors:
            if isinstance(ancestor, _BOUNDARIES) and _TEST_WORDS & set(name_words(ancestor.name)):
                return True
            if isinstance(ancestor, ast.If) and _TEST_WORDS & set(
                name_words(source_text(self.walker, ancestor.test))
            ):
                return True
        return False

    def _verification(self, node: ast.Call) -> None:
        exempt = None
        for ancestor in reversed(self.walker.ancestors):
            exempt = self.targets.get(ancestor)
            if exempt is not None:
                break
        if exempt is None or exempt.verified:
            return
        name = self.walker.call_name(node)
        if name is None and isinstance(node.func, ast.Attribute):
            name = node.func.attr
        if name is None:
            return
        lowered = name.lower()
        if name in _VERIFYING_CALLS or any(word in lowered for word in _VERIFYING_WORDS):
            exempt.verified = True

    # -- reporting ------------------------------------------------------------------------
    def end_module(self) -> None:
        walker = self.walker
        for exempt in self.exempts:
            if exempt.verified:
                walker.examine(
                    352, exempt.node, "csrf-protection", "signature-verified", exempt.what
                )
                continue
            walker.examine(352, exempt.node, "csrf-protection", "flagged", exempt.what)
            if exempt.name:
                message = f"{exempt.what} disables CSRF protection for `{exempt.name}`"
                if looks_public(exempt.name):
                    message += (
                        " and nothing in it verifies a request signature (a webhook must "
                        "authenticate its caller another way)"
                    )
                else:
                    message += "; a page on any site can submit requests with the user's cookies"
            elif "MIDDLEWARE" in exempt.what:
                message = (
                    f"{exempt.what}: session-authenticated views are not protected against "
                    "cross-site request forgery"
                )
            else:
                message = f"{exempt.what} disables CSRF protection for every Flask-WTF form"
            walker.report(
                self,
                exempt.node,
                message,
                evidence="framework configuration",
                fix=Fix(
                    "remove the exemption; if the endpoint is a webhook, verify an HMAC "
                    "signature of the request body with hmac.compare_digest() instead"
                    if exempt.name
                    else "keep CSRF protection enabled outside test configurations"
                ),
            )
