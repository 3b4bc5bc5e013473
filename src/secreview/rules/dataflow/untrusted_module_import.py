from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class UntrustedModuleImport(FlowRule):
    """Untrusted input chooses which module is imported or which Python file is run.

    ## What it does
    Follows request data through assignments, string building, containers and helper functions
    to the module name of `importlib.import_module()`, `__import__()`, `runpy.run_module()` and
    `pkgutil.resolve_name()`, or to the path of `runpy.run_path()`,
    `importlib.util.spec_from_file_location()` and `imp.load_source()`.

    A name built under a fixed package (`import_module(f"myapp.exporters.{fmt}")`) can only
    reach that package's own modules and is not reported; neither is a name checked against an
    allow-list or taken from a fixed mapping.

    ## Why is this bad?
    Importing a module runs its top-level code, and the caller usually goes on to call
    something from it. Whoever chooses the name chooses the code: any installed module, or with
    a path, any file they managed to upload. Only remote input counts: plugin names from the
    deployment's configuration or the command line are chosen by whoever runs the program.
    This finding replaces SR207 at the same call. In test code it is lowered.

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
    EXPORTERS = {"csv": "myapp.exporters.csv", "json": "myapp.exporters.json"}

    @app.route("/export")
    def export():
        module = EXPORTERS.get(request.args.get("format", ""), "myapp.exporters.json")
        return importlib.import_module(module).render()
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/829.html
    - https://docs.python.org/3/library/importlib.html#importlib.import_module
    """

    id = "SR917"
    slug = "untrusted-module-import"
    cwe = 829
    related_cwes = (94,)
    title = "Untrusted input chooses the module imported"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    supersedes = ("SR207",)
    fix = (
        "map the input to a module through a fixed dictionary of allowed names, or discover "
        "plugins through entry points; never import a name or run a path taken from a request"
    )
