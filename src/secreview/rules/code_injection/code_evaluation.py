"""SR206: eval / exec / compile of code that is not a constant."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import leaves_of
from secreview.rules.code_injection._shared import COMPILED, OriginRule
from secreview.rules.common import describe_nonconstant

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

EVALUATORS = frozenset(
    {
        "eval",
        "exec",
        "compile",
        "builtins.eval",
        "builtins.exec",
        "builtins.compile",
        "__builtin__.eval",
        "__builtin__.compile",
    }
)
_RUNNERS = frozenset({"eval", "exec"})


class CodeEvaluation(OriginRule):
    """Evaluates Python code that is not a constant: `eval`, `exec`, `compile`.

    ## What it does
    Finds calls of the builtins `eval()`, `exec()` and `compile()` (also as `builtins.eval`)
    whose source is not a constant string. `eval(compile(src, ...))` is one finding, about
    `src`. Not reported: constant code, `ast.literal_eval()`, methods that happen to be called
    `eval` (`model.eval()` in PyTorch, `df.eval()`), and executing a file of the project itself,
    found by a constant path or relative to `__file__` (the `exec(open("pkg/version.py").read())`
    idiom of `setup.py`), which is recorded as examined instead.

    ## Why is this bad?
    Whoever controls the text runs arbitrary Python with the privileges of the process:
    `__import__('os').system(...)` is one expression. Passing `{"__builtins__": {}}` as globals
    does not help: `().__class__.__base__.__subclasses__()` reaches everything again.

    Severity says what to act on: code read from the request, or passed in by the function's
    caller, is reported with high severity (`compile()` alone: medium). Code the program makes
    or keeps itself (generated from a template, read from its own plugin folder, an attribute)
    is reported with low severity, and so is code typed by the operator of a command-line tool
    (`handle()` of a Django management command, a method of a `cmd.Cmd` shell) and the source
    an import loader runs in `exec_module()` / `get_code()`: that is what those are for.

    In test code the finding is kept at low severity: test helpers evaluate snippets on
    purpose, with inputs the test itself wrote.

    ## Example
    ```python
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/calc")
    def calc():
        return str(eval(request.args["expr"]))
    ```

    ## Use instead
    ```python
    import ast
    import operator

    from flask import Flask, request

    app = Flask(__name__)
    OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}

    def evaluate(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in OPS:
            return OPS[type(node.op)](evaluate(node.left), evaluate(node.right))
        raise ValueError("unsupported expression")

    @app.route("/calc")
    def calc():
        return str(evaluate(ast.parse(request.args["expr"], mode="eval").body))
    ```
    For Python literals (numbers, strings, lists, dicts) use `ast.literal_eval()`; for data,
    `json.loads()`.

    ## References
    - https://cwe.mitre.org/data/definitions/94.html
    - https://cwe.mitre.org/data/definitions/95.html
    - https://docs.python.org/3/library/functions.html#eval
    - https://nedbatchelder.com/blog/201206/eval_really_is_dangerous.html
    """

    id = "SR206"
    slug = "code-evaluation"
    cwe = 94
    related_cwes = (95,)
    title = "eval / exec / compile of non-constant code"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    call_leaves = leaves_of(EVALUATORS)
    in_tests = "lower"

    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        if name not in EVALUATORS:
            return
        function = name.rpartition(".")[2]
        if function == "compile" and self._inside_runner(node):
            return  # eval(compile(src, ...)): judged once, at the eval
        source = walker.argument(node, 0, "source")
        if source is None:
            return
        if function == "compile" and _only_parses(walker, node):
            return  # compile(..., flags=ast.PyCF_ONLY_AST) is ast.parse(): nothing runs
        code = source
        inner = walker.call_name(code) if isinstance(code, ast.Call) else None
        if inner in EVALUATORS and inner.rpartition(".")[2] == "compile":
            code = walker.argument(code, 0, "source") or code  # type: ignore[arg-type]
        if isinstance(code, ast.Call) and walker.call_name(code) == "ast.parse":
            code = walker.argument(code, 0, "source") or code
        if isinstance(code, ast.Name) and self.origin_of(code.id) == COMPILED:
            return  # exec(code) of `code = compile(src, ...)`: judged at the compile() call
        if walker.is_constant(code):
            walker.examine(
                94, node, "code-evaluation", "constant", f"{function}() of constant code"
            )
            return
        if self.is_project_file_read(code):
            walker.examine(
                94,
                node,
                "code-evaluation",
                "project-file",
                f"{function}() of a file found by a constant path or relative to __file__",
            )
            return
        phrase, interpolated = describe_nonconstant(walker, code)
        parameter, from_request = self.from_caller_or_request(code)
        walker.examine(94, node, "code-evaluation", "flagged", f"{function}() of non-constant code")
        sandbox = ""
        if function in _RUNNERS and _empties_builtins(walker, walker.argument(node, 1, "globals")):
            sandbox = "; an emptied __builtins__ does not sandbox it"
        what = "runs" if function in _RUNNERS else "compiles"
        confidence = (
            Confidence.HIGH if interpolated or from_request or parameter else Confidence.MEDIUM
        )
        if function not in _RUNNERS:
            # compile() alone runs nothing; the code object usually reaches exec() elsewhere.
            confidence = Confidence(max(confidence - 1, Confidence.LOW))
        severity = self.severity if function in _RUNNERS else Severity.MEDIUM
        message = f"{function}() {what} Python code that is not a constant: {phrase}{sandbox}"
        if not (parameter or from_request or self.reads_parameter(code)):
            # Code the program makes or keeps itself (generated from a template, read from its
            # plugin folder, an attribute): no sign that anyone outside writes it.
            severity, confidence = Severity.LOW, Confidence.LOW
            message += "; it does not come from the request or the function's caller"
        elif not from_request and _operator_command(walker):
            # A management command or an interactive shell: the operator at the terminal types
            # the code, which is what the command is for.
            severity, confidence = Severity.LOW, Confidence.LOW
            message += "; it is typed by the operator of a command-line tool"
        elif not from_request and _import_loader(walker):
            # importlib's loader protocol: running the module being imported is the job.
            severity, confidence = Severity.LOW, Confidence.LOW
            message += "; it is the source of the module an import loader is loading"
        finding = walker.report(
            self,
            node,
            message,
            severity=severity,
            confidence=confidence,
            evidence="non-constant argument",
            fix=Fix(
                "do not evaluate code built from data: use ast.literal_eval() for Python literals, "
                "json.loads() for data, a dispatch table of allowed operations, or a small parser"
                if function == "eval"
                else "run only code from fixed, trusted files; for plugins import modules from an "
                "allow-list instead of executing source text"
            ),
        )
        if code is source:
            walker.unless_constant(
                finding, [(node, source)], (94, "code-evaluation", f"{function}() of constant code")
            )

    def _inside_runner(self, node: ast.Call) -> bool:
        parent = self.walker.parent
        if not isinstance(parent, ast.Call) or not parent.args or parent.args[0] is not node:
            return False
        name = self.walker.call_name(parent)
        return name in EVALUATORS and name.rpartition(".")[2] in _RUNNERS


def _operator_command(walker: Walker) -> bool:
    """Inside a command-line handler: `handle()` of a Django management command, a `do_*`
    method of a `cmd.Cmd` shell."""
    function = walker.function
    if function is None:
        return False
    for ancestor in reversed(walker.ancestors):
        if isinstance(ancestor, ast.ClassDef):
            bases = [walker.segment(b).rpartition(".")[2] for b in ancestor.bases]
            if function.name == "handle" and any(b.endswith("Command") for b in bases):
                return True
            return any(b == "Cmd" for b in bases)  # a cmd.Cmd shell and its helpers
    return False


# The methods of importlib's loader protocol that compile or run the module being imported.
_LOADER_METHODS = frozenset({"exec_module", "get_code", "load_module", "source_to_code"})


def _import_loader(walker: Walker) -> bool:
    """Inside a loader's `exec_module()` / `get_code()`: an importer running what it imports."""
    function = walker.function
    return (
        function is not None
        and function.name in _LOADER_METHODS
        and any(isinstance(a, ast.ClassDef) for a in walker.ancestors)
    )


def _empties_builtins(walker: Walker, globals_arg: ast.expr | None) -> bool:
    if not isinstance(globals_arg, ast.Dict):
        return False
    return any(walker.const_value(k) == "__builtins__" for k in globals_arg.keys if k is not None)


def _only_parses(walker: Walker, node: ast.Call) -> bool:
    flags = walker.argument(node, 3, "flags")
    if flags is None:
        return False
    name = walker.qualname(flags) or ""
    if name.endswith("PyCF_ONLY_AST"):
        return True
    value = walker.const_value(flags)
    return isinstance(value, int) and bool(value & 0x400)  # ast.PyCF_ONLY_AST
