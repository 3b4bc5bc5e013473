"""CWE-390: errors caught by a catch-all handler and silently thrown away."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.error_handling._shared import (
    BROAD_EXCEPTIONS,
    SYSTEM_EXITING,
    HandlerTracker,
    caught_names,
    header,
    is_broad,
    trivial_body,
    where,
)
from secreview.rules.web._shared import source_text

_SUPPRESS = frozenset({"contextlib.suppress"})


class SwallowedException(Rule):
    """Catches every exception and does nothing with it: `except Exception: pass`.

    ## What it does
    Finds `except:`, `except Exception:` and `except BaseException:` clauses (alone or in a
    tuple) whose body is only `pass`, `continue` or `...`, and `contextlib.suppress(Exception)`.
    Handlers of narrow exceptions (`except KeyError: pass`, `except ImportError: pass`,
    `suppress(FileNotFoundError)`) are deliberate and not reported, nor are handlers that log,
    re-raise or do anything else, nor cleanup in `__del__` (where Python ignores errors anyway).

    Every `except` clause is also recorded for the review's CWE-778 (insufficient logging)
    entry with what it does: "logs", "re-raises", "handles", "ignores-narrow" or "swallows".

    ## Why is this bad?
    A catch-all that discards the error hides failed authentication back-ends, lost writes,
    broken TLS set-ups and attacks in progress: nothing is logged, nothing is retried, and the
    program carries on in a state nobody checked. In a worker loop (`except Exception:
    continue`) one poisoned message fails forever without a trace. Test code is not reported
    (tests often probe that something does not blow up).

    ## Example
    ```python
    def poll(queue):
        while True:
            job = queue.get()
            try:
                job.run()
            except Exception:
                continue
    ```

    ## Use instead
    ```python
    import logging

    LOG = logging.getLogger(__name__)

    def poll(queue):
        while True:
            job = queue.get()
            try:
                job.run()
            except Exception:
                LOG.exception("job %s failed", job.id)
                queue.dead_letter(job)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/390.html
    - https://cwe.mitre.org/data/definitions/778.html
    - https://cwe.mitre.org/data/definitions/703.html
    """

    id = "SR601"
    slug = "swallowed-exception"
    cwe = 390
    related_cwes = (703, 778)
    title = "Exception caught by a catch-all handler and discarded"
    severity = Severity.LOW
    confidence = Confidence.HIGH
    node_types = (ast.ExceptHandler, ast.Raise, ast.Call)
    # call_leaves stays None: a handler "logs" when it calls a logger, print(), anything of
    # `logging` or a name containing "logger" (see is_logging_call): no finite set of names.
    in_tests = "skip"

    def begin_module(self) -> None:
        self.tracker = HandlerTracker(self.walker)

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.ExceptHandler):
            self.tracker.add(node)
            return
        self.tracker.see(node)
        if isinstance(node, ast.Call) and self.walker.call_name(node) in _SUPPRESS:
            self._suppress(node)

    def _suppress(self, node: ast.Call) -> None:
        walker = self.walker
        names = [walker.qualname(arg) or source_text(walker, arg) for arg in node.args]
        broad = [n for n in names if n in BROAD_EXCEPTIONS or n in SYSTEM_EXITING]
        if not broad:
            walker.examine(778, node, "exception-handler", "ignores-narrow", "contextlib.suppress")
            return
        if walker.test_code:
            walker.examine(778, node, "exception-handler", "test-code", "contextlib.suppress")
            return
        walker.examine(778, node, "exception-handler", "swallows", "contextlib.suppress")
        walker.examine(390, node, "exception-handler", "flagged", "contextlib.suppress")
        function = walker.function
        walker.report(
            self,
            node,
            f"contextlib.suppress({broad[0]}){where(function.name if function else '')} "
            "silently discards every error raised in its block",
            confidence=Confidence.MEDIUM,
            evidence="catch-all handler with an empty body",
            fix=Fix(f"suppress only the exceptions you expect instead of {broad[0]}"),
        )

    def end_module(self) -> None:
        walker = self.walker
        for node, handler in self.tracker.handlers.items():
            broad = is_broad(walker, node)
            body = trivial_body(node.body)
            text = header(walker, node)
            if handler.raises or handler.exits:
                verdict = "re-raises"
            elif handler.logs:
                verdict = "logs"
            elif body is None:
                verdict = "handles"
            elif not broad:
                verdict = "ignores-narrow"
            elif handler.function == "__del__":
                verdict = "handles"  # errors in __del__ are ignored by Python anyway
            else:
                verdict = "swallows"
            if walker.test_code and verdict == "swallows":
                verdict = "test-code"
            walker.examine(778, node, "exception-handler", verdict, text)
            if not broad:
                continue
            if verdict != "swallows":
                walker.examine(390, node, "exception-handler", verdict, text)
                continue
            walker.examine(390, node, "exception-handler", "flagged", text)
            caught = caught_names(walker, node)
            what = "every exception"
            if node.type is None or any(n in SYSTEM_EXITING for n in caught):
                what = "every exception, KeyboardInterrupt and SystemExit included,"
            walker.report(
                self,
                node,
                f"`{text}: {body}`{where(handler.function)} discards {what} "
                "without logging or re-raising it",
                evidence="catch-all handler with an empty body",
                fix=Fix(
                    "log the error (e.g. `LOG.exception(...)`) or catch only the exceptions you "
                    "expect (e.g. `except OSError:`)"
                ),
            )
