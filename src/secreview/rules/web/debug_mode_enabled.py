"""CWE-489 / CWE-215: debuggers and debug pages left on."""

from __future__ import annotations

import ast
from pathlib import PurePath

from secreview.findings import Confidence, Severity
from secreview.rules.base import Rule
from secreview.rules.common import is_truthy
from secreview.rules.cookies._shared import development_only, framework_defaults
from secreview.rules.web._shared import dotted, one_line

_FLASK_APPS = ("flask.Flask", "quart.Quart")
_RUNNERS = frozenset(
    {
        "flask.Flask.run",
        "quart.Quart.run",
        "flask_socketio.SocketIO.run",
    }
)
_ASGI_APPS = frozenset(
    {"fastapi.FastAPI", "starlette.applications.Starlette", "starlette.Starlette"}
)
_RUN_SIMPLE = frozenset({"werkzeug.serving.run_simple", "werkzeug.run_simple"})
_DEBUGGED = frozenset({"werkzeug.debug.DebuggedApplication", "werkzeug.DebuggedApplication"})
# Assignments that make a module a Django settings module.
_DJANGO_SETTINGS = frozenset(
    {"INSTALLED_APPS", "ALLOWED_HOSTS", "MIDDLEWARE", "ROOT_URLCONF", "DATABASES", "SECRET_KEY"}
)
_CONFIG_WORDS = ("config", "settings")


