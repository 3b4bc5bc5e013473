"""CWE-352: views and applications with CSRF protection switched off."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.common import is_truthy
from secreview.rules.web._shared import (
    dotted,
    imports_any,
    looks_public,
    name_words,
    one_line,
    source_may_name,
    source_text,
)
from secreview.rules.web._view_body import (
    DefLine,
    Methods,
    ViewBody,
    auth_decorator,
    enclosing_view,
    observe,
    view_methods,
)

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

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
# Node types that are not part of what a view body does, and those that are nothing else.
_NOT_OBSERVED = frozenset({*_BOUNDARIES, ast.Subscript})
_OBSERVED_ONLY = frozenset({ast.Name, ast.Attribute, ast.AugAssign})
_SESSION_AUTHENTICATION = "rest_framework.authentication.SessionAuthentication"
# Class-based views that only answer what their own methods define (no inherited post()).
_PLAIN_VIEWS = frozenset({"View", "TemplateView", "ListView", "DetailView"})
_SAFE_HANDLERS = frozenset({"get", "head", "options"})
_HANDLERS = frozenset({"get", "head", "options", "post", "put", "patch", "delete", "trace"})


@dataclass(slots=True)
class _Exempt:
    node: ast.AST  # where to report
    target: ast.AST | None  # the def or class whose body may verify a signature
    what: str
    name: str  # the exempt view, "" for a setting
    verified: bool = False
    body: ViewBody | None = None  # what an exempt function view does
    methods: Methods | None = None  # the methods it accepts, when its decorators say
    message: str = ""  # instead of the generic message
    method: bool = False  # the target is a method of a class


class CsrfExempt(Rule):
    """Switches CSRF protection off for a view or a whole application.

    ## What it does
    Finds Django's `@csrf_exempt` (as a decorator, through `method_decorator`, or wrapped
    around a view in a URLconf), Flask-WTF's `@csrf.exempt` and `csrf.exempt(blueprint)`,
    `WTF_CSRF_ENABLED = False` (as a setting or in `app.config`), a Django `MIDDLEWARE`
    list with sessions but without `CsrfViewMiddleware`, and a Django REST framework
    `SessionAuthentication` subclass whose `enforce_csrf()` does nothing (`return`, `pass`),
    the well-known "CsrfExemptSessionAuthentication" recipe.

    Not reported, because the exemption cannot be abused:
    - an exempt view that verifies a request signature (`hmac.compare_digest`,
      `stripe.Webhook.construct_event`, a call whose name contains `verify` or `signature`);
    - an exempt view that only accepts safe methods (`@require_GET`, `@require_safe`,
      `@require_http_methods(["GET", "HEAD"])`, a GET-only Flask route, a plain class-based
      view with only `get()`): no CSRF check looks at GET requests anyway. If such a view
      changes data, SR709 reports that instead;
    - an exempt view that neither relies on the user's session (`request.user`,
      `request.session`, `current_user`, an authentication decorator), nor reads a submitted
      body, nor changes anything (a health probe, a build-information endpoint): a forged
      request would do nothing the attacker could not do directly;
    - an `enforce_csrf()` override that does something (a header check, a call to `super()`);
    - settings inside test configurations (`class TestingConfig`, `if app.testing:`), and
      test code.

    ## Why is this bad?
    Without the CSRF token check, any web page a logged-in user visits can submit forms to the
    exempt view with the user's cookies: change their e-mail, transfer money, delete data.
    Webhooks legitimately have no CSRF token, but then they must authenticate the caller in
    another way, typically an HMAC signature of the body checked with `hmac.compare_digest`.
    DRF's `APIView` exempts every view from Django's middleware and lets
    `SessionAuthentication.enforce_csrf()` do the check instead, so overriding it with a no-op
    turns CSRF protection off for every API view that accepts the session cookie.
    Test code is skipped: test settings and test clients switch CSRF off all the time.

    ## Example
    ```python
    from django.views.decorators.csrf import csrf_exempt

    @csrf_exempt
    def update_email(request):
        request.user.email = request.POST["email"]
        request.user.save()
    ```

    ```python
    class CsrfExemptSessionAuthentication(SessionAuthentication):
        def enforce_csrf(self, request):
            return  # skips the check for every view using this class
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

    @csrf_exempt  # harmless: GET only, nothing changes
    @require_GET
    def healthz(request):
        return JsonResponse({"status": "ok"})
    ```

    For a DRF API, keep `SessionAuthentication` as it is (the browser client sends the
    `X-CSRFToken` header) or authenticate API clients with tokens instead of the cookie.

    ## References
    - https://cwe.mitre.org/data/definitions/352.html
    - https://docs.djangoproject.com/en/stable/ref/csrf/
    - https://www.django-rest-framework.org/topics/ajax-csrf-cors/
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
        ast.Attribute,
        ast.Name,
        ast.AugAssign,
    )
    in_tests = "skip"

    def __init__(self, walker: Walker) -> None:
        super().__init__(walker)
        # Narrow the subscriptions of this module's instance where they cannot matter.
        if walker.test_code:
            self.node_types = ()  # check() does nothing in test code
        elif not source_may_name(walker, ("exempt",)):
            # No `csrf_exempt` nor Flask-WTF `csrf.exempt`: no exempt view, so no view body
            # to observe (Name, Attribute, AugAssign, calls) nor to verify; of the calls only
            # `app.config.update(WTF_CSRF_ENABLED=False)` is left to judge.
            unused = _OBSERVED_ONLY
            if not source_may_name(walker, ("WTF_CSRF_ENABLED",)):
                unused = unused | {ast.Call}
            self.node_types = tuple(t for t in self.node_types if t not in unused)

    def begin_module(self) -> None:
        self.exempts: list[_Exempt] = []
        self.targets: dict[ast.AST, _Exempt] = {}
        self.bodies: dict[ast.AST, ViewBody] = {}
        self.session_classes: set[str] = set()  # local SessionAuthentication subclasses

    # -- collecting -----------------------------------------------------------------------
    def check(self, node: ast.AST) -> None:
        walker = self.walker
        if walker.test_code:
            return
        kind = node.__class__
        if self.bodies and kind not in _NOT_OBSERVED:
            body = enclosing_view(walker, self.bodies)
            if body is not None:
                observe(walker, body, node)
        if kind in _OBSERVED_ONLY:
            return
        # The most frequent types first.
        if kind is ast.Subscript:
            self._config_item(node)
        elif kind is ast.Call:
            if imports_any(walker, _PACKAGES):
                self._call(node)
        elif kind is ast.Assign:
            self._setting(node)
        else:  # a def or a class
            self._decorators(node)
            if kind is ast.ClassDef:
                self._session_subclass(node)
            elif node.name == "enforce_csrf":
                self._enforce_csrf(node)

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
        if isinstance(target, ast.FunctionDef | ast.AsyncFunctionDef):
            ancestors = self.walker.ancestors
            owner = ancestors[ancestors.index(target) - 1] if target in ancestors else None
            if target not in ancestors and ancestors:
                owner = ancestors[-1]
            exempt.method = isinstance(owner, ast.ClassDef)
            exempt.methods = view_methods(self.walker, target.decorator_list)
            exempt.body = self.bodies[target] = ViewBody(target)

    # -- Django REST framework: a SessionAuthentication that skips its CSRF check -----------
    def _session_subclass(self, node: ast.ClassDef) -> None:
        if any(self._session_base(base) for base in node.bases):
            self.session_classes.add(node.name)

    def _session_base(self, base: ast.expr) -> bool:
        name = self.walker.qualname(base) or ""
        if name == _SESSION_AUTHENTICATION:
            return True
        return isinstance(base, ast.Name) and base.id in self.session_classes

    def _enforce_csrf(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """`def enforce_csrf(self, request): return` in a SessionAuthentication subclass."""
        owner = self.walker.parent
        if not isinstance(owner, ast.ClassDef) or not any(
            self._session_base(base) for base in owner.bases
        ):
            return
        what = f"{owner.name}.enforce_csrf()"
        if not all(_does_nothing(statement) for statement in node.body):
            self.walker.examine(352, node, "csrf-protection", "custom-csrf-check", what)
            return
        exempt = _Exempt(DefLine(node), None, what, owner.name)
        exempt.message = (
            f"`{what}` does nothing: every view authenticated by `{owner.name}` accepts "
            "cookie-authenticated POST, PUT and DELETE requests without a CSRF token"
        )
        self.exempts.append(exempt)

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
        ancestors = self.walker.ancestors
        if self.targets.keys().isdisjoint(ancestors):
            return  # in no exempt view (one pass in C)
        exempt = None
        for ancestor in reversed(ancestors):
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
            harmless = self._harmless(exempt)
            if harmless:
                walker.examine(352, exempt.node, "csrf-protection", harmless, exempt.what)
                continue
            walker.examine(352, exempt.node, "csrf-protection", "flagged", exempt.what)
            if exempt.message:
                message = exempt.message
            elif exempt.name:
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
                    "remove the enforce_csrf() override (keep SessionAuthentication's check), "
                    "or authenticate API clients with a token instead of the session cookie"
                    if exempt.message
                    else "remove the exemption; if the endpoint is a webhook, verify an HMAC "
                    "signature of the request body with hmac.compare_digest() instead"
                    if exempt.name
                    else "keep CSRF protection enabled outside test configurations"
                ),
            )

    def _harmless(self, exempt: _Exempt) -> str:
        """Why exempting this view changes nothing, or ""."""
        target = exempt.target
        if isinstance(target, ast.ClassDef):
            return "safe-methods-only" if _read_only_class(self.walker, target) else ""
        if not isinstance(target, ast.FunctionDef | ast.AsyncFunctionDef):
            return ""
        if exempt.method:
            # method_decorator(csrf_exempt) on a handler method: only dispatch() counts
            return "safe-methods-only" if target.name in _SAFE_HANDLERS else ""
        if exempt.methods is not None and exempt.methods.safe_only:
            return "safe-methods-only"  # no CSRF check looks at GET/HEAD anyway
        body = exempt.body
        if (
            body is not None
            and not body.state_changes()
            and not body.body_data
            and not body.ambient
            and not auth_decorator(target.decorator_list)
        ):
            return "no-session-no-state-change"
        return ""


def _does_nothing(statement: ast.stmt) -> bool:
    """`pass`, `return`, `return None`, `...` or a docstring."""
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Return):
        return statement.value is None or (
            isinstance(statement.value, ast.Constant) and statement.value.value is None
        )
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _read_only_class(walker, node: ast.ClassDef) -> bool:  # type: ignore[no-untyped-def]
    """A plain class-based view that defines only GET/HEAD/OPTIONS handlers."""
    bases = [(walker.qualname(base) or "").rsplit(".", 1)[-1] for base in node.bases]
    if not bases or not all(b in _PLAIN_VIEWS or "Mixin" in b for b in bases):
        return False
    handlers = {
        statement.name
        for statement in node.body
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
        and statement.name in _HANDLERS
    }
    return bool(handlers) and handlers <= _SAFE_HANDLERS
