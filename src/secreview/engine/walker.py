"""The single walk over a module.

One visitor, one pass, a handler list per node type that is built once and cached (Pyflakes'
`getNodeHandler`). The walk is iterative, so a 2,000-deep expression does not exhaust Python's
stack. Function bodies are deferred until the module body is done (Pyflakes' `deferFunction`),
so they see every module-level name, whatever the order of definitions.
"""

from __future__ import annotations

import ast
import typing
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from secreview.engine.lowering import Lowerer
from secreview.engine.project_constants import PendingConstant
from secreview.findings import (
    Confidence,
    Edit,
    ExaminedSite,
    Finding,
    Fix,
    Severity,
    TraceStep,
)
from secreview.parsing.names import (
    NOT_CONSTANT,
    Binding,
    BindingKind,
    Names,
    Scope,
    import_bindings,
)
from secreview.parsing.source import ParsedSource
from secreview.rules.base import Rule

_FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)
_ASSIGN_TYPES = frozenset({ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr})
_COMPOUND_STMTS = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Match,
)

_EXIT, _PUSH_CLASS = -1, -2  # events on the walk's stack (depths are >= 0)

# Calls whose result is plain data: naming methods after them would only mislead.
_NOT_CONSTRUCTORS = frozenset(
    {
        "str",
        "int",
        "float",
        "bytes",
        "list",
        "dict",
        "set",
        "tuple",
        "len",
        "repr",
        "format",
        "sorted",
        "getattr",
        "vars",
    }
)


