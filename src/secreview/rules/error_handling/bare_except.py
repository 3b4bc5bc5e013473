"""CWE-396: a handler that also catches SystemExit and KeyboardInterrupt and keeps them."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Edit, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.error_handling._shared import (
    HandlerTracker,
    catches_system_exit,
    earlier_handler_takes_interrupts,
    header,
    transports_exception,
    trivial_body,
    where,
)
from secreview.rules.web._shared import ast_lines


class BareExcept(Rule):
    """Catches everything, KeyboardInterrupt and SystemExit included, and does not re-raise.

    ## What it does
    Finds bare `except:` clauses and `except BaseException:` clauses that neither re-raise
    (any `raise` in the handler) nor exit (`sys.exit()`, `os._exit()`). Handlers that hand the
    exception on (`exception = exc`, `future.set_exception(exc)`, `return Failure(exc)`), and
    handlers preceded by an `except KeyboardInterrupt:` (or `SystemExit`) clause in the same
    `try`, are not reported.

    A bare `except:` whose body is only `pass`, `continue` or `...` is reported by SR601
    (swallowed-exception) alone: one finding per handler, the more specific one.

    ## Why is this bad?
    Besides every error, these handlers catch `SystemExit` (raised by `sys.exit()`, so a
    worker cannot be told to stop), `KeyboardInterrupt` (Ctrl-C and SIGINT are ignored) and
    `GeneratorExit`. A daemon with a bare `except:` in its main loop cannot be shut down
    cleanly, and failures of the program itself are handled as if they were expected errors.
    In test code the finding is lowered to low severity: a stuck test run is annoying, not a
    vulnerability.

    ## Example
    ```python
    def serve_forever(server):
        while True:
            try:
                server.handle_request()
            except:
                LOG.warning("request failed")
    ```

    ## Use instead
    ```python
    def serve_forever(server):
        while True:
            try:
                server.handle_request()
            except Exception:
                LOG.exception("request failed")
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/396.html
    - https://docs.python.org/3/library/exceptions.html#exception-hierarchy
    """

    id = "SR602"
    slug = "bare-except"
    cwe = 396
    related_cwes = (703,)
    title = "Catch-all handler that also catches SystemExit and KeyboardInterrupt"
    severity = Severity.LOW
    confidence = Confidence.HIGH
    node_types = (ast.ExceptHandler, ast.Raise, ast.Call)
    # call_leaves stays None: a handler "logs" when it calls a logger, print(), anything of
    # `logging` or a name containing "logger" (see is_logging_call): no finite set of names.
    in_tests = "lower"

    def begin_module(self) -> None:
        self.tracker = HandlerTracker(self.walker)

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.ExceptHandler):
            if not catches_system_exit(self.walker, node):
                return
            if earlier_handler_takes_interrupts(self.walker, node):
                text = header(self.walker, node)
                self.walker.examine(396, node, "exception-handler", "interrupts-handled", text)
                return
            self.tracker.add(node)
        else:
            self.tracker.see(node)

    def end_module(self) -> None:
        walker = self.walker
        for node, handler in self.tracker.handlers.items():
            if handler.raises or handler.exits:
                walker.examine(396, node, "exception-handler", "re-raises", header(walker, node))
                continue
            if transports_exception(walker, node):
                walker.examine(
                    396, node, "exception-handler", "stores-exception", header(walker, node)
                )
                continue
            if trivial_body(node.body) is not None:
                # SR601 reports `except: pass` and friends: one finding per handler.
                walker.examine(396, node, "exception-handler", "swallows", "reported by SR601")
                continue
            walker.examine(396, node, "exception-handler", "flagged", header(walker, node))
            text = header(walker, node)
            walker.report(
                self,
                node,
                f"`{text}:`{where(handler.function)} also catches KeyboardInterrupt and "
                "SystemExit and does not re-raise them",
                evidence="bare except" if node.type is None else "catches BaseException",
                fix=_fix(walker, node),
            )


def _fix(walker, node: ast.ExceptHandler) -> Fix:  # type: ignore[no-untyped-def]
    description = "catch `Exception` instead, so that KeyboardInterrupt and SystemExit propagate"
    if node.type is not None:
        return walker.replace_fix(node.type, "Exception", description)
    # `except:` -> `except Exception:`; the clause starts with the keyword itself.
    line = ast_lines(walker)[node.lineno - 1]
    prefix = line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace")
    if not line[len(prefix) :].startswith("except"):
        return Fix(description)
    edit = Edit(node.lineno, node.col_offset, node.lineno, node.col_offset + 6, "except Exception")
    return Fix(description, (edit,), "except Exception:")
