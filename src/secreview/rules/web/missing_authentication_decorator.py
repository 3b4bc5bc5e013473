"""CWE-862: a view without the authentication decorator that its sibling views carry."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule, leaves_of
from secreview.rules.common import is_truthy
from secreview.rules.web._shared import (
    decorator_name,
    looks_public,
    may_import,
    name_words,
    one_line,
    source_may_name,
    source_text,
)

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

_ROUTE_METHODS = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "api_route", "add_url_rule"}
)
_ROUTE_FRAMEWORKS = frozenset({"flask", "quart", "fastapi", "starlette", "sanic", "bottle"})
_DJANGO = frozenset({"django"})
_GUARD_DECORATORS = ("before_request", "before_app_request")
# Applications and routers whose `dependencies=[...]` guard every view of the module.
_GUARDED_APPS = frozenset({"fastapi.FastAPI", "fastapi.APIRouter", "flask_httpauth.HTTPBasicAuth"})
# Parts of a decorator's name that make it an authentication decorator...
_AUTH_PARTS = ("login", "auth", "permission", "jwt", "user_passes_test", "superuser")
# ...and whole words of it (`@roles_required`, `@admin_only`, `@token_required`).
_AUTH_NAME_WORDS = frozenset(
    {"role", "roles", "admin", "staff", "token", "signed", "logged", "authenticated"}
)
_PUBLIC_MARKERS = ("not_required", "exempt", "optional", "no_auth", "skip_auth", "public")
_DJANGO_VIEW_BASES = frozenset(
    {
        "View",
        "TemplateView",
        "RedirectView",
        "ListView",
        "DetailView",
        "FormView",
        "CreateView",
        "UpdateView",
        "DeleteView",
        "ArchiveIndexView",
    }
)
_DJANGO_AUTH_MIXINS = ("LoginRequired", "PermissionRequired", "UserPassesTest", "AccessMixin")
# Text of an `if` test that checks the caller in the view body.
_BODY_CHECK_WORDS = (
    "is_authenticated",
    "is_anonymous",
    "current_user",
    "request.user",
    "has_perm",
    "is_staff",
    "is_superuser",
    "is_admin",
    "g.user",
)
# Calls that check the caller in the view body.
_BODY_CHECK_CALLS = (
    "verify_jwt_in_request",
    "get_jwt_identity",
    "check_permission",
    "check_auth",
    "authenticate",
    "authorize",
    "require_login",
    "login_required",
    "has_perm",
    "permission_required",
)
_RESPONSES = ("django.shortcuts.", "django.http.", "django.template.response.")


@dataclass(slots=True)
class _View:
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    route: str  # "GET /posts/<id>" or "" for Django views
    decorator: str = ""  # the authentication decorator it carries
    public_marker: bool = False  # @login_not_required, @jwt_required(optional=True)
    body_check: bool = False
    django_function: bool = False
    responds: bool = True
    guard: bool = False  # a before_request hook, not a view
    enforces: bool = False  # (hooks) aborts, raises or redirects to a login page
    notes: list[str] = field(default_factory=list)


class _Line:
    """The `def` line of a view, so that a finding (and its suppression) is that line only."""

    def __init__(self, node: ast.AST) -> None:
        self.lineno = node.lineno  # type: ignore[attr-defined]
        self.col_offset = node.col_offset  # type: ignore[attr-defined]
        self.end_lineno = node.lineno  # type: ignore[attr-defined]
        self.end_col_offset = node.col_offset + 3  # type: ignore[attr-defined]


class MissingAuthenticationDecorator(Rule):
    """A view lacks the authentication decorator that most views of its module carry.

    ## What it does
    Collects the views of a module: Flask/Quart/FastAPI route functions (`@app.route`,
    `@bp.get`, `@router.post`...), Django function views (functions taking `request` that
    return a response) and Django class-based views. When at least two of them carry an
    authentication decorator and the protected views are the majority, the views without one
    are reported. A decorator counts as authentication when its name contains `login`, `auth`,
    `permission`, `jwt`, `role`, ... (`@login_required`, `@jwt_required()`,
    `@permission_required(...)`, `@requires_auth`); for Django class-based views a
    `LoginRequiredMixin`-style base; for FastAPI a `Depends(get_current_user)`-style parameter.

    Not reported: views public by design judged by their name or route (login, logout,
    register, sign-up, health, status, ping, index and `/`, static, password reset, webhook,
    OAuth callback...), views explicitly marked public (`@login_not_required`,
    `@jwt_required(optional=True)`), views that check the caller in their body
    (`if not current_user.is_authenticated:`, `verify_jwt_in_request()`), and modules with a
    `before_request` hook that authenticates, or a FastAPI router with an authentication
    dependency.

    ## Why is this bad?
    When authentication is added view by view, the one that was forgotten is reachable by
    anyone: typically an admin action, an export or a delete endpoint added later. The rest
    of the module shows the intent; the missing decorator is the bug.
    Test code is skipped: test modules define throwaway views to exercise the framework.

    ## Example
    ```python
    @bp.route("/invoices")
    @login_required
    def list_invoices():
        ...

    @bp.route("/invoices/<int:invoice_id>")
    @login_required
    def show_invoice(invoice_id):
        ...

    @bp.route("/invoices/<int:invoice_id>/delete", methods=["POST"])
    def delete_invoice(invoice_id):
        ...
    ```

    ## Use instead
    ```python
    @bp.route("/invoices/<int:invoice_id>/delete", methods=["POST"])
    @login_required
    def delete_invoice(invoice_id):
        ...
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/862.html
    - https://cwe.mitre.org/data/definitions/284.html
    - https://flask-login.readthedocs.io/en/latest/#flask_login.login_required
    """

    id = "SR706"
    slug = "missing-authentication-decorator"
    cwe = 862
    related_cwes = (284,)
    title = "View without the authentication decorator its siblings have"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Call, ast.If, ast.Raise)
    in_tests = "skip"

    def __init__(self, walker: Walker) -> None:
        super().__init__(walker)
        if walker.test_code:
            self.node_types = ()  # check() does nothing in test code
        elif not (
            source_may_name(walker, _GUARD_DECORATORS)
            or may_import(walker, _ROUTE_FRAMEWORKS)
            or (may_import(walker, _DJANGO) and source_may_name(walker, ("request",)))
        ):
            # No function view nor guard can be tracked: a guard needs a `before_request`
            # decorator, a route a framework import, a Django function view a `request`
            # parameter. Without them only Django class-based views are left (their class
            # statements, and the calls that set a module guard if the source names one).
            if not may_import(walker, _DJANGO):
                self.node_types = ()
            elif source_may_name(walker, tuple(leaves_of(_GUARDED_APPS))):
                self.node_types = (ast.ClassDef, ast.Call)
            else:
                self.node_types = (ast.ClassDef,)

    def begin_module(self) -> None:
        self.views: dict[ast.AST, _View] = {}
        self.module_guard = ""

    # -- collecting -----------------------------------------------------------------------
    def check(self, node: ast.AST) -> None:
        walker = self.walker
        if walker.test_code:
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self._function(node)
        elif isinstance(node, ast.ClassDef):
            self._class(node)
        elif isinstance(node, ast.Call):
            self._call(node)
        elif isinstance(node, ast.Raise) and self.views:
            view = self.views.get(walker.function)  # type: ignore[arg-type]
            if view is not None and view.guard:
                view.enforces = True
        elif isinstance(node, ast.If) and self.views:
            view = self.views.get(walker.function)  # type: ignore[arg-type]
            if view is not None and not view.body_check:
                test = source_text(walker, node.test)
                view.body_check = any(word in test for word in _BODY_CHECK_WORDS)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        walker = self.walker
        route = ""
        for decorator in node.decorator_list:
            name = decorator_name(decorator)
            if name in _GUARD_DECORATORS:
                self.views[node] = _View(node, "", guard=True)
                return
            if (
                name in _ROUTE_METHODS
                and isinstance(decorator, ast.Call)
                and isinstance(decorator.func, ast.Attribute)
                and walker.framework_hints & _ROUTE_FRAMEWORKS
            ):
                path = walker.const_value(walker.argument(decorator, 0, "rule"))
                if not isinstance(path, str):
                    path = walker.const_value(walker.argument(decorator, 0, "path"))
                methods = self._methods(decorator, name)
                route = f"{methods} {path}" if isinstance(path, str) else methods
            if name == "api_view":
                return  # DRF: permission_classes, see SR705
        django = False
        if not route:
            args = node.args.args
            if (
                "django" not in walker.framework_hints
                or walker.function is not None
                or isinstance(walker.parent, ast.ClassDef)
                or not args
                or args[0].arg != "request"
                or node.name.startswith("_")
            ):
                return
            django = True
        view = _View(node, route, django_function=django, responds=not django)
        self._authentication(view, node.decorator_list)
        if not view.decorator and not django:
            self._dependencies(view, node)
        self.views[node] = view

    def _methods(self, decorator: ast.Call, name: str) -> str:
        if name not in {"route", "api_route", "add_url_rule"}:
            return name.upper()
        value = self.walker.const_value(self.walker.keyword(decorator, "methods"))
        if isinstance(value, tuple) and value:
            return "|".join(str(m).upper() for m in value)
        return "GET"

    def _authentication(self, view: _View, decorators: list[ast.expr]) -> None:
        walker = self.walker
        for decorator in decorators:
            name = decorator_name(decorator)
            if name == "method_decorator" and isinstance(decorator, ast.Call) and decorator.args:
                name = decorator_name(decorator.args[0])
            lowered = name.lower()
            if "csrf" in one_line(walker, decorator).lower():
                continue
            if any(marker in lowered for marker in _PUBLIC_MARKERS) or (
                isinstance(decorator, ast.Call)
                and is_truthy(walker, walker.keyword(decorator, "optional"))
            ):
                view.public_marker = True
                return
            if any(part in lowered for part in _AUTH_PARTS) or (
                set(name_words(name)) & _AUTH_NAME_WORDS
            ):
                view.decorator = f"@{name}"
                return

    def _dependencies(self, view: _View, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """FastAPI: `user = Depends(get_current_user)` parameters, `dependencies=[...]`."""
        walker = self.walker
        defaults = [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
        for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
            # `user: Annotated[User, Depends(get_current_user)]`
            annotation = arg.annotation
            if isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple):
                defaults.extend(annotation.slice.elts[1:])
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call):
                extra = walker.keyword(decorator, "dependencies")
                if isinstance(extra, ast.List | ast.Tuple):
                    defaults.extend(extra.elts)
        for default in defaults:
            if _auth_dependency(walker, default):
                view.decorator = f"Depends({one_line(walker, default.args[0], 30)})"  # type: ignore[attr-defined]
                return

    def _class(self, node: ast.ClassDef) -> None:
        walker = self.walker
        if "django" not in walker.framework_hints:
            return
        names = [(walker.qualname(b) or one_line(walker, b)) for b in node.bases]
        if any(n.startswith("rest_framework") for n in names):
            return  # DRF: permission_classes, see SR705
        last = [n.rsplit(".", 1)[-1] for n in names]
        if not any(n in _DJANGO_VIEW_BASES for n in last):
            return
        view = _View(node, "")
        mixin = next((n for n in last if any(m in n for m in _DJANGO_AUTH_MIXINS)), None)
        if mixin:
            view.decorator = mixin
        else:
            self._authentication(view, node.decorator_list)
        self.views[node] = view

    def _call(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        if name in _GUARDED_APPS:
            extra = walker.keyword(node, "dependencies")
            if isinstance(extra, ast.List | ast.Tuple) and any(
                _auth_dependency(walker, d) for d in extra.elts
            ):
                self.module_guard = f"{name.rsplit('.', 1)[-1]}(dependencies=...)"
            return
        if not self.views:
            return
        view = self.views.get(walker.function)  # type: ignore[arg-type]
        if view is None:
            return
        text = name or (node.func.attr if isinstance(node.func, ast.Attribute) else "")
        if view.django_function and not view.responds and text.startswith(_RESPONSES):
            view.responds = True
        if view.guard and not view.enforces:
            lowered = text.lower()
            view.enforces = (
                text in {"flask.abort", "abort"}
                and walker.const_value(walker.argument(node, 0, "status")) in (401, 403)
            ) or any(word in lowered for word in _BODY_CHECK_CALLS)
            if not view.enforces and text in {"flask.redirect", "redirect"} and node.args:
                view.enforces = "login" in source_text(walker, node.args[0]).lower()
        if not view.body_check:
            lowered = text.lower()
            aborts = text in {"flask.abort", "abort"} and walker.const_value(
                walker.argument(node, 0, "status")
            ) in (401, 403)
            view.body_check = aborts or any(word in lowered for word in _BODY_CHECK_CALLS)

    # -- reporting ------------------------------------------------------------------------
    def end_module(self) -> None:
        walker = self.walker
        guards = [v for v in self.views.values() if v.guard]
        views = [v for v in self.views.values() if not v.guard and v.responds]
        if any(g.enforces for g in guards):
            self.module_guard = "before_request hook"
        candidates: list[_View] = []
        for view in views:
            if view.public_marker or (
                not view.decorator and looks_public(view.node.name, view.route.partition(" ")[2])
            ):
                walker.examine(862, view.node, "route-view", "public-endpoint", view.node.name)
            else:
                candidates.append(view)
        decorated = [v for v in candidates if v.decorator]
        protected = [v for v in candidates if v.decorator or v.body_check or self.module_guard]
        unprotected = [v for v in candidates if v not in protected]
        for view in protected:
            verdict = "authenticated" if view.decorator else "checks-in-body"
            if self.module_guard and not view.decorator:
                verdict = "module-guard"
            walker.examine(862, view.node, "route-view", verdict, view.node.name)
        majority = len(decorated) >= 2 and 2 * len(protected) > len(candidates)
        if not majority:
            for view in unprotected:
                walker.examine(862, view.node, "route-view", "no-convention", view.node.name)
            return
        usual = _most_common([v.decorator for v in decorated])
        mixin = (
            _most_common([v.decorator for v in decorated if isinstance(v.node, ast.ClassDef)])
            or "LoginRequiredMixin"
        )
        confidence = Confidence.MEDIUM if len(decorated) >= 3 else Confidence.LOW
        for view in unprotected:
            walker.examine(862, view.node, "route-view", "flagged", view.node.name)
            where = f" ({view.route})" if view.route else ""
            kind = "class" if isinstance(view.node, ast.ClassDef) else "view"
            walker.report(
                self,
                _Line(view.node),
                f"{kind} `{view.node.name}`{where} has no authentication check, unlike "
                f"{len(decorated)} of the {len(candidates)} views in this module ({usual})",
                confidence=confidence,
                evidence="module convention",
                fix=Fix(
                    f"add {mixin if kind == 'class' else usual} to `{view.node.name}`, or mark it "
                    "public explicitly if it is meant to be"
                ),
            )


def _auth_dependency(walker, expr: ast.expr) -> bool:  # type: ignore[no-untyped-def]
    if not isinstance(expr, ast.Call) or not expr.args:
        return False
    if (walker.call_name(expr) or "").rsplit(".", 1)[-1] not in {"Depends", "Security"}:
        return False
    target = one_line(walker, expr.args[0]).lower()
    return any(
        word in target for word in ("auth", "user", "token", "login", "permission", "verify", "jwt")
    )


def _most_common(items: list[str]) -> str:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else ""
