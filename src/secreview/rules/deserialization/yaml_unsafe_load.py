"""SR302: PyYAML loading with a loader that constructs arbitrary Python objects."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import leaves_of
from secreview.rules.common import short_source
from secreview.rules.deserialization._shared import (
    TrackingRule,
    fixed_source,
    request_origin,
)
from secreview.rules.fixes import module_reference

SAFE_LOADERS = frozenset(
    f"yaml.{n}" for n in ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")
) | frozenset(f"yaml.loader.{n}" for n in ("SafeLoader", "BaseLoader"))
FULL_LOADERS = frozenset({"yaml.FullLoader", "yaml.CFullLoader", "yaml.loader.FullLoader"})
UNSAFE_LOADERS = frozenset(
    f"yaml.{n}" for n in ("Loader", "CLoader", "UnsafeLoader", "CUnsafeLoader")
) | frozenset({"yaml.loader.Loader", "yaml.loader.UnsafeLoader"})

_LOADS = {"yaml.load": "safe_load", "yaml.load_all": "safe_load_all"}
_FULL = {"yaml.full_load": "safe_load", "yaml.full_load_all": "safe_load_all"}
_UNSAFE = {"yaml.unsafe_load": "safe_load", "yaml.unsafe_load_all": "safe_load_all"}
_SAFE_CALLS = frozenset({"yaml.safe_load", "yaml.safe_load_all"})
_RUAMEL = frozenset({"ruamel.yaml.YAML", "ruamel.yaml.main.YAML"})


class YamlUnsafeLoad(TrackingRule):
    """Loads YAML with a loader that can build arbitrary Python objects.

    ## What it does
    Finds `yaml.load()` / `yaml.load_all()` without a `Loader`, or with `Loader=yaml.Loader`,
    `UnsafeLoader`, `CLoader` (high severity) or `FullLoader` (medium severity), and the
    shortcuts `yaml.unsafe_load*` (high) and `yaml.full_load*` (medium: `full_load` is
    `load(..., Loader=FullLoader)`). `SafeLoader`, `CSafeLoader`, `BaseLoader`,
    `yaml.safe_load`, and loader classes of this module derived from a safe loader are
    fine. A loader the rule cannot resolve (a variable, a class from another module) is
    not reported. `ruamel.yaml.YAML(typ="unsafe")` is reported too.

    `yaml.load(stream)` without a `Loader` is a `TypeError` on PyYAML 6; code that still
    does it runs on PyYAML 5 (FullLoader with a warning) or older (the unsafe `Loader`), so it
    is reported as high severity with medium confidence. Constant YAML text is not
    reported; a file at a constant path (a config file the deployer controls) is reported
    one severity lower. The fix is mechanical: `yaml.safe_load(stream)`, spelled with the
    module name the code already uses. Test code is reported as usual: the fix costs nothing.

    ## Why is this bad?
    The unsafe loaders honour tags such as `!!python/object/apply:os.system`, so a YAML
    document can run commands while it is parsed. `FullLoader` refuses the worst tags since
    PyYAML 5.4 (earlier versions had code execution bypasses, CVE-2020-1747 and
    CVE-2020-14343), but still builds arbitrary Python objects, which is more than any config
    or message format needs.

    ## Example
    ```python
    import yaml

    def load_job(path):
        with open(path) as fh:
            return yaml.load(fh, Loader=yaml.Loader)
    ```

    ## Use instead
    ```python
    import yaml

    def load_job(path):
        with open(path) as fh:
            return yaml.safe_load(fh)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/502.html
    - https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation
    """

    id = "SR302"
    slug = "yaml-unsafe-load"
    cwe = 502
    title = "YAML loaded with an unsafe loader"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    node_types = (*TrackingRule.node_types, ast.ClassDef)
    call_leaves = leaves_of(_SAFE_CALLS, _RUAMEL, _LOADS, _FULL, _UNSAFE)
    in_tests = "report"

    def __init__(self, walker) -> None:  # type: ignore[no-untyped-def]
        super().__init__(walker)
        self.safe_classes: set[str] = set()
        self.full_classes: set[str] = set()
        self.unsafe_classes: set[str] = set()

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.ClassDef):
            self._note_loader_class(node)
            return
        super().check(node)

    def _note_loader_class(self, node: ast.ClassDef) -> None:
        """`class ConfigLoader(yaml.SafeLoader)` makes `Loader=ConfigLoader` safe."""
        qualified = self.walker.names.qualify(node.name)
        for base in node.bases:
            kind = self._loader_kind(base)
            if kind == "safe":
                self.safe_classes.add(qualified)
            elif kind == "full":
                self.full_classes.add(qualified)
            elif kind == "unsafe":
                self.unsafe_classes.add(qualified)

    def _loader_kind(self, expr: ast.expr | None) -> str:
        if expr is None:
            return "missing"
        name = self.walker.qualname(expr)
        if name in SAFE_LOADERS or name in self.safe_classes:
            return "safe"
        if name in FULL_LOADERS or name in self.full_classes:
            return "full"
        if name in UNSAFE_LOADERS or name in self.unsafe_classes:
            return "unsafe"
        return "unknown"

    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        if name is None:
            return
        if name in _SAFE_CALLS:
            walker.examine(502, node, "yaml-load", "safe-loader", f"{name}()")
            return
        if name in _RUAMEL:
            self._check_ruamel(node)
            return
        if name in _LOADS:
            loader = walker.argument(node, 1, "Loader")
            kind = self._loader_kind(loader)
            safe_name = _LOADS[name]
        elif name in _FULL:
            loader, kind, safe_name = None, "full", _FULL[name]
        elif name in _UNSAFE:
            loader, kind, safe_name = None, "unsafe", _UNSAFE[name]
        else:
            return
        if kind in ("safe", "unknown"):
            verdict = "safe-loader" if kind == "safe" else "unknown-loader"
            walker.examine(
                502, node, "yaml-load", verdict, f"{name}() with Loader={_text(walker, loader)}"
            )
            return
        stream = walker.argument(node, 0, "stream")
        if stream is None:
            return
        fixed = fixed_source(walker, self.values, stream)
        if fixed == "constant data":
            walker.examine(502, node, "yaml-load", "constant", f"{name}() of constant YAML text")
            return
        severity, confidence, how = self._rating(name, kind, loader)
        evidence = "loader argument"
        origin = None if fixed else request_origin(walker, self.values, stream)
        if fixed is not None:
            severity = Severity(max(Severity.LOW, severity - 1))
            evidence += f"; {fixed}"
        elif origin is not None:
            confidence = Confidence.HIGH
            evidence += f"; {origin}"
        walker.examine(502, node, "yaml-load", "flagged", f"{name}() {how}")
        finding = walker.report(
            self,
            node,
            f"{name}() of `{short_source(walker, stream)}` {how}; use yaml.{safe_name}()",
            severity=severity,
            confidence=confidence,
            evidence=evidence,
            fix=self._fix(node, stream, safe_name),
        )
        if fixed is None:
            walker.unless_constant(
                finding, [(node, stream)], (502, "yaml-load", f"{name}() of constant YAML text")
            )

    def _rating(
        self, name: str, kind: str, loader: ast.expr | None
    ) -> tuple[Severity, Confidence, str]:
        walker = self.walker
        if kind == "missing":
            return (
                Severity.HIGH,
                Confidence.MEDIUM,
                "without a Loader (the unsafe Loader before PyYAML 5.1, FullLoader on 5.x)",
            )
        if kind == "full":
            how = f"with Loader={_text(walker, loader)}" if loader is not None else "(FullLoader)"
            return Severity.MEDIUM, Confidence.HIGH, f"{how}, which builds arbitrary Python objects"
        how = (
            f"with Loader={_text(walker, loader)}" if loader is not None else "(the unsafe Loader)"
        )
        return Severity.HIGH, Confidence.HIGH, f"{how}, which can run arbitrary code"

    def _fix(self, node: ast.Call, stream: ast.expr, safe_name: str) -> Fix:
        walker = self.walker
        description = f"use yaml.{safe_name}(), which only builds plain data"
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            return Fix(description)
        func = node.func
        if isinstance(func, ast.Attribute):
            new_func = f"{walker.segment(func.value)}.{safe_name}"
            edits: tuple = ()
        else:
            found = module_reference(walker, "yaml")
            if found is None:
                return Fix(description)
            module, edits = found
            new_func = f"{module}.{safe_name}"
        replacement = f"{new_func}({walker.segment(stream)})"
        fix = walker.replace_fix(node, replacement, description)
        return Fix(fix.description, fix.edits + edits, fix.replacement)

    def _check_ruamel(self, node: ast.Call) -> None:
        walker = self.walker
        typ = walker.const_value(walker.argument(node, None, "typ"))
        if typ != "unsafe":
            walker.examine(502, node, "yaml-load", "safe-loader", f"ruamel.yaml.YAML(typ={typ!r})")
            return
        walker.examine(502, node, "yaml-load", "flagged", "ruamel.yaml.YAML(typ='unsafe')")
        walker.report(
            self,
            node,
            "ruamel.yaml.YAML(typ='unsafe') loads documents that can run arbitrary code",
            evidence="loader argument",
            fix=Fix("use YAML(typ='safe') (or the default round-trip loader)"),
        )


def _text(walker, expr: ast.expr | None) -> str:  # type: ignore[no-untyped-def]
    return "<none>" if expr is None else short_source(walker, expr, 40)
