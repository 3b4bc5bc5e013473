from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class CodeInjection(FlowRule):
    """Untrusted input is evaluated as Python code.

    ## What it does
    Follows request data, standard input, environment variables and command-line arguments
    through assignments, string building, containers and helper functions in any module, to the
    code argument of `eval()`, `exec()` or `compile()`. Numbers (`int()`, `float()`) and values
    checked against an allow-list are clean; `ast.literal_eval()` and `json.loads()` are not
    sinks at all.

    ## Why is this bad?
    Whoever controls the text runs arbitrary Python with the privileges of the process:
    `__import__('os').system('id')` is one expression, and an empty `__builtins__` does not
    stop `().__class__.__base__.__subclasses__()`. Remote input is critical; standard input and
    environment variables are medium and a command-line argument low, since whoever provides them
    usually runs the program already. This finding replaces SR206 at the same call. In test
    code it is lowered.

    ## Example
    ```python
    from flask import Flask, request

    app = Flask(__name__)

    def apply_discount(price, rule):
        return eval(f"{price} {rule}")

    @app.route("/quote")
    def quote():
        return {"total": apply_discount(100, request.args["rule"])}
    ```

    ## Use instead
    ```python
    DISCOUNTS = {"none": 1.0, "staff": 0.8, "partner": 0.9}

    @app.route("/quote")
    def quote():
        return {"total": 100 * DISCOUNTS.get(request.args.get("rule"), 1.0)}
    ```
    For Python literals use `ast.literal_eval()`; for arithmetic, a small evaluator over
    `ast.parse(..., mode="eval")` that accepts only numbers and operators.

    ## References
    - https://cwe.mitre.org/data/definitions/94.html
    - https://cwe.mitre.org/data/definitions/95.html
    - https://nedbatchelder.com/blog/201206/eval_really_is_dangerous.html
    """

    id = "SR904"
    slug = "code-injection"
    cwe = 94
    related_cwes = (95,)
    title = "Untrusted input is evaluated as Python code"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote", "local", "cli"})
    kind_severity = {"local": Severity.MEDIUM, "cli": Severity.LOW}
    supersedes = ("SR206",)
    fix = (
        "do not evaluate input: look the value up in a fixed mapping, parse literals with "
        "ast.literal_eval(), or evaluate a restricted expression tree yourself"
    )
