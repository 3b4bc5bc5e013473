"""What a view accepts and does: HTTP methods, state changes, cookie identity (CSRF rules)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from secreview.rules.web._shared import decorator_name, dotted, name_words, one_line, source_text

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# Methods that must not change state (RFC 9110 "safe"), and that no CSRF check looks at.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_DJANGO_HTTP = "django.views.decorators.http."
_FLASK_ROUTES = frozenset({"route", "get", "post", "put", "patch", "delete"})
_FLASK_PACKAGES = frozenset({"flask", "quart"})

# -- HTTP methods ---------------------------------------------------------------------------


@dataclass(slots=True)
class Methods:
    """The HTTP methods a view's decorators let through."""

    methods: frozenset[str]
    node: ast.expr  # the decorator that says so
    route: str = ""  # "/account/delete" for a Flask route, else ""

    @property
    def safe_only(self) -> bool:
        return self.methods <= SAFE_METHODS


def view_methods(walker: Walker, decorators: list[ast.expr]) -> Methods | None:
    """Methods from `@require_GET`, `@require_http_methods([...])`, `@app.route(...)`,
    `@bp.get(...)`, `@api_view([...])`; None when no decorator restricts them (or when the
    restriction is not a constant)."""
    found: Methods | None = None
    for decorator in decorators:
        methods = _decorator_methods(walker, decorator)
        if methods is None:
            continue
        if found is None:
            found = methods
        elif methods.route or not found.route:
            # stacked routes add methods; a Django restriction on a route narrows them
            found = Methods(found.methods | methods.methods, found.node, found.route)
        else:
            found = Methods(found.methods & methods.methods, methods.node, found.route)
    return found


def _decorator_methods(walker: Walker, decorator: ast.expr) -> Methods | None:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = walker.qualname(target) or ""
    if name.startswith(_DJANGO_HTTP):
        short = name[len(_DJANGO_HTTP) :]
        if short == "require_GET":
            return Methods(frozenset({"GET", "HEAD"}), decorator)
        if short == "require_safe":
            return Methods(frozenset({"GET", "HEAD"}), decorator)
        if short == "require_POST":
            return Methods(frozenset({"POST"}), decorator)
        if short == "require_http_methods" and isinstance(decorator, ast.Call):
            return _constant_methods(
                walker, walker.argument(decorator, 0, "request_method_list"), decorator
            )
        return None
    if name == "rest_framework.decorators.api_view" and isinstance(decorator, ast.Call):
        argument = walker.argument(decorator, 0, "http_method_names")
        if argument is None:
            return Methods(frozenset({"GET"}), decorator)
        return _constant_methods(walker, argument, decorator)
    if (
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in _FLASK_ROUTES
        and walker.framework_hints & _FLASK_PACKAGES
        and "fastapi" not in walker.framework_hints
    ):
        path = walker.const_value(walker.argument(decorator, 0, "rule"))
        route = path if isinstance(path, str) else ""
        if decorator.func.attr != "route":
            return Methods(frozenset({decorator.func.attr.upper()}), decorator, route or "?")
        methods = walker.keyword(decorator, "methods")
        if methods is None:
            return Methods(frozenset({"GET", "HEAD", "OPTIONS"}), decorator, route or "?")
        found = _constant_methods(walker, methods, decorator)
        if found is not None:
            found.route = route or "?"
        return found
    return None


def _constant_methods(walker: Walker, expr: ast.expr | None, node: ast.expr) -> Methods | None:
    value = walker.const_value(expr)
    if isinstance(value, tuple | list | set | frozenset) and all(isinstance(v, str) for v in value):
        return Methods(frozenset(v.upper() for v in value), node)
    return None


# -- authentication decorators and class bases -----------------------------------------------
_AUTH_PARTS = ("login", "auth", "permission", "user_passes_test", "staff_member", "superuser")
_AUTH_WORDS = frozenset({"role", "roles", "admin", "staff", "logged", "authenticated"})
AUTH_MIXINS = ("LoginRequired", "PermissionRequired", "UserPassesTest", "AccessMixin")


def auth_decorator(decorators: list[ast.expr]) -> str:
    """`@login_required`, `@permission_required(...)`: the cookie session identifies the user."""
    for decorator in decorators:
        name = decorator_name(decorator)
        if name == "method_decorator" and isinstance(decorator, ast.Call) and decorator.args:
            name = decorator_name(decorator.args[0])
        lowered = name.lower()
        if "csrf" in lowered or "exempt" in lowered or "not_required" in lowered:
            continue
        if any(part in lowered for part in _AUTH_PARTS) or set(name_words(name)) & _AUTH_WORDS:
            return f"@{name}"
    return ""