class DebugModeEnabled(Rule):
    """Leaves a web framework's debug mode or debugger on.

    ## What it does
    Finds debug modes switched on with a true constant:

    - Flask (and Quart, Flask-SocketIO) `app.run(debug=True)`, `app.debug = True`,
      `app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)` / `from_mapping(...)`, and
      `DEBUG = True` in a config class (`class ProductionConfig:`);
    - Werkzeug's `run_simple(..., use_debugger=True)` and `DebuggedApplication(app)`;
    - `FastAPI(debug=True)` and `Starlette(debug=True)`, which send tracebacks to clients;
    - `DEBUG = True` in a Django settings module (a module that also sets `INSTALLED_APPS`,
      `MIDDLEWARE`, `ALLOWED_HOSTS`, … or is named `settings`).

    The interactive Werkzeug debugger is CWE-489 (active debug code) at high severity; debug
    pages that show tracebacks and settings (Django, FastAPI/Starlette, `DebuggedApplication`
    without `evalex`) are CWE-215 (sensitive information in debugging output) at medium
    severity. A value that is not a constant (`debug=os.environ.get("FLASK_DEBUG") == "1"`,
    `DEBUG = env.bool("DEBUG")`) is a deployment's choice and not reported. A setting that is
    obviously for development only is reported at low severity, and the finding says why: a
    settings module named for it (`settings/dev.py`, `local_settings.py`,
    `settings_development.py`), a branch on the environment (`if os.environ.get("ENV") ==
    "dev":`), a class named for it (`DevelopmentConfig`). The framework's own defaults
    (`django.conf.global_settings`) and test code are not reported.

    ## Why is this bad?
    Werkzeug's debugger runs Python typed into the error page; whoever reaches it (or guesses
    or computes its PIN) runs code on the server. Debug pages of Django, FastAPI and Starlette
    show stack traces, local variables, settings and SQL to anyone who triggers an error,
    which maps the application and often leaks secrets. Debug settings travel to production
    with the code that sets them.

    ## Example
    ```python
    app = Flask(__name__)

    if __name__ == "__main__":
        app.run(host="0.0.0.0", debug=True)
    ```

    ## Use instead
    ```python
    app = Flask(__name__)

    if __name__ == "__main__":
        app.run(debug=os.environ.get("FLASK_DEBUG") == "1")  # or `flask run --debug` locally
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/489.html
    - https://cwe.mitre.org/data/definitions/215.html
    - https://flask.palletsprojects.com/en/stable/debugging/
    - https://docs.djangoproject.com/en/stable/ref/settings/#debug
    """

    id = "SR724"
    slug = "debug-mode-enabled"
    cwe = 489
    related_cwes = (215,)
    title = "Debug mode or debugger enabled"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    node_types = (ast.Call, ast.Assign)
    call_leaves = frozenset(
        {
            "run",
            "update",
            "from_mapping",
            "run_simple",
            "DebuggedApplication",
            "FastAPI",
            "Starlette",
        }
    )
    in_tests = "skip"

    def begin_module(self) -> None:
        self.module_debug: list[tuple[ast.Assign, ast.expr, str]] = []
        self.django_settings = False

    def check(self, node: ast.AST) -> None:
        walker = self.walker
        if framework_defaults(walker):
            return
        if isinstance(node, ast.Call):
            self._call(node)
            return
        assert isinstance(node, ast.Assign)
        for target in node.targets:
            if isinstance(target, ast.Name):
                if target.id in _DJANGO_SETTINGS and not walker.function:
                    self.django_settings = True
                elif target.id == "DEBUG":
                    self._debug_name(node, target)
            elif isinstance(target, ast.Attribute) and target.attr == "debug":
                if self._is_flask_app(target.value):
                    self._flag(node, node.value, f"{dotted(target) or 'app.debug'} = True", 489)
            elif (
                isinstance(target, ast.Subscript)
                and dotted(target.value).endswith("config")
                and walker.const_value(target.slice) == "DEBUG"
            ):
                self._flag(node, node.value, 'config["DEBUG"] = True', 489)

    def _debug_name(self, node: ast.Assign, target: ast.Name) -> None:
        walker = self.walker
        owner = walker.names.current.node
        if isinstance(owner, ast.ClassDef):
            if any(word in owner.name.lower() for word in _CONFIG_WORDS):
                self._flag(node, node.value, f"{owner.name}.DEBUG = True", 489)
            return
        if walker.function is None:
            self.module_debug.append((node, node.value, development_only(walker)))

    def _call(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node) or ""
        func = node.func
        if name in _RUNNERS or (
            isinstance(func, ast.Attribute)
            and func.attr == "run"
            and self._is_flask_app(func.value)
        ):
            debug = walker.keyword(node, "debug")
            if debug is not None:
                self._flag(node, debug, f"{one_line(walker, func, 30)}(debug=True)", 489)
        elif name in _ASGI_APPS:
            debug = walker.keyword(node, "debug")
            if debug is not None:
                short = name.rpartition(".")[2]
                self._flag(node, debug, f"{short}(debug=True)", 215)
        elif name in _RUN_SIMPLE:
            debugger = walker.keyword(node, "use_debugger")
            if debugger is None and len(node.args) > 5:
                debugger = node.args[5]
            if debugger is not None:
                self._flag(node, debugger, "run_simple(use_debugger=True)", 489)
        elif name in _DEBUGGED:
            evalex = walker.keyword(node, "evalex")
            if evalex is None and len(node.args) > 1:
                evalex = node.args[1]
            console = evalex is not None and is_truthy(walker, evalex) is True
            self._flag(
                node,
                None,
                "DebuggedApplication(evalex=True)" if console else "DebuggedApplication()",
                489 if console else 215,
            )
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in {"update", "from_mapping"}
            and dotted(func.value).endswith("config")
        ):
            for keyword in node.keywords:
                if keyword.arg == "DEBUG":
                    self._flag(node, keyword.value, "config DEBUG=True", 489)
            for arg in node.args:
                if isinstance(arg, ast.Dict):
                    for key, value in zip(arg.keys, arg.values, strict=True):
                        if key is not None and walker.const_value(key) == "DEBUG":
                            self._flag(node, value, 'config {"DEBUG": True}', 489)

    def _is_flask_app(self, expr: ast.expr) -> bool:
        walker = self.walker
        qualified = walker.qualname(expr) or ""
        if qualified.startswith(_FLASK_APPS):
            return True
        if isinstance(expr, ast.Name):
            binding = walker.names.lookup(expr.id)
            if binding is not None and str(binding.value or "").startswith(_FLASK_APPS):
                return True
        return bool(walker.framework_hints & {"flask", "quart"}) and dotted(expr).rsplit(".", 1)[
            -1
        ] in {"app", "application", "flask_app"}

    def _flag(
        self, node: ast.AST, value: ast.expr | None, what: str, cwe: int, why: str = ""
    ) -> None:
        walker = self.walker
        if value is not None:
            truth = is_truthy(walker, value)
            if truth is not True:
                verdict = "debug-off" if truth is False else "debug-configured"
                walker.examine(cwe, node, "debug-setting", verdict, what)
                return
        why = why or development_only(walker)
        walker.examine(cwe, node, "debug-setting", "flagged", what)
        if cwe == 489:
            harm = (
                "the Werkzeug debugger runs Python typed into its error page: whoever reaches "
                "it (or its PIN) runs code on the server"
            )
        else:
            harm = (
                "error pages show stack traces, local variables and settings to whoever "
                "triggers an error"
            )
        severity = Severity.HIGH if cwe == 489 else Severity.MEDIUM
        if why:
            severity = Severity.LOW
        walker.report(
            self,
            node,
            f"`{what}` turns debug mode on: {harm}" + (f"; {why}" if why else ""),
            severity=severity,
            evidence="constant argument" + (" for development" if why else ""),
            cwe=cwe,
            fix=walker.replace_fix(value, "False", "turn debug mode off")
            if value is not None
            else None,
        )

    def end_module(self) -> None:
        walker = self.walker
        stem = PurePath(walker.path).stem.lower()
        settings = self.django_settings or "settings" in stem
        for node, value, why in self.module_debug:
            if not settings:
                continue
            self._flag(node, value, "DEBUG = True", 215, why)
