"""SR303: torch.load() that may unpickle arbitrary objects."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.parsing.names import NOT_CONSTANT
from secreview.rules.base import leaves_of
from secreview.rules.common import short_source
from secreview.rules.deserialization._shared import (
    TrackingRule,
    configured_source,
    fixed_source,
    insert_keyword,
    request_origin,
)

TORCH_LOADS = frozenset(
    {"torch.load", "torch.serialization.load", "torch.hub.load_state_dict_from_url"}
)


class TorchUnsafeLoad(TrackingRule):
    """Loads a PyTorch checkpoint with the full unpickler: `torch.load(f)` without `weights_only=True`.

    ## What it does
    Finds `torch.load`, `torch.serialization.load` and `torch.hub.load_state_dict_from_url`
    calls that:

    - pass `weights_only=False`, or a `pickle_module` (which makes PyTorch 2.6+ default to
      `weights_only=False`): always reported, high confidence (medium severity when the file
      is at a constant path);
    - leave `weights_only` out and load a file whose path is not constant: reported with
      medium confidence (low severity and confidence when the path comes from settings or
      the environment; high severity for request data). PyTorch 2.6 made `weights_only=True` the default, but every earlier
      version (and 2.6+ with `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`) unpickles everything, and
      the code does not say which version it runs on. A constant path is not reported
      (counted as examined).

    `weights_only` given as a variable is not reported. The fix is mechanical: add (or set)
    `weights_only=True`. In test code the finding is lowered.

    ## Why is this bad?
    A `.pt`/`.pth`/`.ckpt` file is a pickle. Without `weights_only=True`, loading a checkpoint
    downloaded from a model hub, uploaded by a user or shared on a bucket runs any code its
    author put in it. `weights_only=True` restricts the unpickler to tensors, primitive types
    and explicitly allowed classes.

    ## Example
    ```python
    import torch

    def load_checkpoint(path, model):
        state = torch.load(path, map_location="cpu")
        model.load_state_dict(state["model"])
    ```

    ## Use instead
    ```python
    import torch

    def load_checkpoint(path, model):
        state = torch.load(path, map_location="cpu", weights_only=True)
        model.load_state_dict(state["model"])
    ```
    Or store weights as safetensors (`safetensors.torch.load_file`).

    ## References
    - https://cwe.mitre.org/data/definitions/502.html
    - https://pytorch.org/docs/stable/generated/torch.load.html
    - https://dev-discuss.pytorch.org/t/bc-breaking-change-torch-load-is-being-flipped-to-use-weights-only-true-by-default-in-the-nightlies-after-137602/2573
    """

    id = "SR303"
    slug = "torch-unsafe-load"
    cwe = 502
    title = "torch.load() without weights_only=True"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    node_types = TrackingRule.node_types
    call_leaves = leaves_of(TORCH_LOADS)
    in_tests = "lower"

    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        if name not in TORCH_LOADS:
            return
        source = walker.argument(node, 0, "url" if name.startswith("torch.hub") else "f")
        weights_only = walker.keyword(node, "weights_only")
        pickle_module = walker.keyword(node, "pickle_module")
        shown = short_source(walker, source) if source is not None else "?"
        fixed = fixed_source(walker, self.values, source) if source is not None else None
        origin = request_origin(walker, self.values, source) if source is not None else None
        value = walker.const_value(weights_only) if weights_only is not None else None
        if value is NOT_CONSTANT:
            walker.examine(
                502,
                node,
                "model-load",
                "unknown",
                f"{name}() with weights_only={short_source(walker, weights_only)}",
            )
            return
        if value:
            walker.examine(502, node, "model-load", "weights-only", f"{name}(weights_only=True)")
            return
        if weights_only is not None and value is not None:
            severity = Severity.MEDIUM if fixed else Severity.HIGH
            walker.examine(502, node, "model-load", "flagged", f"{name}(weights_only=False)")
            walker.report(
                self,
                node,
                f"{name}() of `{shown}` with weights_only=False unpickles arbitrary objects",
                severity=severity,
                confidence=Confidence.HIGH,
                evidence="explicit weights_only=False" + (f"; {origin}" if origin else ""),
                fix=walker.replace_fix(
                    weights_only, "True", "set weights_only=True (or store weights as safetensors)"
                ),
            )
            return
        if pickle_module is not None:
            walker.examine(502, node, "model-load", "flagged", f"{name}() with pickle_module")
            walker.report(
                self,
                node,
                f"{name}() of `{shown}` with pickle_module={short_source(walker, pickle_module)} "
                "and no weights_only: PyTorch then unpickles arbitrary objects",
                severity=Severity.MEDIUM if fixed else Severity.HIGH,
                confidence=Confidence.HIGH,
                evidence="pickle_module argument",
                fix=Fix("drop pickle_module and pass weights_only=True"),
            )
            return
        if source is None or fixed is not None:
            walker.examine(502, node, "model-load", "constant", f"{name}() of {fixed or 'no file'}")
            return
        if weights_only is None and any(k.arg is None for k in node.keywords):
            walker.examine(502, node, "model-load", "unknown", f"{name}() with **kwargs")
            return
        walker.examine(502, node, "model-load", "flagged", f"{name}() without weights_only")
        description = (
            "pass weights_only=True (the default only from PyTorch 2.6), "
            "or store weights as safetensors"
        )
        if weights_only is not None:  # weights_only=None: the version's default
            fix = walker.replace_fix(weights_only, "True", description)
        else:
            inserted = insert_keyword(walker, node, "weights_only=True")
            fix = Fix(description, (inserted[0],), inserted[1]) if inserted else Fix(description)
        configured = None if origin else configured_source(walker, self.values, source)
        severity, confidence = (
            (Severity.HIGH, Confidence.MEDIUM)
            if origin
            else (Severity.LOW, Confidence.LOW)
            if configured
            else (Severity.MEDIUM, Confidence.MEDIUM)
        )
        walker.report(
            self,
            node,
            f"{name}() of `{shown}` without weights_only=True unpickles arbitrary objects "
            "before PyTorch 2.6",
            severity=severity,
            confidence=confidence,
            evidence="missing weights_only argument"
            + (f"; {origin}" if origin else f"; path from {configured}" if configured else ""),
            fix=fix,
        )
