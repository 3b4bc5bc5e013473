from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class UntrustedDeserialization(FlowRule):
    """Untrusted bytes are deserialized with pickle or another loader that runs code.

    ## What it does
    Follows request bodies, uploaded files, cookies, headers, socket reads, HTTP responses,
    standard input and command-line arguments through decoding (`base64`, `bytes.fromhex`),
    assignments, containers and helper functions, to `pickle` / `cPickle` / `dill` `load(s)`,
    `marshal`, `shelve.open`, `jsonpickle.decode`, `pandas.read_pickle`, `joblib.load`,
    `torch.load` without `weights_only=True`, `numpy.load(..., allow_pickle=True)` and
    `yaml.load` with a loader that builds arbitrary objects (`yaml.unsafe_load`, `Loader=yaml.Loader`).
    `yaml.safe_load`, `json.loads` and `yaml.load(..., Loader=yaml.SafeLoader)` are not sinks.
    A file opened at an untrusted path is SR903's finding, not this one.

    ## Why is this bad?
    Unpickling calls whatever `__reduce__` names, with the arguments it gives: one request
    body runs `os.system` as the server. Remote data is critical; standard input is medium and a
    command-line argument low. This finding replaces SR301 / SR302 / SR303 at the same call. In
    test code it is lowered.

    ## Example
    ```python
    import base64
    import pickle

    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/cart", methods=["POST"])
    def restore_cart():
        cart = pickle.loads(base64.b64decode(request.cookies["cart"]))
        return {"items": len(cart)}
    ```

    ## Use instead
    ```python
    import json

    @app.route("/cart", methods=["POST"])
    def restore_cart():
        cart = json.loads(request.cookies.get("cart", "[]"))
        return {"items": len(cart)}
    ```
    Data that must stay pickled has to be authenticated (HMAC over the bytes, checked with
    `hmac.compare_digest` before loading) and should never come from a client.

    ## References
    - https://cwe.mitre.org/data/definitions/502.html
    - https://docs.python.org/3/library/pickle.html#restricting-globals
    - https://pyyaml.org/wiki/PyYAMLDocumentation
    """

    id = "SR905"
    slug = "untrusted-deserialization"
    cwe = 502
    title = "Untrusted bytes reach a deserializer that can run code"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote", "local", "cli"})
    kind_severity = {"local": Severity.MEDIUM, "cli": Severity.LOW}
    supersedes = ("SR301", "SR302", "SR303")
    fix = (
        "exchange data as JSON (json.loads) or YAML with yaml.safe_load; load checkpoints with "
        "torch.load(..., weights_only=True); never unpickle bytes a client can send"
    )
