"""CWE-352: a view that changes state when it is requested with GET."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.web._shared import looks_public, may_import, one_line, source_may_name
from secreview.rules.web._view_body import (
    AUTH_MIXINS,
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

_FRAMEWORKS = frozenset({"django", "flask", "quart", "rest_framework"})
_EXEMPT = "django.views.decorators.csrf.csrf_exempt"
# Class-based views whose `get()` answers GET requests.
_VIEW_BASE_PREFIXES = ("django.views", "rest_framework.views", "rest_framework.generics")
_VIEW_BASES = frozenset({"flask.views.MethodView", "quart.views.MethodView"})
_BODY_NODES = (ast.Call, ast.Attribute, ast.Name, ast.AugAssign)
_ROUTE_PACKAGES = frozenset({"flask", "quart"})
# `def get(`, also split by a line continuation: the GET handler of a class-based view.
_DEF_GET = re.compile(r"def[\s\\]+get\b")


@dataclass(slots=True)
class _Candidate:
    body: ViewBody
    kind: str  # "route", "django", "method"
    methods: Methods | None  # None: no restriction (Django function views)
    identity: str = ""  # an authentication decorator or mixin
    owner: ast.ClassDef | None = None  # the class of a `get()` method


class StateChangeOnGet(Rule):
    """A view deletes or updates data when it is requested with GET.

    ## What it does
    Finds views that answer GET requests and change stored state in their body: a Flask/Quart
    route that is GET-only (`@app.route("/x")` with no `methods`, `methods=["GET"]`,
    `@bp.get(...)`), a Django view under `@require_GET`/`@require_safe`, a Django function
    view with no method restriction at all, the `get()` method of a class-based view
    (`View`, `APIView`, `MethodView`) and a DRF `@api_view(["GET"])` function. A state change
    is an ORM `.delete()`, a queryset `.update(...)`/`.objects.create(...)`, a MongoDB
    write, an SQL `DELETE`/`UPDATE`/`INSERT` passed to `execute()`, `os.remove()` /
    `shutil.rmtree()`, and `save()`/`commit()` after the view changed a record.

    It is reported only when the view relies on the browser's cookies to know the user
    (`session`, `current_user`, `request.user`, an authentication decorator or mixin), since
    only then can another site act as the user. Not reported: writes that merely record the
    visit (`post.views += 1`, `user.last_seen = now()`, `AccessLog.objects.create(...)`),
    Django views that check `request.method` or read a submitted body (`request.POST`),
    links that carry their own authorisation (a `token`/`signature` parameter, a signature
    or token check in the body, e.g. e-mail confirmation and unsubscribe links), and views
    public by design by their name or route (login, logout, OAuth callback, webhook...).

    ## Why is this bad?
    CSRF protection (Django's `CsrfViewMiddleware`, Flask-WTF's `CSRFProtect`, DRF's
    `SessionAuthentication`) checks only unsafe methods: a GET request is assumed not to change
    anything. Any page the user visits can make their browser send one, with their cookies,
    through an `<img src>` or a link, so a GET that deletes the account or changes a setting
    is a cross-site request forgery (CWE-352) that the framework cannot stop (CWE-650).
    A Django function view without `@require_POST` answers GET too, even if the site's form
    uses POST. Test code is skipped: test views exercise the framework, not the site.

    ## Example
    ```python
    @app.route("/account/delete", methods=["GET"])
    @login_required
    def delete_account():
        current_user.delete()
        db.session.commit()
        return redirect("/")
    ```

    ## Use instead
    ```python
    @app.route("/account/delete", methods=["GET", "POST"])
    @login_required
    def delete_account():
        form = ConfirmDeleteForm()  # a FlaskForm: CSRFProtect checks its token on POST
        if form.validate_on_submit():
            current_user.delete()
            db.session.commit()
            return redirect("/")
        return render_template("confirm_delete.html", form=form)
    ```

    In Django, decorate the view with `@require_POST` (or do the change in `post()`) and let
    GET render a confirmation page.

    ## References
    - https://cwe.mitre.org/data/definitions/352.html
    - https://cwe.mitre.org/data/definitions/650.html
    - https://docs.djangoproject.com/en/stable/topics/http/decorators/#allowed-http-methods
    - https://owasp.org/www-community/attacks/csrf
    """

    id = "SR709"
    slug = "state-change-on-get"
    cwe = 352
    related_cwes = (650,)
    title = "View changes state on a GET request"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Call,
        ast.Attribute,
        ast.Name,
        ast.Assign,
        ast.AugAssign,
    )
    in_tests = "skip"

    def __init__(self, walker: Walker) -> None:
        super().__init__(walker)
        if walker.test_code or not may_import(walker, _FRAMEWORKS) or not _may_have_views(walker):
            # Views are only tracked outside test code, in modules importing a framework, and
            # only of the shapes `_may_have_views` looks for: without them check() would do
            # nothing with any node (the ~2 million Names and Attributes of the standard
            # library included).
            self.node_types = ()

    def begin_module(self) -> None:
        self.views: dict[ast.AST, ViewBody] = {}
        self.candidates: list[_Candidate] = []
        self.classes: dict[ast.ClassDef, list[str]] = {}  # view class -> its qualified bases
        self.authentication: dict[ast.ClassDef, str] = {}  # authentication_classes text

    def check(self, node: ast.AST) -> None:
        walker = self.walker
        if isinstance(node, _BODY_NODES):
            if self.views:  # only ever filled outside test code
                view = enclosing_view(walker, self.views)
                if view is not None:
                    observe(walker, view, node)
            return
        if walker.test_code or not walker.framework_hints & _FRAMEWORKS:
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self._function(node)
        elif isinstance(node, ast.ClassDef):
            self._class(node)
        elif isinstance(node, ast.Assign):
            if isinstance(walker.parent, ast.ClassDef):
                self._class_setting(node, walker.parent)
            elif self.views:
                view = enclosing_view(walker, self.views)
                if view is not None:
                    observe(walker, view, node)

    # -- collecting -----------------------------------------------------------------------
    def _class(self, node: ast.ClassDef) -> None:
        walker = self.walker
        bases = [walker.qualname(base) or "" for base in node.bases]
        if any(b.startswith(_VIEW_BASE_PREFIXES) or b in _VIEW_BASES for b in bases) or any(
            any(m in b for m in AUTH_MIXINS) for b in bases
        ):
            self.classes[node] = bases

    def _class_setting(self, node: ast.Assign, owner: ast.ClassDef) -> None:
        if owner not in self.classes:
            return
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == "authentication_classes":
                self.authentication[owner] = one_line(self.walker, node.value, 200)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        walker = self.walker
        parent = walker.parent
        if isinstance(parent, ast.ClassDef):
            if parent in self.classes and node.name == "get":
                bases = self.classes[parent]
                mixin = next((b for b in bases if any(m in b for m in AUTH_MIXINS)), "")
                identity = mixin.rsplit(".", 1)[-1] or auth_decorator(node.decorator_list)
                self._track(_Candidate(ViewBody(node), "method", None, identity, parent))
            return
        if walker.function is not None:
            return
        methods = view_methods(walker, node.decorator_list)
        identity = auth_decorator(node.decorator_list)
        exempt = any(walker.qualname(d) == _EXEMPT for d in node.decorator_list)
        if methods is not None and methods.route:
            if "GET" in methods.methods and methods.safe_only:
                self._track(_Candidate(ViewBody(node), "route", methods, identity))
            return
        args = node.args.args
        if (
            not walker.framework_hints & {"django", "rest_framework"}
            or not args
            or args[0].arg != "request"
            or node.name.startswith("_")
        ):
            return
        if methods is not None and "GET" not in methods.methods:
            return  # @require_POST
        if exempt and not (methods is not None and methods.safe_only):
            return  # SR704 reports the exemption
        self._track(_Candidate(ViewBody(node), "django", methods, identity))

    def _track(self, candidate: _Candidate) -> None:
        self.candidates.append(candidate)
        self.views[candidate.body.node] = candidate.body

    # -- reporting ------------------------------------------------------------------------
    def end_module(self) -> None:
        for candidate in self.candidates:
            self._judge(candidate)

    def _judge(self, candidate: _Candidate) -> None:
        walker = self.walker
        body = candidate.body
        node = body.node
        changes = body.state_changes()
        if not changes:
            walker.examine(352, node, "get-view", "no-state-change", node.name)
            return
        explicit = candidate.methods is not None and candidate.methods.safe_only
        if candidate.kind == "django" and candidate.methods is None and not body.responds:
            walker.examine(352, node, "get-view", "not-a-view", node.name)
            return
        if candidate.kind == "django" and not explicit and (body.method_checked or body.body_data):
            detail = "checks request.method" if body.method_checked else body.body_data
            walker.examine(352, node, "get-view", "post-only-in-body", detail)
            return
        identity = candidate.identity or body.ambient
        owner = candidate.owner
        if owner in self.authentication and "session" not in self.authentication[owner].lower():
            identity = ""  # token authentication: no cookies, no CSRF
        if not identity:
            walker.examine(352, node, "get-view", "no-cookie-identity", node.name)
            return
        route = candidate.methods.route if candidate.methods is not None else ""
        if body.capability or looks_public(node.name, route):
            detail = body.capability or "public endpoint"
            walker.examine(352, node, "get-view", "authorised-by-link", detail)
            return
        walker.examine(352, node, "get-view", "flagged", node.name)
        self._report(candidate, changes, identity)

    def _report(
        self, candidate: _Candidate, changes: list[tuple[ast.AST, str]], identity: str
    ) -> None:
        walker = self.walker
        body = candidate.body
        node = body.node
        first, description = changes[0]
        what = f"`{description}` (line {getattr(first, 'lineno', node.lineno)})"
        name = node.name
        if candidate.owner is not None:
            name = f"{candidate.owner.name}.{node.name}"
        if len(changes) > 1:
            what += f" and {len(changes) - 1} more"
        methods = candidate.methods
        where: ast.AST = DefLine(node)
        if candidate.kind == "route" and methods is not None:
            where = methods.node
            accepts = f"is routed for GET only (`{one_line(walker, methods.node, 70)}`)"
            fix = (
                'route it with methods=["POST"] (Flask-WTF\'s CSRFProtect then checks the '
                "token) and let GET render a confirmation form"
            )
        elif candidate.kind == "method":
            accepts = "is the GET handler of a class-based view"
            fix = "do the change in post() (or delete()), which the CSRF check covers"
        elif methods is not None:
            where = methods.node
            accepts = f"only accepts safe methods (`{one_line(walker, methods.node, 50)}`)"
            fix = "accept the change only with @require_POST and let GET render a confirmation"
        else:
            accepts = "has no method restriction, so it answers GET"
            fix = (
                "decorate it with @require_POST (the CSRF middleware then checks the token) "
                "and let GET render a confirmation page"
            )
        walker.report(
            self,
            where,
            f"`{name}` {accepts} but changes state: {what}; a GET request is sent "
            f"cross-site with the user's cookies ({identity}) and no CSRF check covers it",
            confidence=Confidence.MEDIUM if body.definite() else Confidence.LOW,
            evidence="view methods and body",
            fix=Fix(fix),
        )


def _may_have_views(walker: Walker) -> bool:
    """Whether the source can define a view `_function` tracks: a Flask or Quart route, a
    Django function view (its first parameter is `request`) or the `get()` of a view class."""
    return (
        may_import(walker, _ROUTE_PACKAGES)
        or source_may_name(walker, ("request",))  # also True for a non-ASCII source
        or _DEF_GET.search(walker.parsed.text) is not None
    )