# -- the body of a view -----------------------------------------------------------------------
_REQUEST = frozenset({"request", "req", "self.request"})
# Request attributes that hold a submitted body: a view reading them expects a POST.
_BODY_DATA = frozenset({"POST", "body", "data", "FILES", "form", "files", "json", "get_json"})
# Request attributes that carry the browser's ambient credentials.
_AMBIENT_ATTRIBUTES = frozenset({"user", "session", "COOKIES", "cookies"})
_AMBIENT_NAMES = frozenset(
    {
        "flask.session",
        "quart.session",
        "flask_login.current_user",
        "flask_security.current_user",
        "flask_user.current_user",
        "flask.g.user",
        "flask.g.current_user",
    }
)
# Deleting: `obj.delete()`, `db.session.delete(obj)`, `collection.delete_many(...)`.
_DELETE_METHODS = frozenset(
    {"delete", "delete_instance", "delete_one", "delete_many", "bulk_delete", "find_one_and_delete"}
)
# Writing without a prior attribute change.
_WRITE_METHODS = frozenset(
    {
        "update_one",
        "update_many",
        "insert_one",
        "insert_many",
        "replace_one",
        "find_one_and_update",
        "find_one_and_replace",
        "bulk_create",
        "bulk_update",
        "update_or_create",
    }
)
# Receivers whose `delete()`/`update()` is not about stored application data.
_NOT_DATA_WORDS = frozenset(
    {"cache", "caches", "cookie", "cookies", "client", "http", "requests", "httpx", "api", "redis"}
)
# Models and receivers that record that something was looked at: writing them on GET is normal.
BOOKKEEPING_MODELS = frozenset(
    {
        "log",
        "logs",
        "audit",
        "history",
        "visit",
        "visits",
        "hit",
        "hits",
        "view",
        "views",
        "viewed",
        "visited",
        "activity",
        "stat",
        "stats",
        "statistics",
        "metric",
        "metrics",
        "analytics",
        "impression",
        "impressions",
        "download",
        "downloads",
    }
)
# Fields that do the same: `message.read = True`, `update(views=F("views") + 1)`.
BOOKKEEPING_FIELDS = frozenset(
    {
        "views",
        "hits",
        "visits",
        "impressions",
        "downloads",
        "seen",
        "read",
        "unread",
        "opened",
        "viewed",
        "visited",
        "accessed",
    }
)
_TIME_CALLS = frozenset({"now", "utcnow", "today", "time", "timestamp", "monotonic"})
_FILE_REMOVAL = frozenset(
    {"os.remove", "os.unlink", "os.rmdir", "os.removedirs", "shutil.rmtree", "shutil.move"}
)
_SQL_WRITE = re.compile(
    r"^\s*(?:DELETE|UPDATE|INSERT|REPLACE|MERGE|DROP|TRUNCATE|ALTER)\b", re.IGNORECASE
)
_EXECUTE = frozenset({"execute", "executemany", "executescript", "exec_driver_sql"})
# Calls that check a token or a signature carried by the request itself.
_CAPABILITY_WORDS = (
    "verify",
    "signature",
    "check_token",
    "confirm_token",
    "compare_digest",
    "unsign",
    "itsdangerous.",
    "django.core.signing.",
)
# Parameter names of a link that authorises the action by itself (e-mail confirmation...).
_CAPABILITY_PARAMS = frozenset({"token", "signature", "sig", "nonce", "uidb64"})