class Walker:
    """Walks one module once, keeps its scopes, and is the context every rule reports through."""

    def __init__(
        self,
        parsed: ParsedSource,
        rule_classes: Iterable[type[Rule]],
        *,
        module_name: str = "",
        is_package: bool = False,
        test_code: bool = False,
        lowerer: Lowerer | None = None,
    ) -> None:
        self.parsed = parsed
        self.path = parsed.path
        self.module_name = module_name
        self.is_package = is_package
        self.test_code = test_code
        self.names = Names(module_name)
        # Per-module state that several rules share, keyed by its class (one record of
        # assignments instead of one per rule). Dies with the walker.
        self.shared: dict[type, Any] = {}
        rule_classes_list = list(rule_classes)
        self.rules = [cls(self) for cls in rule_classes_list]
        self.findings: list[Finding] = []
        self.examined: list[ExaminedSite] = []
        self.statement_spans: dict[Finding, tuple[int, int]] = {}
        self.ancestors: list[ast.AST] = []
        self.framework_hints: set[str] = lowerer.imported if lowerer is not None else set()
        self.lowerer = lowerer
        self._handlers: dict[type[ast.AST], list[Callable[[Any], None]]] = {}
        self._qualnames: dict[ast.AST, str | None] = {}
        self.loaded_names: set[str] = set()  # every name read anywhere in the module
        self._deferred: deque[tuple[ast.AST, list[Scope], list[ast.AST]]] = deque()
        # Functions walked and waiting to be lowered (with their scopes), and the calls by name
        # or through `self` seen meanwhile, with the class of the method they are in.
        self._to_lower: list[tuple[ast.AST, list[Scope], str]] = []
        self._variant_calls: list[tuple[ast.Call, str | None]] | None = None
        # Functions and classes with their lines and scope names, for findings reported after
        # the walk (from `end_module`), when the walk no longer stands in their scope.
        self._scope_spans: list[tuple[int, int, str, ast.AST]] = []
        self._walking = False
        self._subscriptions: dict[type[ast.AST], list[Callable[[Any], None]]] = {}
        for rule in self.rules:
            for node_type in rule.node_types:
                if node_type is not ast.Call or type(rule).call_leaves is None:
                    self._subscriptions.setdefault(node_type, []).append(rule.check)
        # Rules that name the functions they judge see only calls of those names, found by the
        # callee's last name segment: one dictionary look-up per call instead of one method
        # call per rule. The index is built once per selection of rules; the handlers of a
        # leaf are bound to this walk's rules when the module first calls a function so named.
        self._leaf_index = _leaf_index(tuple(rule_classes_list))
        self._call_subscriptions: dict[str, list[Callable[[Any], None]]] = {}

    # -- the walk -----------------------------------------------------------------------------
    def run(self) -> None:
        for rule in self.rules:
            rule.begin_module()
        before_walk = len(self.findings)
        self._walking = True
        if self.lowerer is not None:
            self.lowerer.prepare(self.parsed.tree)
            self._variant_calls = []
        self._walk(self.parsed.tree.body)
        if self.lowerer is not None:
            self.lowerer.lower_module(self.parsed.tree.body, self.names)
        while self._deferred:
            func, stack, ancestors = self._deferred.popleft()
            self._run_function(func, stack, ancestors)
        if self.lowerer is not None:
            # Functions are lowered once every call of the module is seen: the calls decide
            # which copies a function gets for its constant arguments (engine/variants.py).
            self.lowerer.plan_variants(self.parsed.tree, self._variant_calls or [])
            saved = self.names.stack
            for func, stack, scope_name in self._to_lower:
                self.names.stack = stack
                self.lowerer.lower_function(func, self.names, scope_name)
            self.names.stack = saved
            self._to_lower.clear()
            self._variant_calls = None
        self._walking = False
        if before_walk:
            self._scope_early_findings(before_walk)
        for rule in self.rules:
            rule.end_module()

    def close(self) -> None:
        """Drop the references between the walker and its rules once the results are taken.

        Rules hold the walker and the walker holds them: left as it is, that cycle keeps the
        module's whole tree alive until the cyclic garbage collector runs, which a scan keeps
        switched off while it works (see analysis.scan).
        """
        self.rules.clear()
        self.shared.clear()
        self._handlers.clear()
        self._subscriptions.clear()
        self._call_subscriptions.clear()
        self._qualnames.clear()
        self._deferred.clear()
        self._to_lower.clear()

    def _run_function(self, func: ast.AST, stack: list[Scope], ancestors: list[ast.AST]) -> None:
        saved_stack, saved_ancestors = self.names.stack, self.ancestors
        self.names.stack = [*stack]
        self.ancestors = [*ancestors, func]
        name = getattr(func, "name", "<lambda>")
        outer = self.names.current.name
        scope = Scope("function", f"{outer}.{name}" if outer else name, func)
        self.names.stack.append(scope)
        self._scope_spans.append(
            (func.lineno, func.end_lineno or func.lineno, scope.name, func)  # type: ignore[attr-defined]
        )
        args: ast.arguments = func.args  # type: ignore[attr-defined]
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None:
                scope.bindings[arg.arg] = Binding(BindingKind.PARAMETER, node=arg)
        body = func.body if isinstance(func.body, list) else [func.body]  # type: ignore[attr-defined]
        self._walk(body)
        if self.lowerer is not None:
            self._to_lower.append((func, [*self.names.stack], scope.name))
        self.names.stack, self.ancestors = saved_stack, saved_ancestors

    def _walk(self, roots: list[Any]) -> None:
        # Stack entries are (node, depth in `ancestors`) to visit, or (node, _EXIT) and
        # (node, _PUSH_CLASS) events. Entering a node at depth d cuts `ancestors` back to d
        # entries, so only the nodes that act on leaving (assignments, classes) need an event.
        ancestors = self.ancestors
        base = len(ancestors)
        stack: list[tuple[Any, int]] = [(node, base) for node in reversed(roots)]
        handlers_for = self._handlers
        child_fields = _CHILD_FIELDS
        push = stack.append
        while stack:
            node, depth = stack.pop()
            if depth < 0:
                if depth == _EXIT:
                    if node.__class__ is ast.ClassDef:
                        self.names.stack.pop()
                        self.names.bind(
                            node.name,
                            Binding(BindingKind.DEFINITION, self.names.qualify(node.name), node),
                        )
                    else:
                        self._bind_assignment(node)
                else:  # _PUSH_CLASS: the header is done, the body is next
                    outer = self.names.current.name
                    scope_name = f"{outer}.{node.name}" if outer else node.name
                    if self.lowerer is not None:
                        self.lowerer.on_class(node, self.names, scope_name)
                    self.names.stack.append(Scope("class", scope_name, node))
                    self._scope_spans.append(
                        (node.lineno, node.end_lineno or node.lineno, scope_name, node)
                    )
                continue
            del ancestors[depth:]
            node_type = node.__class__
            handlers = handlers_for.get(node_type)
            if handlers is None:
                handlers = self._build_handlers(node_type)
            for handler in handlers:
                handler(node)
            fields = child_fields.get(node_type)
            if fields is None:
                fields = child_fields[node_type] = _child_fields(node_type)
            if not fields:
                continue  # no children (Name, Constant, alias, pass): never an ancestor
            ancestors.append(node)
            inner = depth + 1
            if node_type in _ASSIGN_TYPES:
                push((node, _EXIT))
            elif node_type in _FUNCTION_TYPES or node_type is ast.Lambda:
                self._deferred.append((node, [*self.names.stack], ancestors[:-1]))
                stack.extend((child, inner) for child in reversed(_function_header_children(node)))
                continue
            elif node_type is ast.ClassDef:
                push((node, _EXIT))
                stack.extend((child, inner) for child in reversed(node.body))
                push((node, _PUSH_CLASS))
                header = [*node.decorator_list, *node.bases, *node.keywords]
                stack.extend((child, inner) for child in reversed(header))
                continue
            for name in fields:  # last field first: the stack pops in source order
                value = getattr(node, name, None)
                if value is None:
                    continue
                if value.__class__ is list:
                    for child in reversed(value):
                        if child is not None:  # `{**rest}` has a None key
                            push((child, inner))
                else:
                    push((value, inner))
        del ancestors[base:]

    def _build_handlers(self, node_type: type[ast.AST]) -> list[Callable[[Any], None]]:
        handlers: list[Callable[[Any], None]] = []
        own = getattr(self, "_visit_" + node_type.__name__, None)
        if own is not None:
            handlers.append(own)
        handlers.extend(self._subscriptions.get(node_type, ()))
        self._handlers[node_type] = handlers
        return handlers

    # -- bookkeeping of bindings ----------------------------------------------------------------
    def _visit_Import(self, node: ast.Import) -> None:
        self._bind_imports(node)

    def _visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._bind_imports(node)

    def _bind_imports(self, node: ast.Import | ast.ImportFrom) -> None:
        for local, qualified in import_bindings(node, self.module_name, self.is_package):
            if local == "*":
                self.names.module.star_imports.append(qualified)
            else:
                self.names.bind(local, Binding(BindingKind.IMPORT, qualified, node))
                self.framework_hints.add(qualified.partition(".")[0])

    def _visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.names.bind(
            node.name, Binding(BindingKind.DEFINITION, self.names.qualify(node.name), node)
        )

    _visit_AsyncFunctionDef = _visit_FunctionDef

    def _visit_Global(self, node: ast.Global) -> None:
        self.names.current.globals_declared.update(node.names)

    def _visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self._bind_target(node.target, None)

    _visit_AsyncFor = _visit_For

    def _visit_withitem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None:
            self._bind_target(node.optional_vars, None)

    def _visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.names.bind(node.name, Binding(BindingKind.OTHER, node=node))

    def _visit_Name(self, node: ast.Name) -> None:
        if node.ctx.__class__ is ast.Load:
            self.loaded_names.add(node.id)

    def _visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if func.__class__ is ast.Attribute:
            written = func.attr
            if written in _MUTATORS or written in _EMPTIERS:
                self._forget_constant(func.value)
            if self._variant_calls is not None and func.value.__class__ is ast.Name:
                stack = self.names.stack
                if len(stack) > 2 and stack[1].kind == "class":  # `self.m(...)` in a method
                    self._variant_calls.append((node, stack[1].name))
        elif func.__class__ is ast.Name:
            written = func.id
            if self._variant_calls is not None:
                self._variant_calls.append((node, None))
        else:
            return  # `f()()`, `handlers[key]()`: no name to judge the call by
        if not self._leaf_index:
            return
        # The resolved name's last segment, and the written one when an alias differs from it
        # (`from pickle import loads as parse_blob`).
        resolved = self.qualname(func)
        leaf = resolved.rpartition(".")[2] if resolved is not None else written
        handlers = self._call_handlers(leaf)
        for handler in handlers:
            handler(node)
        if leaf != written:
            for handler in self._call_handlers(written):
                if handler not in handlers:
                    handler(node)

    def _call_handlers(self, leaf: str) -> list[Callable[[Any], None]]:
        handlers = self._call_subscriptions.get(leaf)
        if handlers is None:
            rules = self.rules
            handlers = self._call_subscriptions[leaf] = [
                rules[position].check
                for position in self._leaf_index.get(leaf, ())
                if ast.Call in rules[position].node_types  # a rule may drop calls for a module
            ]
        return handlers

    def _forget_constant(self, expr: ast.expr) -> None:
        """`items = []` then `items.append(x)`: the folded value no longer holds, and the
        scope that binds the name records it as changed in place."""
        if not isinstance(expr, ast.Name):
            return
        for scope in reversed(self.names.stack):
            if expr.id in scope.bindings:
                scope.changed.add(expr.id)
                break
        binding = self.names.lookup(expr.id)
        if (
            binding is not None
            and binding.kind is BindingKind.CONSTANT
            and isinstance(
                binding.value, tuple | list | dict | set | bytearray
            )  # lists fold to tuples
        ):
            self.names.bind(expr.id, Binding(BindingKind.OTHER, node=binding.node))

    def _visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.names.current.bindings.pop(target.id, None)
            elif isinstance(target, ast.Subscript):
                self._forget_constant(target.value)

    def _bind_assignment(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._bind_target(target, node.value)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._bind_target(node.target, node.value)
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                folded = self.names.const_value(ast.BinOp(node.target, node.op, node.value))
                self._bind_name(node.target.id, node, folded, None)
            elif isinstance(node.target, ast.Subscript):
                self._forget_constant(node.target.value)
        elif isinstance(node, ast.NamedExpr):
            self._bind_target(node.target, node.value)

    def _bind_target(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            folded = self.names.const_value(value) if value is not None else NOT_CONSTANT
            self._bind_name(target.id, target, folded, value)
        elif isinstance(target, ast.Subscript):
            self._forget_constant(target.value)
        elif isinstance(target, ast.Tuple | ast.List):
            values = value.elts if isinstance(value, ast.Tuple | ast.List) else None
            if values is not None and len(values) != len(target.elts):
                values = None
            for index, element in enumerate(target.elts):
                inner = element.value if isinstance(element, ast.Starred) else element
                self._bind_target(inner, values[index] if values and inner is element else None)

    def _bind_name(self, name: str, node: ast.AST, folded: Any, value: ast.expr | None) -> None:
        if folded is not NOT_CONSTANT:
            self.names.bind(name, Binding(BindingKind.CONSTANT, folded, node))
            return
        if isinstance(value, ast.Name | ast.Attribute):
            qualified = self.names.qualname(value)
            if (qualified is not None and "." in qualified) or (
                isinstance(value, ast.Name) and qualified and self.names.lookup(value.id)
            ):
                self.names.bind(name, Binding(BindingKind.ALIAS, qualified, node))
                return
        if isinstance(value, ast.Call):
            made_by = self.names.qualname(value.func)
            if made_by is not None and made_by not in _NOT_CONSTRUCTORS:
                self.names.bind(name, Binding(BindingKind.INSTANCE, made_by, node))
                return
        self.names.bind(name, Binding(BindingKind.OTHER, node=node))

    # -- what rules ask -------------------------------------------------------------------------
    def qualname(self, expr: ast.expr) -> str | None:
        # Many rules ask about the same node while the walk stands on it, when the answer is
        # the same for all of them; the node (not its id) is the key, so it cannot be reused.
        cache = self._qualnames
        if expr in cache:
            return cache[expr]
        found = cache[expr] = self.names.qualname(expr)
        return found

    def call_name(self, call: ast.Call) -> str | None:
        return self.qualname(call.func)

    def const_value(self, expr: ast.expr | None) -> Any:
        return self.names.const_value(expr)

    def is_constant(self, expr: ast.expr | None) -> bool:
        return self.names.is_constant(expr)

    @staticmethod
    def argument(call: ast.Call, position: int | None, name: str | None = None) -> ast.expr | None:
        """The argument passed at `position` or by keyword `name`, if any."""
        if name is not None:
            for keyword in call.keywords:
                if keyword.arg == name:
                    return keyword.value
        if position is not None and position < len(call.args):
            arg = call.args[position]
            if not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
                return arg
        return None

    @staticmethod
    def keyword(call: ast.Call, name: str) -> ast.expr | None:
        for keyword in call.keywords:
            if keyword.arg == name:
                return keyword.value
        return None

    @property
    def parent(self) -> ast.AST | None:
        return self.ancestors[-1] if self.ancestors else None

    @property
    def function(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for scope in reversed(self.names.stack):
            if isinstance(scope.node, _FUNCTION_TYPES):
                return scope.node
        return None

    @property
    def scope_name(self) -> str:
        return self.names.current.name

    def segment(self, node: ast.AST) -> str:
        # ast.get_source_segment splits the whole file on every call; slice the known lines.
        lines = self.parsed.lines
        try:
            first, last = node.lineno, node.end_lineno  # type: ignore[attr-defined]
            col, end_col = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
        except AttributeError:
            return ast.unparse(node)
        if last is None or end_col is None or not 0 < first <= last <= len(lines):
            return ast.unparse(node)
        if first == last:
            return lines[first - 1].encode()[col:end_col].decode(errors="replace")
        head = lines[first - 1].encode()[col:].decode(errors="replace")
        tail = lines[last - 1].encode()[:end_col].decode(errors="replace")
        return "\n".join([head, *lines[first : last - 1], tail])

    # -- what rules say -------------------------------------------------------------------------
    def report(
        self,
        rule: Rule,
        node: ast.AST,
        message: str,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        evidence: str = "",
        trace: tuple[TraceStep, ...] = (),
        cwe: int | None = None,
    ) -> Finding | None:
        """Record a finding at `node`, applying the rule's policy for test code."""
        sev = severity if severity is not None else rule.severity
        if self.test_code:
            if rule.in_tests == "skip":
                return None
            if rule.in_tests == "lower":
                sev = Severity.LOW
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None) or col
        finding = Finding(
            rule_id=rule.id,
            slug=rule.slug,
            cwe=cwe if cwe is not None else rule.cwe,
            path=self.path,
            line=line,
            col=col,
            end_line=end_line,
            end_col=end_col,
            severity=sev,
            confidence=confidence if confidence is not None else rule.confidence,
            message=message,
            snippet=self.parsed.segment(line, min(end_line, line + 4)),
            fix=fix,
            trace=trace,
            evidence=evidence,
            test_code=self.test_code,
            scope=self.scope_name if self._walking else self._scope_of(node),
        )
        self.findings.append(finding)
        self.statement_spans[finding] = self._statement_span(node)
        return finding

    def defer_constant(
        self, rule: Rule, node: ast.AST, qualname: str, data: tuple[Any, ...] = ()
    ) -> bool:
        """Ask, after every module is walked, what the module-level constant `qualname` of
        another module is (`from .settings import KEY`): the rule's `complete_constant` then
        turns the finding it would report at `node` into one, or none. False when there is no
        project-wide pass to ask (a scan without data flow) or the rule skips this code."""
        if self.lowerer is None or (self.test_code and rule.in_tests == "skip"):
            return False
        finding = self.report(rule, node, "")
        if finding is None:
            return False
        self.findings.pop()
        statement = self.statement_spans.pop(finding)
        self.lowerer.ir.pending_constants.append(
            PendingConstant(rule.id, qualname, finding, statement, data)
        )
        return True

    def unless_constant(
        self,
        finding: Finding | None,
        arguments: list[tuple[ast.Call, ast.expr]],
        examined: tuple[int, str, str],
    ) -> None:
        """Withdraw `finding` after data flow if the engine proves every one of `arguments`
        (a call and one of its arguments) constant: what the finding said was not fixed by the
        code is (an element of a dict under a constant key, the branch a constant test picks,
        a helper that returns a literal). The finding's site is then recorded as examined:
        `examined` is (cwe, kind, detail)."""
        if finding is None or self.lowerer is None or not arguments:
            return
        places: list[tuple[int, int, int | str]] = []
        for call, argument in arguments:
            slot = _slot(call, argument)
            if slot is None:
                return
            places.append((call.lineno, call.col_offset, slot))
        self.lowerer.ir.conditions.append((finding, tuple(places), examined))

    def examine(self, cwe: int, node: ast.AST, kind: str, verdict: str, detail: str = "") -> None:
        """Record a site a rule examined, for the review's evidence."""
        self.examined.append(
            ExaminedSite(cwe, self.path, getattr(node, "lineno", 0), kind, verdict, detail)
        )

    def replace_fix(self, node: ast.AST, replacement: str, description: str) -> Fix:
        """A mechanical fix replacing `node`'s source text with `replacement`."""
        edit = Edit(
            node.lineno,
            node.col_offset,
            node.end_lineno or node.lineno,  # type: ignore[attr-defined]
            node.end_col_offset or node.col_offset,
            replacement,
        )  # type: ignore[attr-defined]
        return Fix(description, (edit,), replacement)

    def _scope_early_findings(self, count: int) -> None:
        """Findings of `begin_module` (from the source text, before the walk knew any scope)
        get theirs by line: the innermost function or class whose body holds it."""
        for index in range(count):
            finding = self.findings[index]
            if finding.scope:
                continue
            found, start = "", -1
            for first, last, name, _owner in self._scope_spans:
                # A def or class line itself stands in the scope that defines it.
                if first < finding.line <= last and first >= start:
                    found, start = name, first
            if found:
                span = self.statement_spans.pop(finding)
                finding = self.findings[index] = replace(finding, scope=found)
                self.statement_spans[finding] = span

    def _scope_of(self, node: ast.AST) -> str:
        """The scope a node stands in, found by its line after the walk: the innermost function
        or class around it (a def or class itself stands in the scope that defines it)."""
        line = getattr(node, "lineno", 0)
        found, start = "", -1
        for first, last, name, owner in self._scope_spans:
            if first <= line <= last and first >= start and owner is not node:
                found, start = name, first
        return found

    def _statement_span(self, node: ast.AST) -> tuple[int, int]:
        """Lines of the innermost statement around `node`: the header of a compound statement."""
        chain = [*self.ancestors, node]
        for candidate in reversed(chain):
            if isinstance(candidate, ast.stmt):
                start = candidate.lineno
                if (
                    isinstance(candidate, (*_FUNCTION_TYPES, ast.ClassDef))
                    and candidate.decorator_list
                ):
                    start = min(d.lineno for d in candidate.decorator_list)
                if isinstance(candidate, _COMPOUND_STMTS):
                    first = _first_body_line(candidate)
                    end = max(first - 1, candidate.lineno) if first else candidate.lineno
                    if getattr(node, "lineno", start) > end:
                        end = node.end_lineno or node.lineno  # type: ignore[attr-defined]
                    return start, end
                return start, candidate.end_lineno or start
        line = getattr(node, "lineno", 1)
        return line, getattr(node, "end_lineno", line) or line


def _slot(call: ast.Call, argument: ast.expr) -> int | str | None:
    """How `call` passes `argument`: its position, or its keyword's name."""
    for position, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return None
        if arg is argument:
            return position
    for keyword in call.keywords:
        if keyword.value is argument and keyword.arg is not None:
            return keyword.arg
    return None


def _first_body_line(stmt: ast.stmt) -> int:
    body = getattr(stmt, "body", None)
    if isinstance(stmt, ast.Match):
        return stmt.cases[0].pattern.lineno if stmt.cases else 0
    if body:
        return body[0].lineno
    return 0


_LEAF_INDEXES: dict[tuple[type[Rule], ...], dict[str, tuple[int, ...]]] = {}


def _leaf_index(rule_classes: tuple[type[Rule], ...]) -> dict[str, tuple[int, ...]]:
    """Call leaf -> positions (in `rule_classes`) of the rules that declared it."""
    index = _LEAF_INDEXES.get(rule_classes)
    if index is None:
        building: dict[str, list[int]] = {}
        for position, cls in enumerate(rule_classes):
            if cls.call_leaves is not None and ast.Call in cls.node_types:
                for leaf in cls.call_leaves:
                    building.setdefault(leaf, []).append(position)
        index = _LEAF_INDEXES[rule_classes] = {k: tuple(v) for k, v in building.items()}
    return index


_MUTATORS = frozenset(
    {"append", "extend", "insert", "update", "add", "setdefault", "__setitem__", "appendleft"}
)
_EMPTIERS = frozenset({"clear", "popitem"})

# Fields that hold child nodes, last first. Expression contexts (Load, Store) and operators are
# shared singletons no rule subscribes to; skipping them saves a third of the walk. Fields of
# names and numbers (`Name.id`, `ImportFrom.level`) hold no nodes either.
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_SKIPPED_FIELDS = frozenset({"ctx", "op", "ops"})
# Without `_field_types` (Python 3.12): the fields that never hold a node, by name.
_PLAIN_FIELDS = frozenset(
    {
        "id",
        "attr",
        "name",
        "asname",
        "arg",
        "module",
        "level",
        "kind",
        "type_comment",
        "type_ignores",
        "is_async",
        "conversion",
        "simple",
        "kwd_attrs",
        "rest",
        "tag",
        "lineno",
    }
)


def _child_fields(node_type: type) -> tuple[str, ...]:
    if not isinstance(node_type, type) or not issubclass(node_type, ast.AST):
        return ()
    if node_type is ast.Constant:
        return ()
    types: dict[str, Any] | None = getattr(node_type, "_field_types", None)
    fields = []
    for name in node_type._fields:
        if name in _SKIPPED_FIELDS:
            continue
        known = types is not None and name in types
        if (known and _holds_nodes(types[name])) or (  # type: ignore[index]
            not known and not _plain_by_name(node_type, name)
        ):
            fields.append(name)
    return tuple(reversed(fields))


def _plain_by_name(node_type: type, name: str) -> bool:
    if name == "names":
        return node_type in (ast.Global, ast.Nonlocal)  # `Import.names` holds alias nodes
    if name == "value" and node_type is ast.MatchSingleton:
        return True  # `case None:` holds the constant itself
    if name == "name" and node_type.__name__ == "TypeAlias":
        return False  # `type X = ...`: the name is a Name node
    return name in _PLAIN_FIELDS


def _holds_nodes(annotation: Any) -> bool:
    """Whether a field annotated so (`expr`, `list[stmt]`, `expr | None`) can hold a node."""
    if isinstance(annotation, type):
        return issubclass(annotation, ast.AST)
    return any(_holds_nodes(arg) for arg in typing.get_args(annotation))


def _function_header_children(node: ast.AST) -> list[ast.AST]:
    """What belongs to the enclosing scope: decorators, defaults and annotations."""
    args: ast.arguments = node.args  # type: ignore[attr-defined]
    children: list[ast.AST] = [*getattr(node, "decorator_list", ()), *args.defaults]
    children.extend(d for d in args.kw_defaults if d is not None)
    return children
