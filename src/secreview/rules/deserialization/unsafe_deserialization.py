"""SR301: pickle-family deserializers fed with data that may come from outside."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.parsing.names import BindingKind
from secreview.rules.base import leaves_of
from secreview.rules.common import short_source
from secreview.rules.deserialization._shared import (
    TrackingRule,
    configured_source,
    fixed_source,
    request_origin,
)

_PICKLE_MODULES = ("pickle", "cPickle", "_pickle", "dill", "cloudpickle")

# qualified name -> (what the argument is, its position, its keyword name)
DESERIALIZERS: dict[str, tuple[str, int, str]] = {
    **{f"{m}.load": ("file", 0, "file") for m in _PICKLE_MODULES},
    **{f"{m}.loads": ("data", 0, "data") for m in _PICKLE_MODULES},
    **{f"{m}.Unpickler": ("file", 0, "file") for m in _PICKLE_MODULES},
    "pickle._load": ("file", 0, "file"),
    "pickle._loads": ("data", 0, "data"),
    "pickle._Unpickler": ("file", 0, "file"),
    "marshal.load": ("file", 0, "file"),
    "marshal.loads": ("data", 0, "bytes"),
    "shelve.open": ("path", 0, "filename"),
    "shelve.DbfilenameShelf": ("path", 0, "filename"),
    "jsonpickle.decode": ("data", 0, "string"),
    "jsonpickle.unpickler.decode": ("data", 0, "string"),
    "pandas.read_pickle": ("path", 0, "filepath_or_buffer"),
    "joblib.load": ("path", 0, "filename"),
    "sklearn.externals.joblib.load": ("path", 0, "filename"),
    "numpy.load": ("path", 0, "file"),
}
# marshal: crashes and code objects, not code execution by itself; shelve: a local db file.
_WEAKER = frozenset({"marshal", "shelve"})
# Methods whose arguments are keys, not the data: `self._cache.get(key)`.
_LOOKUPS = frozenset({"get", "pop", "setdefault", "__getitem__"})
_PATH_JOINS = frozenset({"os.path.join", "posixpath.join", "ntpath.join"})
_CRAFTED = {"file": "a crafted file", "path": "a crafted file", "data": "crafted bytes"}
_RESTRICTED_BASES = frozenset(f"{m}.Unpickler" for m in _PICKLE_MODULES)


class UnsafeDeserialization(TrackingRule):
    """Deserializes data that may come from outside with pickle or a pickle-based loader.

    ## What it does
    Finds calls to `pickle`/`cPickle`/`_pickle`/`dill`/`cloudpickle` `load`, `loads` and
    `Unpickler`, `marshal.load(s)`, `shelve.open`, `jsonpickle.decode`, `pandas.read_pickle`,
    `joblib.load` and `numpy.load(..., allow_pickle=True)` whose data or file is not fixed by
    the code. Constant data and files at a constant (or package-relative) path are not
    reported: they are counted as examined sites with the verdict "constant"; so is a round
    trip such as `pickle.loads(pickle.dumps(obj))` (verdict "round-trip"). A subclass of
    `Unpickler` that overrides `find_class` (the documented way to restrict globals) is not
    reported either. Imports are never reported.

    The severity follows the argument: request or socket data is high severity and high
    confidence; other non-constant bytes are high/medium; a file or path that is not constant
    (a local file the attacker would need to write) is medium/medium; `marshal` and `shelve`
    are medium/low; a file whose path comes from settings or the environment (the deployer
    chooses it) is low/low. Data or a file that neither the request nor the function's caller
    provides (the program's own cache entry, a state file under its own folder, an attribute)
    is low/low too: whoever could write it could already change the program. A file in the
    program's own folder stays its own when a parameter only names it
    (`os.path.join(self.cache_folder, href)`).

    ## Why is this bad?
    Unpickling runs code: a pickle can name any importable callable (`os.system`) and the
    arguments to call it with, through `__reduce__`. Whoever can write the bytes or the file
    can run commands as the process. `dill`, `joblib`, `pandas.read_pickle`, `shelve` and
    `jsonpickle` all unpickle under the hood. `marshal` is documented as unsafe against
    malicious data (crashes, code objects). In test code the finding is lowered: tests load
    their own fixtures.

    ## Example
    ```python
    import pickle

    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/session", methods=["POST"])
    def restore_session():
        state = pickle.loads(request.get_data())
        return {"user": state["user"]}
    ```

    ## Use instead
    ```python
    import json

    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/session", methods=["POST"])
    def restore_session():
        state = json.loads(request.get_data())
        return {"user": state["user"]}
    ```
    For data that must stay pickled, authenticate it (HMAC) before loading, or restrict the
    globals with an `Unpickler` subclass that overrides `find_class`.

    ## References
    - https://cwe.mitre.org/data/definitions/502.html
    - https://docs.python.org/3/library/pickle.html#restricting-globals
    """

    id = "SR301"
    slug = "unsafe-deserialization"
    cwe = 502
    title = "Untrusted data deserialized with pickle or a pickle-based loader"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    node_types = (*TrackingRule.node_types, ast.ClassDef)
    call_leaves = leaves_of(DESERIALIZERS)
    in_tests = "lower"

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.ClassDef):
            self._check_class(node)
            return
        super().check(node)

    def _check_class(self, node: ast.ClassDef) -> None:
        bases = {self.walker.qualname(b) for b in node.bases}
        if not bases & _RESTRICTED_BASES:
            return
        overrides = any(
            isinstance(s, ast.FunctionDef) and s.name == "find_class" for s in node.body
        )
        self.walker.examine(
            502,
            node,
            "deserialization",
            "restricted-unpickler" if overrides else "unpickler-subclass",
            f"class {node.name} restricts globals with find_class()"
            if overrides
            else f"class {node.name} subclasses Unpickler without overriding find_class()",
        )

    def _round_trip(self, argument: ast.expr) -> bool:
        """`pickle.loads(pickle.dumps(obj))`: a deep copy, no outside data."""
        value = self.values.resolve(argument)
        return isinstance(value, ast.Call) and self.walker.call_name(value) in _DUMPS

    def _from_caller(self, argument: ast.expr) -> bool:
        """Whether the data or file is made from a parameter of the function, following what
        carries it: `uploaded.read()`, `zlib.decompress(f.read())` with `f = open(path)`, not
        the key of `self._cache.get(key)`."""
        walker = self.walker
        pending: list[ast.AST] = [argument]
        steps = 0
        while pending and steps < 40:
            steps += 1
            node = pending.pop()
            match node:
                case ast.Name(id="self" | "cls"):
                    continue
                case ast.Name(id=name):
                    binding = walker.names.lookup(name)
                    if binding is not None and binding.kind is BindingKind.PARAMETER:
                        return True
                    resolved = self.values.resolve(node)
                    if resolved is not node:
                        pending.append(resolved)
                case (
                    ast.Attribute(value=inner)
                    | ast.Subscript(value=inner)
                    | ast.Starred(value=inner)
                ):
                    pending.append(inner)
                case ast.Call(args=[folder, *_]) if walker.call_name(node) in _PATH_JOINS:
                    # os.path.join(self.cache_folder, href): the folder says whose storage it
                    # is; the parts after it only name a file in it.
                    pending.append(folder)
                case ast.Call(func=ast.Attribute(attr=method, value=receiver), args=args):
                    pending.append(receiver)
                    if method not in _LOOKUPS:
                        pending.extend(args)
                case ast.Call(args=args, keywords=keywords):
                    pending.extend(args)
                    pending.extend(k.value for k in keywords)
                case ast.BinOp(left=left, right=right):
                    pending.extend((left, right))
                case ast.IfExp(body=body, orelse=orelse):
                    pending.extend((body, orelse))
        return False

    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        if name not in DESERIALIZERS:
            return
        what, position, keyword = DESERIALIZERS[name]
        if name == "numpy.load":
            allow = walker.keyword(node, "allow_pickle")
            if allow is None or walker.const_value(allow) is False:
                walker.examine(
                    502, node, "deserialization", "no-pickle", "numpy.load() without allow_pickle"
                )
                return
        argument = walker.argument(node, position, keyword)
        if argument is None:
            return
        if self._round_trip(argument):
            walker.examine(
                502, node, "deserialization", "round-trip", f"{name}() of data it just serialized"
            )
            return
        fixed = fixed_source(walker, self.values, argument)
        shown = short_source(walker, argument)
        if fixed is not None:
            if fixed == "constant data" and what != "data":
                fixed = "a constant path"
            walker.examine(502, node, "deserialization", "constant", f"{name}() of {fixed}")
            return
        origin = request_origin(walker, self.values, argument)
        configured = configured_source(walker, self.values, argument) if what != "data" else None
        module = name.partition(".")[0]
        if origin is not None:
            severity, confidence = Severity.HIGH, Confidence.HIGH
            source = f"{origin} `{shown}`"
        elif configured is not None:
            severity, confidence = Severity.LOW, Confidence.LOW
            source = f"`{shown}`, a file whose path comes from {configured}"
            origin = f"path from {configured}"
        elif not self._from_caller(argument):
            # The program's own storage (its cache, its state files, an attribute): whoever
            # could write it could already change the program. Worth knowing, not acting on.
            severity, confidence = Severity.LOW, Confidence.LOW
            source = (
                f"`{shown}`, which is not fixed by the code but comes from the program's own "
                "storage, not from the request or a caller"
            )
        elif module in _WEAKER:
            severity, confidence = Severity.MEDIUM, Confidence.LOW
            source = f"`{shown}`, which is not fixed by the code"
        else:
            severity = Severity.HIGH if what == "data" else Severity.MEDIUM
            confidence = Confidence.MEDIUM
            source = f"`{shown}`, which is not fixed by the code"
        walker.examine(502, node, "deserialization", "flagged", f"{name}() of non-constant {what}")
        finding = walker.report(
            self,
            node,
            f"{name}() deserializes {source}; {_CRAFTED[what]} can run arbitrary code",
            severity=severity,
            confidence=confidence,
            evidence="non-constant argument" + (f" ({origin})" if origin else ""),
            fix=_fix(module),
        )
        fixed = "constant data" if what == "data" else "a constant path"
        walker.unless_constant(
            finding, [(node, argument)], (502, "deserialization", f"{name}() of {fixed}")
        )


_DUMPS = frozenset(
    f"{m}.{f}" for m in (*_PICKLE_MODULES, "marshal", "jsonpickle") for f in ("dumps", "encode")
)


def _fix(module: str) -> Fix:
    if module == "marshal":
        return Fix("use json (or another data-only format) for data that crosses a trust boundary")
    if module in ("pandas", "joblib", "numpy"):
        return Fix(
            "load only files you produced and can authenticate; for data from users prefer a "
            "data-only format (JSON, CSV, Parquet, safetensors, skops for scikit-learn models)"
        )
    return Fix(
        "use a data-only format such as json; if pickle is unavoidable, verify an HMAC of "
        "the bytes before loading, or restrict globals with an Unpickler.find_class override"
    )