@dataclass(slots=True)
class ViewBody:
    """Facts about one view function, collected while its body is walked."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    changes: list[tuple[ast.AST, str]] = field(default_factory=list)  # clear state changes
    persists: list[tuple[ast.AST, str]] = field(default_factory=list)  # save()/commit()
    writes: int = 0  # attribute writes and record creations that are not bookkeeping
    bookkeeping: int = 0  # `post.views += 1`, `user.last_seen = now()`, `AccessLog(...)`
    body_data: str = ""  # "request.POST": the view reads a submitted body
    ambient: str = ""  # "request.user", "session": the view relies on the cookie identity
    method_checked: bool = False  # `if request.method == "POST":`
    capability: str = ""  # a token or signature checked in the body, or a `<token>` parameter
    responds: bool = False  # builds a Django/DRF response: a view, not a helper

    def __post_init__(self) -> None:
        args = self.node.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            if arg.arg in _CAPABILITY_PARAMS or arg.arg.endswith("_token"):
                self.capability = f"`{arg.arg}` parameter"

    def state_changes(self) -> list[tuple[ast.AST, str]]:
        """The state changes, `save()`/`commit()` included unless they only record a visit."""
        found = list(self.changes)
        if self.writes or not self.bookkeeping:
            found.extend(self.persists)
        return sorted(found, key=lambda item: getattr(item[0], "lineno", 0))

    def definite(self) -> bool:
        """A delete or an update, or a record changed and then saved."""
        return bool(self.changes) or bool(self.persists and self.writes)


def enclosing_view(walker: Walker, views: dict[ast.AST, ViewBody]) -> ViewBody | None:
    """The tracked view whose body holds the node being checked (decorators do not count)."""
    ancestors = walker.ancestors
    # Most nodes are in no view: one pass in C says so before the searches in Python.
    if views.keys().isdisjoint(ancestors) or walker.function is None:
        return None
    for ancestor in reversed(ancestors):
        view = views.get(ancestor)
        if view is not None:
            return view
    return None


def observe(walker: Walker, view: ViewBody, node: ast.AST) -> None:
    """Record what `node` (a Call, Attribute, Name, Assign or AugAssign in the body) does."""
    if isinstance(node, ast.Call):
        _call(walker, view, node)
    elif isinstance(node, ast.Attribute):
        _attribute(walker, view, node)
    elif isinstance(node, ast.Name):
        if (
            not view.ambient
            and isinstance(node.ctx, ast.Load)
            and walker.qualname(node) in _AMBIENT_NAMES
        ):
            view.ambient = node.id
    elif isinstance(node, ast.AugAssign):
        target = node.target
        if isinstance(target, ast.Attribute) and _persisted_object(target.value):
            counter = isinstance(node.op, ast.Add) and walker.const_value(node.value) == 1
            if counter or set(name_words(target.attr)) & BOOKKEEPING_FIELDS:
                view.bookkeeping += 1
            else:
                view.writes += 1
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Attribute) and _persisted_object(target.value):
                if _bookkeeping_value(walker, target, node.value):
                    view.bookkeeping += 1
                else:
                    view.writes += 1


def _persisted_object(expr: ast.expr) -> bool:
    """`user.email = ...` may be saved; `g.user = ...`, `response.status_code = ...` are not."""
    text = dotted(expr)
    if not text:
        return isinstance(expr, ast.Subscript | ast.Call)  # `items[0].done = True`
    return text not in {"g", "self", "response", "resp", "res", "request", "request.session"}


def _bookkeeping_value(walker: Walker, target: ast.Attribute, value: ast.expr) -> bool:
    if set(name_words(target.attr)) & BOOKKEEPING_FIELDS:
        return True
    if isinstance(value, ast.Call):
        name = walker.call_name(value) or ""
        last = name.rsplit(".", 1)[-1] if name else getattr(value.func, "attr", "")
        return last in _TIME_CALLS
    if isinstance(value, ast.BinOp):  # F("views") + 1
        left = value.left
        return isinstance(left, ast.Call) and (walker.call_name(left) or "").split(".")[-1] == "F"
    return False


def _attribute(walker: Walker, view: ViewBody, node: ast.Attribute) -> None:
    owner = dotted(node.value)
    if owner in _REQUEST:
        if node.attr == "method":
            view.method_checked = True
        elif node.attr in _BODY_DATA and not view.body_data:
            view.body_data = f"{owner}.{node.attr}"
        elif node.attr in _AMBIENT_ATTRIBUTES and not view.ambient:
            view.ambient = f"{owner}.{node.attr}"
    elif not view.ambient and walker.qualname(node) in _AMBIENT_NAMES:
        view.ambient = one_line(walker, node, 30)


def _chain(call: ast.Call) -> list[str]:
    """The names a method call is made on, arguments left out: `Post.objects.filter(x).update`
    -> ["Post", "objects", "filter"]."""
    names: list[str] = []
    expr: ast.expr = call.func.value if isinstance(call.func, ast.Attribute) else call.func
    while True:
        if isinstance(expr, ast.Attribute):
            names.append(expr.attr)
            expr = expr.value
        elif isinstance(expr, ast.Call):
            expr = expr.func
        elif isinstance(expr, ast.Subscript):
            expr = expr.value
        else:
            if isinstance(expr, ast.Name):
                names.append(expr.id)
            return list(reversed(names))


_RESPONSES = ("django.shortcuts.", "django.http.", "django.template.", "rest_framework.response.")
# Relations of the signed-in user: `request.user.favorites.add(item)`.
_RELATION_METHODS = frozenset({"add", "remove", "clear", "set"})


def _call(walker: Walker, view: ViewBody, node: ast.Call) -> None:
    name = walker.call_name(node) or ""
    method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
    if name.startswith(_RESPONSES) and _response_name(name.rpartition(".")[2]):
        view.responds = True
        return
    lowered = (name or method).lower()
    if any(word in lowered for word in _CAPABILITY_WORDS):
        view.capability = view.capability or f"`{one_line(walker, node.func, 40)}()`"
        return
    if name in _FILE_REMOVAL:
        target = source_text(walker, node.args[0]) if node.args else ""
        if node.args and not re.search(r"te?mp", target, re.IGNORECASE):
            view.changes.append((node, f"{name}({one_line(walker, node.args[0], 30)})"))
        return
    if not method or name.startswith(("requests.", "httpx.", "aiohttp.", "urllib3.")):
        return
    chain = _chain(node)
    immediate = set(name_words(chain[-1])) if chain else set()
    words = {word for part in chain for word in name_words(part)}
    described = short_call(node)
    if method in _EXECUTE and node.args:
        sql = _sql_text(walker, node.args[0])
        if sql and _SQL_WRITE.match(sql):
            view.changes.append((node, f"{described} of `{sql.split()[0].upper()} ...`"))
        return
    if method in _DELETE_METHODS:
        if not immediate & _NOT_DATA_WORDS:
            view.changes.append((node, described))
        return
    if len(chain) == 1 and name.count(".") >= 2:
        words.update(name_words(name.split(".")[-2]))  # `visit.save()`, visit = PageView(...)
    if (words | _created_words(walker, node)) & BOOKKEEPING_MODELS:
        if method in _WRITE_METHODS or method in {"create", "add", "save", "commit", "update"}:
            view.bookkeeping += 1
        return
    if method in _WRITE_METHODS:
        view.changes.append((node, described))
    elif method == "update" and _queryset(walker, node):
        if node.keywords and all(_bookkeeping_keyword(walker, k) for k in node.keywords):
            view.bookkeeping += 1
        else:
            view.changes.append((node, described))
    elif method == "create" and "objects" in chain:
        view.changes.append((node, described))
    elif method == "add" and node.args and chain and chain[-1] == "session":
        view.writes += 1
    elif method in _RELATION_METHODS and _user_relation(chain):
        view.changes.append((node, described))
    elif method in {"save", "commit"} and not node.args and "form" not in immediate:
        view.persists.append((node, described))


def _response_name(name: str) -> bool:
    """`render`, `redirect`, `JsonResponse`, `HttpResponseRedirect`, `TemplateResponse`."""
    return name in {"render", "redirect", "render_to_response"} or "Response" in name


def short_call(call: ast.Call) -> str:
    """`Note.objects.filter(owner=u).update(archived=True)` -> `Note.objects.filter(...).update(...)`."""
    return _short(call)


def _short(expr: ast.expr) -> str:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return f"{_short(expr.value)}.{expr.attr}"
    if isinstance(expr, ast.Call):
        return f"{_short(expr.func)}({'...' if expr.args or expr.keywords else ''})"
    if isinstance(expr, ast.Subscript):
        return f"{_short(expr.value)}[...]"
    return "(...)"


def _user_relation(chain: list[str]) -> bool:
    """`request.user.favorites`, `current_user.followed`: a relation of the signed-in user."""
    if chain[:1] == ["self"]:
        chain = chain[1:]
    return (len(chain) == 3 and chain[:2] == ["request", "user"]) or (
        len(chain) == 2 and chain[0] == "current_user"
    )


def _bookkeeping_keyword(walker: Walker, keyword: ast.keyword) -> bool:
    """`views=F("views") + 1`, `last_seen=timezone.now()`."""
    if keyword.arg is None:
        return False
    target = ast.Attribute(value=ast.Name("_"), attr=keyword.arg)
    return _bookkeeping_value(walker, target, keyword.value)


def _created_words(walker: Walker, call: ast.Call) -> set[str]:
    """`db.session.add(AccessLog(...))` -> {"access", "log"}."""
    words: set[str] = set()
    for arg in call.args[:1]:
        if isinstance(arg, ast.Call):
            words.update(name_words(one_line(walker, arg.func, 60)))
    return words


def _queryset(walker: Walker, call: ast.Call) -> bool:
    """`Model.objects.filter(...).update(...)`, `User.query.filter_by(...).update({...})`."""
    chain = _chain(call)
    return bool({"objects", "query", "filter", "filter_by", "where", "exclude"} & set(chain))


def _sql_text(walker: Walker, expr: ast.expr) -> str:
    if isinstance(expr, ast.Call) and expr.args:  # sqlalchemy.text("DELETE ...")
        expr = expr.args[0]
    value = walker.const_value(expr)
    if isinstance(value, str):
        return value
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first = expr.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    if isinstance(expr, ast.BinOp):
        left = walker.const_value(expr.left)
        if isinstance(left, str):
            return left
    return ""


class DefLine:
    """The `def` line of a function, so that a finding (and its suppression) is that line only."""

    def __init__(self, node: ast.AST) -> None:
        self.lineno = node.lineno  # type: ignore[attr-defined]
        self.col_offset = node.col_offset  # type: ignore[attr-defined]
        self.end_lineno = node.lineno  # type: ignore[attr-defined]
        self.end_col_offset = node.col_offset + 3  # type: ignore[attr-defined]
