"""SR207: importing or running a module whose name or path is not a constant."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import leaves_of
from secreview.rules.code_injection._shared import CONFIGURATION, OriginRule
from secreview.rules.common import describe_nonconstant

# qualified name -> (position, keyword, what the argument is)
IMPORTERS: dict[str, tuple[int, str, str]] = {
    "__import__": (0, "name", "module"),
    "builtins.__import__": (0, "name", "module"),
    "importlib.import_module": (0, "name", "module"),
    "importlib.__import__": (0, "name", "module"),
    "runpy.run_module": (0, "mod_name", "module"),
    "django.utils.module_loading.import_string": (0, "dotted_path", "module"),
    "werkzeug.utils.import_string": (0, "import_name", "module"),
    "oslo_utils.importutils.import_module": (0, "import_str", "module"),
    "oslo_utils.importutils.import_class": (0, "import_str", "module"),
    "oslo_utils.importutils.import_object": (0, "import_str", "module"),
    "oslo_utils.importutils.try_import": (0, "import_str", "module"),
    "pkgutil.resolve_name": (0, "name", "module"),
    "pydoc.locate": (0, "path", "module"),
    "imp.load_source": (1, "pathname", "path"),
    "imp.load_compiled": (1, "pathname", "path"),
    "imp.load_dynamic": (1, "path", "path"),
    "imp.load_package": (1, "path", "path"),
    "runpy.run_path": (0, "path_name", "path"),
    "importlib.util.spec_from_file_location": (1, "location", "path"),
    "importlib.machinery.SourceFileLoader": (1, "path", "path"),
}


class DynamicImport(OriginRule):
    """Imports a module, or runs a file, whose name or path is not a constant.

    ## What it does
    Finds `__import__()`, `importlib.import_module()`, `runpy.run_module()` / `run_path()`,
    `imp.load_source()`, `importlib.util.spec_from_file_location()` and the import helpers of
    Django (`import_string`), Werkzeug and oslo (`importutils.import_class`, ...) when the module
    name or file path is not a constant.

    Plugin systems do this on purpose, so the rule grades what it sees:
    - a name from the deployment's configuration (`settings.X`, `CONF.driver`, `os.environ`), or a
      loop over a constant list of names, is not reported (recorded as examined);
    - a name under a fixed package (`import_module(f"myapp.plugins.{name}")`, or a relative name
      with a constant `package=`) is reported with low severity and low confidence: only modules
      inside that package can be reached;
    - any other variable name or path is reported with low severity and low confidence, the
      message saying that no flow from outside the program was seen: plugin loaders and
      frameworks pass names they got from their own code or configuration through parameters
      and attributes, which one module does not show. A name read straight from the request is
      reported with high severity; a proven flow from the request, a file or the command line
      to the import is reported by SR917, which replaces this finding;
    - a file path that is constant or found relative to `__file__` is not reported.

    ## Why is this bad?
    Importing a module runs its top-level code, and the caller usually goes on to call something
    from it (`getattr(module, action)()`). Whoever chooses the name chooses which code runs:
    any installed module, or, with a path, any file they managed to write. Code executed this way
    is "functionality from an untrusted control sphere" (CWE-829).

    Test code is skipped: tests import modules by name to check that they import, and receive
    no untrusted input.

    ## Example
    ```python
    import importlib

    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/export")
    def export():
        exporter = importlib.import_module(request.args["format"])
        return exporter.render()
    ```

    ## Use instead
    ```python
    import importlib

    from flask import Flask, abort, request

    app = Flask(__name__)
    EXPORTERS = {"csv": "myapp.exporters.csv", "json": "myapp.exporters.json"}

    @app.route("/export")
    def export():
        module = EXPORTERS.get(request.args.get("format", ""))
        if module is None:
            abort(404)
        return importlib.import_module(module).render()
    ```
    Entry points (`importlib.metadata.entry_points(group="myapp.exporters")`) are another safe
    way to discover plugins.

    ## References
    - https://cwe.mitre.org/data/definitions/829.html
    - https://cwe.mitre.org/data/definitions/94.html
    - https://docs.python.org/3/library/importlib.html#importlib.import_module
    """

    id = "SR207"
    slug = "dynamic-import"
    cwe = 829
    related_cwes = (94,)
    title = "Import of a module whose name is not a constant"
    severity = Severity.LOW
    confidence = Confidence.LOW
    call_leaves = leaves_of(IMPORTERS)
    in_tests = "skip"

    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        spec = IMPORTERS.get(name or "")
        if spec is None:
            return
        position, keyword, what = spec
        target = walker.argument(node, position, keyword)
        if target is None:
            return
        short = name.rpartition(".")[2] if name in ("builtins.__import__",) else name
        subject = "module name" if what == "module" else "file path"
        noun = "name" if what == "module" else "path"
        if walker.is_constant(target):
            self._examine(node, "constant", f"{short}() of a constant {subject}")
            return
        if self.is_allow_listed(target):
            self._examine(node, "allow-listed", f"{short}() of a {subject} from a fixed mapping")
            return
        origin = self.loops_over_constants(target)
        if origin is None and self.is_configuration(target):
            origin = CONFIGURATION
        if origin is not None:
            source = "a loop over constants" if origin == "constant-iteration" else origin
            self._examine(node, origin, f"{short}() of a {subject} from {source}")
            return
        if what == "path" and self.is_project_path(target):
            self._examine(node, "project-file", f"{short}() of a file relative to __file__")
            return
        phrase, _ = describe_nonconstant(walker, target)
        parameter, from_request = self.from_caller_or_request(target)
        prefix = self._package(node, target) if what == "module" else None
        if prefix is not None:
            self._examine(node, "package-prefix", f"{short}() of a module under `{prefix}`")
            walker.report(
                self,
                node,
                f"{short}() imports a module chosen at run time ({phrase}), limited to the "
                f"package `{prefix}`; make sure only intended modules live there or use an "
                "allow-list",
                severity=Severity.LOW,
                confidence=Confidence.LOW,
                evidence="non-constant argument under a fixed package",
                fix=_fix(what),
            )
            return
        self._examine(node, "flagged", f"{short}() of a non-constant {subject}")
        action = "imports a module" if what == "module" else "runs a Python file"
        if from_request:
            walker.report(
                self,
                node,
                f"{short}() {action} whose {noun} is read from the request: {phrase}; "
                "whoever sends the request chooses the code that runs",
                severity=Severity.HIGH,
                confidence=Confidence.MEDIUM,
                evidence="argument read from the request",
                fix=_fix(what),
            )
            return
        # No evidence that anyone outside the program chooses the name: a parameter, an
        # attribute or a local is how plugin loaders pass the names of their own code and
        # configuration. Worth knowing, not acting on; SR917 reports a proven flow.
        where = "a parameter of the function" if parameter else "a value computed here"
        walker.report(
            self,
            node,
            f"{short}() {action} whose {noun} is not a constant: {phrase} ({where}); no flow "
            "from outside the program to it was found, so check that only trusted code or "
            "configuration chooses it",
            severity=Severity.LOW,
            confidence=Confidence.LOW,
            evidence="non-constant argument, no flow from outside found",
            fix=_fix(what),
        )

    def _package(self, node: ast.Call, target: ast.expr) -> str | None:
        prefix = self.package_prefix(target)
        if prefix is not None:
            return prefix
        # import_module("." + name, package="myapp.plugins"): relative to a fixed package
        walker = self.walker
        first: object = None
        match target:
            case ast.JoinedStr(values=[ast.Constant(value=text), *_]):
                first = text
            case ast.BinOp(op=ast.Add(), left=left):
                first = walker.const_value(left)
        if not (isinstance(first, str) and first.startswith(".")):
            return None
        package = walker.argument(node, 1, "package")
        value = walker.const_value(package)
        if isinstance(value, str):
            return value
        if isinstance(package, ast.Name) and package.id in ("__package__", "__name__"):
            return package.id
        return None

    def _examine(self, node: ast.AST, verdict: str, detail: str) -> None:
        if self.walker.test_code and verdict in ("flagged", "package-prefix"):
            verdict = "test-code"  # skipped in tests: say so rather than "flagged"
        self.walker.examine(829, node, "dynamic-import", verdict, detail)


def _fix(what: str) -> Fix:
    if what == "module":
        return Fix(
            "map the user-facing choice to module names through a fixed dict (an allow-list), "
            "or discover plugins through entry points"
        )
    return Fix("run only files from a fixed, trusted location chosen by an allow-list")
