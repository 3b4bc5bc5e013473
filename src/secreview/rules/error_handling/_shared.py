"""What an exception handler does with the error, learnt during the single walk.

A handler is registered when the walker reaches it; the `raise` statements and calls inside its
body are attributed to it as the walker reaches them (the innermost handler among the node's
ancestors, never across a nested `def`, `lambda` or `class`). Verdicts are final in
`end_module`, once every body, deferred function bodies included, has been walked.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secreview.rules.web._shared import dotted, source_text

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException", "builtins.Exception"})
SYSTEM_EXITING = frozenset({"BaseException", "builtins.BaseException"})

_SCOPE_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)

LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg"}
)
LOGGING_CALLS = frozenset(
    {
        "print",
        "warnings.warn",
        "traceback.print_exc",
        "traceback.print_exception",
        "traceback.format_exc",
        "traceback.format_exception",
        "traceback.print_stack",
        "sys.stderr.write",
        "sys.stdout.write",
        "sys.excepthook",
        "click.echo",
        "click.secho",
        "sentry_sdk.capture_exception",
        "sentry_sdk.capture_message",
        "raven.Client.captureException",
    }
)
EXIT_CALLS = frozenset({"sys.exit", "os._exit", "os.abort", "exit", "quit"})


@dataclass(slots=True)
class Handler:
    node: ast.ExceptHandler
    function: str  # enclosing function name, "" at module level
    logs: bool = False
    raises: bool = False
    exits: bool = False


def handler_of(walker: Walker) -> ast.ExceptHandler | None:
    """The innermost `except` clause whose body holds the node being checked."""
    for ancestor in reversed(walker.ancestors):
        if isinstance(ancestor, ast.ExceptHandler):
            return ancestor
        if isinstance(ancestor, _SCOPE_BOUNDARIES):
            return None
    return None


def is_logging_call(walker: Walker, call: ast.Call) -> bool:
    """A call that reports the error somewhere a person will see it: a logger, print, warn."""
    name = walker.call_name(call)
    if name is not None and (name in LOGGING_CALLS or name.startswith("logging.")):
        return True
    func = call.func
    if isinstance(func, ast.Attribute):
        receiver = dotted(func.value)
        if func.attr in LOG_METHODS and "log" in receiver.lower():
            return True
        if func.attr == "write" and receiver.endswith(("stderr", "stdout")):
            return True  # sys.stderr.write, a Django command's self.stderr.write
        return func.attr in {"capture_exception", "captureException", "report_exception"}
    if isinstance(func, ast.Name):
        lowered = func.id.lower()
        return (
            lowered == "log"
            or lowered.startswith("log_")
            or lowered.endswith("_log")
            or "logger" in lowered
            or lowered in {"capture_exception", "report_exception"}
        )
    return False


def is_exit_call(walker: Walker, call: ast.Call) -> bool:
    return walker.call_name(call) in EXIT_CALLS


class HandlerTracker:
    """Registers handlers and attributes raises and calls to them."""

    def __init__(self, walker: Walker) -> None:
        self.walker = walker
        self.handlers: dict[ast.ExceptHandler, Handler] = {}

    def add(self, node: ast.ExceptHandler) -> Handler:
        function = self.walker.function
        handler = Handler(node, function.name if function is not None else "")
        self.handlers[node] = handler
        return handler

    def see(self, node: ast.AST) -> None:
        """Attribute a `raise` or a call to the handler around it, if any."""
        handlers = self.handlers
        if not handlers or handlers.keys().isdisjoint(self.walker.ancestors):
            # Outside every handler registered here (one pass in C, where `handler_of` loops
            # in Python): the innermost handler around the node, if any, is not one of them.
            return
        owner = handler_of(self.walker)
        if owner is None:
            return
        handler = self.handlers.get(owner)
        if handler is None:
            return
        if isinstance(node, ast.Raise):
            handler.raises = True
        elif isinstance(node, ast.Call):
            if not handler.logs and is_logging_call(self.walker, node):
                handler.logs = True
            elif not handler.exits and is_exit_call(self.walker, node):
                handler.exits = True


def trivial_body(body: list[ast.stmt]) -> str | None:
    """ "pass", "continue" or "..." when the handler body does nothing else, else None."""
    kinds: list[str] = []
    for stmt in body:
        if isinstance(stmt, ast.Pass):
            kinds.append("pass")
        elif isinstance(stmt, ast.Continue):
            kinds.append("continue")
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            if stmt.value.value is Ellipsis:
                kinds.append("...")
            elif not isinstance(stmt.value.value, str):
                return None
            # a string is a comment in disguise: ignore it
        else:
            return None
    if "continue" in kinds:
        return "continue"
    if "pass" in kinds:
        return "pass"
    return "..." if kinds else "pass"


def caught_names(walker: Walker, node: ast.ExceptHandler) -> list[str]:
    """Qualified names of the exception classes an `except` clause catches ([] when bare)."""
    if node.type is None:
        return []
    types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
    names: list[str] = []
    for expr in types:
        name = walker.qualname(expr)
        names.append(name if name is not None else source_text(walker, expr))
    return names


def is_broad(walker: Walker, node: ast.ExceptHandler) -> bool:
    """Bare `except:`, `except Exception` / `BaseException`, alone or in a tuple."""
    if node.type is None:
        return True
    return any(
        name in BROAD_EXCEPTIONS or name in SYSTEM_EXITING for name in caught_names(walker, node)
    )


def catches_system_exit(walker: Walker, node: ast.ExceptHandler) -> bool:
    """Bare `except:` and `except BaseException:` also catch SystemExit and KeyboardInterrupt."""
    if node.type is None:
        return True
    return any(name in SYSTEM_EXITING for name in caught_names(walker, node))


def header(walker: Walker, node: ast.ExceptHandler) -> str:
    """`except Exception`, `except (OSError, Exception) as exc`, `except` -- for messages."""
    if node.type is None:
        return "except"
    text = f"except {one_line(walker, node.type)}"
    return f"{text} as {node.name}" if node.name else text


def where(function: str) -> str:
    return f" in `{function}()`" if function else " at module level"


def one_line(walker: Walker, node: ast.AST, limit: int = 60) -> str:
    """Source text of `node` on one line (unparsed when it spans lines, so comments go)."""
    text = source_text(walker, node)
    if "\n" in text:
        text = ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def transports_exception(walker: Walker, node: ast.ExceptHandler) -> bool:
    """The handler hands the exception on: `exception = exc`, `future.set_exception(exc)`,
    `return Failure(exc)` -- someone else deals with it (re-raises it later, typically)."""
    if not node.name:
        return False
    mentions = re.compile(rf"\b{re.escape(node.name)}\b")
    for stmt in node.body:
        value: ast.AST | None = None
        if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.Return):
            value = stmt.value
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call | ast.Await):
            call = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
            if isinstance(call, ast.Call) and not is_logging_call(walker, call):
                value = ast.Tuple(elts=[*call.args, *(k.value for k in call.keywords)])
                if not value.elts:
                    continue
                if any(mentions.search(source_text(walker, e)) for e in value.elts):
                    return True
                continue
        if value is not None and mentions.search(source_text(walker, value)):
            return True
    return False


def earlier_handler_takes_interrupts(walker: Walker, node: ast.ExceptHandler) -> bool:
    """`except KeyboardInterrupt:` before `except BaseException:` in the same `try`: the author
    decided what happens to interrupts."""
    parent = walker.parent
    if not isinstance(parent, ast.Try | ast.TryStar):
        return False
    for handler in parent.handlers:
        if handler is node:
            return False
        if set(caught_names(walker, handler)) & {"KeyboardInterrupt", "SystemExit"}:
            return True
    return False
