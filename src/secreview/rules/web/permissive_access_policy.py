"""CWE-284 (CWE-942): views open to everyone, and CORS that trusts every origin with cookies."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.parsing.names import NOT_CONSTANT
from secreview.rules.base import Rule, leaves_of
from secreview.rules.common import is_truthy
from secreview.rules.web._shared import imports_any, looks_public, one_line

ALLOW_ANY = frozenset({"rest_framework.permissions.AllowAny"})
PERMISSION_CLASSES_DECORATOR = "rest_framework.decorators.permission_classes"
API_VIEW_DECORATOR = "rest_framework.decorators.api_view"
ACTION_DECORATOR = "rest_framework.decorators.action"
# Generic views and mixins that provide writes by inheritance.
_WRITE_BASES = frozenset(
    {
        "ModelViewSet",
        "CreateAPIView",
        "UpdateAPIView",
        "DestroyAPIView",
        "ListCreateAPIView",
        "RetrieveUpdateAPIView",
        "RetrieveDestroyAPIView",
        "RetrieveUpdateDestroyAPIView",
        "CreateModelMixin",
        "UpdateModelMixin",
        "DestroyModelMixin",
    }
)
_WRITE_METHODS = frozenset(
    {"post", "put", "patch", "delete", "create", "update", "partial_update", "destroy"}
)
_SAFE_HTTP = frozenset({"GET", "HEAD", "OPTIONS"})

FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.cross_origin"})
STARLETTE_CORS = frozenset(
    {"starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware"}
)
STARLETTE_MIDDLEWARE = frozenset(
    {"starlette.middleware.Middleware", "fastapi.middleware.Middleware"}
)
DJANGO_CORS_ALL = frozenset({"CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"})
DJANGO_CORS_CREDENTIALS = "CORS_ALLOW_CREDENTIALS"
_PACKAGES = frozenset({"rest_framework", "flask_cors", "fastapi", "starlette"})
_WILDCARDS = frozenset({"*", ".*", "^.*$", ".*$", "^.*", "https?://.*", r".+"})


class PermissiveAccessPolicy(Rule):
    """Opens a writable API to everyone (`AllowAny`), or lets every origin call it with cookies.

    ## What it does
    Finds Django REST framework's `AllowAny` in `permission_classes` of a view or viewset,
    in `@permission_classes([...])` of a function view, and in the `DEFAULT_PERMISSION_CLASSES`
    setting; and CORS configurations that allow every origin *with credentials*:
    `flask_cors.CORS(app, supports_credentials=True)` (its origins default to `"*"`),
    `@cross_origin(origins="*", supports_credentials=True)`, Starlette/FastAPI
    `CORSMiddleware(allow_origins=["*"], allow_credentials=True)`, and django-cors-headers'
    `CORS_ALLOW_ALL_ORIGINS = True` together with `CORS_ALLOW_CREDENTIALS = True`.

    Not reported: read-only views (`ReadOnlyModelViewSet`, `ListAPIView`, `@api_view(["GET"])`,
    an `APIView` with only `get`), endpoints public by design judged by their name (login,
    register, password reset, token, health...), and CORS with a wildcard origin but without
    credentials (a public API). CORS findings are CWE-942 (permissive cross-domain policy) in
    substance; they are reported as CWE-284 with CWE-942 among the related CWEs.

    ## Why is this bad?
    `AllowAny` lets anonymous callers create, change and delete through the view. A wildcard
    CORS origin with credentials makes the server reflect any origin and let it read responses
    to requests carrying the user's cookies: any web site can read the user's data and act as
    them.
    Test code is skipped: test settings and throwaway test views open access on purpose.

    ## Example
    ```python
    from rest_framework import permissions, viewsets

    class InvoiceViewSet(viewsets.ModelViewSet):
        queryset = Invoice.objects.all()
        serializer_class = InvoiceSerializer
        permission_classes = [permissions.AllowAny]
    ```

    ## Use instead
    ```python
    from rest_framework import permissions, viewsets

    class InvoiceViewSet(viewsets.ModelViewSet):
        queryset = Invoice.objects.all()
        serializer_class = InvoiceSerializer
        permission_classes = [permissions.IsAuthenticated]
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/284.html
    - https://cwe.mitre.org/data/definitions/942.html
    - https://www.django-rest-framework.org/api-guide/permissions/
    - https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials
    """

    id = "SR705"
    slug = "permissive-access-policy"
    cwe = 284
    related_cwes = (942, 862)
    title = "Access policy open to everyone"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (ast.Assign, ast.Call, ast.Dict)
    # The decorator and CORS functions by name, and `app.add_middleware()`.
    call_leaves = leaves_of(
        (PERMISSION_CLASSES_DECORATOR, "add_middleware"), FLASK_CORS, STARLETTE_MIDDLEWARE
    )
    in_tests = "skip"

    def begin_module(self) -> None:
        self.cors_all: ast.AST | None = None
        self.cors_credentials: ast.AST | None = None

    def check(self, node: ast.AST) -> None:
        if self.walker.test_code:
            return
        if isinstance(node, ast.Assign):
            self._assign(node)
        elif isinstance(node, ast.Call):
            if imports_any(self.walker, _PACKAGES):
                self._call(node)
        elif isinstance(node, ast.Dict):
            self._dict(node)

    # -- Django REST framework ------------------------------------------------------------
    def _allow_any(self, value: ast.expr | None) -> bool:
        if not isinstance(value, ast.List | ast.Tuple):
            return False
        for element in value.elts:
            if self.walker.qualname(element) in ALLOW_ANY:
                return True
            text = self.walker.const_value(element)
            if isinstance(text, str) and text in ALLOW_ANY:
                return True
        return False

    def _assign(self, node: ast.Assign) -> None:
        walker = self.walker
        for target in node.targets:
            if not isinstance(target, ast.Name):
                continue
            if target.id == "permission_classes" and isinstance(walker.parent, ast.ClassDef):
                self._view_class(node, walker.parent)
            elif walker.function is None and is_truthy(walker, node.value):
                if target.id in DJANGO_CORS_ALL:
                    self.cors_all = node
                elif target.id == DJANGO_CORS_CREDENTIALS:
                    self.cors_credentials = node

    def _view_class(self, node: ast.Assign, view: ast.ClassDef) -> None:
        walker = self.walker
        if not self._allow_any(node.value):
            walker.examine(284, node, "access-policy", "restricted", f"{view.name}")
            return
        if looks_public(view.name):
            walker.examine(284, node, "access-policy", "public-endpoint", view.name)
            return
        if not self._writable_class(view):
            walker.examine(284, node, "access-policy", "read-only", view.name)
            return
        walker.examine(284, node, "access-policy", "flagged", view.name)
        walker.report(
            self,
            node,
            f"`{view.name}` sets permission_classes to AllowAny: anonymous callers can use its "
            "write operations",
            evidence="framework configuration",
            fix=Fix("use IsAuthenticated (or a stricter permission class) for this view"),
        )

    def _writable_class(self, view: ast.ClassDef) -> bool:
        for base in view.bases:
            name = (self.walker.qualname(base) or one_line(self.walker, base)).rsplit(".", 1)[-1]
            if name in _WRITE_BASES:
                return True
        for statement in view.body:
            if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if statement.name in _WRITE_METHODS:
                return True
            for decorator in statement.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and self.walker.call_name(decorator) == ACTION_DECORATOR
                    and self._unsafe_methods(self.walker.keyword(decorator, "methods"))
                ):
                    return True
        return False

    def _unsafe_methods(self, methods: ast.expr | None) -> bool:
        """Whether an HTTP method list allows writes (None: the default, GET only)."""
        if methods is None:
            return False
        value = self.walker.const_value(methods)
        if not isinstance(value, tuple):
            return True
        return any(str(m).upper() not in _SAFE_HTTP for m in value)

    def _function_view(self, node: ast.Call) -> None:
        walker = self.walker
        if not self._allow_any(walker.argument(node, 0, None)):
            walker.examine(284, node, "access-policy", "restricted", "@permission_classes")
            return
        view = walker.parent
        if not isinstance(view, ast.FunctionDef | ast.AsyncFunctionDef):
            return
        if looks_public(view.name):
            walker.examine(284, node, "access-policy", "public-endpoint", view.name)
            return
        methods: ast.expr | None = None
        for decorator in view.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and walker.call_name(decorator) == API_VIEW_DECORATOR
            ):
                methods = walker.argument(decorator, 0, "http_method_names")
        if not self._unsafe_methods(methods):
            walker.examine(284, node, "access-policy", "read-only", view.name)
            return
        walker.examine(284, node, "access-policy", "flagged", view.name)
        walker.report(
            self,
            node,
            f"@permission_classes([AllowAny]) opens `{view.name}()`, which accepts "
            f"{one_line(walker, methods)} requests, to anonymous callers",
            evidence="framework configuration",
            fix=Fix("use IsAuthenticated (or a stricter permission class) for this view"),
        )

    def _dict(self, node: ast.Dict) -> None:
        walker = self.walker
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None or walker.const_value(key) != "DEFAULT_PERMISSION_CLASSES":
                continue
            if not self._allow_any(value):
                walker.examine(
                    284, node, "access-policy", "restricted", "DEFAULT_PERMISSION_CLASSES"
                )
                continue
            walker.examine(284, value, "access-policy", "flagged", "DEFAULT_PERMISSION_CLASSES")
            walker.report(
                self,
                value,
                "DEFAULT_PERMISSION_CLASSES is AllowAny: every API view without its own "
                "permission_classes is open to anonymous callers",
                evidence="framework configuration",
                fix=Fix(
                    "default to rest_framework.permissions.IsAuthenticated and open the few "
                    "public views explicitly"
                ),
            )

    # -- CORS -------------------------------------------------------------------------------
    def _call(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        if name == PERMISSION_CLASSES_DECORATOR:
            self._function_view(node)
        elif name in FLASK_CORS:
            self._flask_cors(node, name)
        elif name in STARLETTE_MIDDLEWARE or (
            isinstance(node.func, ast.Attribute) and node.func.attr == "add_middleware"
        ):
            middleware = walker.argument(node, 0, "middleware_class")
            if middleware is not None and walker.qualname(middleware) in STARLETTE_CORS:
                self._starlette_cors(node)

    def _wildcard(self, value: ast.expr | None, default: bool) -> bool | None:
        """True/False for a known origin setting, None when it is not a constant."""
        if value is None:
            return default
        folded = self.walker.const_value(value)
        if folded is NOT_CONSTANT:
            return None
        items = folded if isinstance(folded, tuple) else (folded,)
        return any(isinstance(i, str) and i.strip() in _WILDCARDS for i in items)

    def _flask_cors(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        origins = walker.keyword(node, "origins")
        wildcard = self._wildcard(origins, default=True)
        credentials = is_truthy(walker, walker.keyword(node, "supports_credentials"))
        allowed = (
            f"origins={one_line(walker, origins)}"
            if origins is not None
            else "the default origins '*'"
        )
        # Per-resource options override the keyword arguments.
        combinations = [(wildcard, credentials, allowed)]
        resources = walker.keyword(node, "resources")
        if isinstance(resources, ast.Dict) and resources.values:
            combinations = []
            for pattern, options in zip(resources.keys, resources.values, strict=True):
                if not isinstance(options, ast.Dict):
                    combinations.append((wildcard, credentials, allowed))
                    continue
                keys = [walker.const_value(k) if k is not None else None for k in options.keys]
                values = dict(zip(keys, options.values, strict=True))
                where = one_line(walker, pattern, 30) if pattern is not None else "a resource"
                combinations.append(
                    (
                        self._wildcard(values["origins"], default=True)
                        if "origins" in values
                        else wildcard,
                        is_truthy(walker, values["supports_credentials"])
                        if "supports_credentials" in values
                        else credentials,
                        f"origins '*' for {where}" if "origins" in values else allowed,
                    )
                )
        short = name.rsplit(".", 1)[-1]
        for wild, creds, text in combinations:
            if wild is True and creds:
                self._report_cors(node, f"{short}() combines {text} with supports_credentials=True")
                return
        verdict = (
            "wildcard-without-credentials"
            if any(w is True for w, _, _ in combinations)
            else "restricted"
        )
        walker.examine(284, node, "cors-policy", verdict, f"{short}()")

    def _starlette_cors(self, node: ast.Call) -> None:
        walker = self.walker
        credentials = is_truthy(walker, walker.keyword(node, "allow_credentials"))
        wildcard = self._wildcard(walker.keyword(node, "allow_origins"), default=False) or (
            self._wildcard(walker.keyword(node, "allow_origin_regex"), default=False)
        )
        if not credentials or not wildcard:
            verdict = "restricted" if not wildcard else "wildcard-without-credentials"
            walker.examine(284, node, "cors-policy", verdict, "CORSMiddleware")
            return
        self._report_cors(node, "CORSMiddleware allows every origin with allow_credentials=True")

    def _report_cors(self, node: ast.AST, what: str) -> None:
        self.walker.examine(284, node, "cors-policy", "flagged", what)
        self.walker.report(
            self,
            node,
            f"{what}: any web site can send requests with the user's cookies and read the "
            "responses",
            evidence="framework configuration",
            fix=Fix("list the trusted origins explicitly, or drop credentials for a public API"),
        )

    def end_module(self) -> None:
        if self.cors_all is not None and self.cors_credentials is not None:
            self._report_cors(
                self.cors_all,
                "CORS_ALLOW_ALL_ORIGINS together with CORS_ALLOW_CREDENTIALS = True allows every "
                "origin",
            )
        elif self.cors_all is not None:
            self.walker.examine(
                284, self.cors_all, "cors-policy", "wildcard-without-credentials", "settings"
            )
