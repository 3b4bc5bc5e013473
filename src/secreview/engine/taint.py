"""The data-flow solver: one summary per function, computed to a fixed point over the project.

A taint value maps a label to the first trace that produced it. A label is (origin, cleaned):
the origin is a source site ("S", function, index) or a parameter of the function being
summarised ("P", position); `cleaned` is the set of CWEs a sanitizer or guard has cleaned the
value for. Summaries say which parameters (and which sources) reach the return value, which
parameters reach which sinks, and which reach attributes of self. A finding is raised where a
source label meets a sink, directly or through a callee's summary, for a CWE it was not cleaned
for. Pysa's and CodeQL's designs, in small.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from secreview.engine.ir import (
    ALL_CWES,
    DEBUG_ONLY,
    FIELD_STORED,
    NO_DOT_DOT,
    RELATIVE,
    Block,
    CallSite,
    ClassIR,
    FunctionIR,
    ModuleIR,
    Op,
    SourceSite,
)
from secreview.engine.lowering import (
    MAX_RETURN_ITEMS,
    ONE_ENTRY,
    SECRET_CLEAN,
    UNKNOWN,
    WHOLE_CONTAINER,
)
from secreview.engine.project_constants import ProjectConstants
from secreview.models import ModelSet, SinkModel
from secreview.parsing.names import NOT_CONSTANT

Step = tuple[str, str, int, int, str]  # kind, path, line, col, description
Trace = tuple[Step, ...]
Label = tuple[tuple[Any, ...], frozenset[int]]
Taint = dict[Label, Trace]

MAX_TRACE = 24
MAX_VISITS = 12  # analyses of one function before its summary is widened
LOOP_ROUNDS = 3
# Labels one value may carry. A chain of 10,000 assignments, each adding a source, would
# otherwise give its last value 10,000 labels and the whole function 50 million. Past the cap
# a value keeps its first labels (in the order they reached it, which does not vary between
# runs) and the WIDENED mark, which lowers the confidence of any finding it reaches. Real code
# stays under it: the most any value of the CPython standard library carries is about 750
# (the secrets of `os.environ` gathered from the whole library).
MAX_LABELS = 1024
WIDENED: Label = (("W",), frozenset())
EMPTY: Taint = {}

# Methods of str, bytes and containers: data passes through them, with no loss of confidence.
PLAIN_METHODS = frozenset(
    {
        "format",
        "format_map",
        "join",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "casefold",
        "replace",
        "split",
        "rsplit",
        "splitlines",
        "partition",
        "rpartition",
        "encode",
        "decode",
        "get",
        "pop",
        "items",
        "values",
        "keys",
        "copy",
        "getlist",
        "title",
        "capitalize",
        "zfill",
        "center",
        "ljust",
        "rjust",
        "removeprefix",
        "removesuffix",
        "expandtabs",
        "translate",
        "read",
        "readline",
        "readlines",
        "getvalue",
        "group",
        "groups",
        "groupdict",
        "setdefault",
        "to_dict",
        "dict",
        "json",
        "text",
        "content",
        "iter_lines",
        "iter_content",
        "getheader",
        "hexdigest",
        "digest",
    }
)
# Lookups: the result comes from the receiver (or the default), not from the key.
# Values a deferred test may compare (see Program.decided).
_DECIDABLE = (str, bytes, int, float, bool, type(None))


def _calls_in(block: Block, calls: list[CallSite]) -> list[CallSite]:
    """The call sites of a block, its nested blocks included."""
    found: list[CallSite] = []
    for instr in block:
        tag = instr[0]
        if tag == "call":
            found.append(calls[instr[1]])
        elif tag == "if":
            found += _calls_in(instr[3], calls) + _calls_in(instr[4], calls)
        elif tag == "loop":
            found += _calls_in(instr[1], calls)
        elif tag == "try":
            found += _calls_in(instr[1], calls)
            for handler in instr[2]:
                found += _calls_in(handler, calls)
            found += _calls_in(instr[3], calls) + _calls_in(instr[4], calls)
    return found


def _decide(operator: str, value: Any, literal: Any) -> bool | None:
    """`value <operator> literal` for a deferred test; None when Python would not say."""
    try:
        if operator == "truth":
            return bool(value)
        if operator in ("==", "!="):
            return (value == literal) is (operator == "==")
        if operator in ("is", "is not"):
            if not (literal is None or isinstance(literal, bool)):
                return None
            return (value is literal) is (operator == "is")
        if operator in ("in", "not in") and isinstance(literal, tuple | frozenset | str):
            return (value in literal) is (operator == "in")
    except TypeError:
        return None
    return None


LOOKUP_METHODS = frozenset({"get", "pop", "setdefault", "getlist", "get_or_404"})
# Lookups by a named key (`Instance.get_by_uuid(ctx, uuid)`, `get_all_by_host(ctx, host)`):
# the result is what is stored there.
LOOKUP_PREFIXES = ("get_by_", "get_all_by_")
# The same through an object the analysis has no type for (`self.tenants.lookup(project_id)`,
# `users.find_by_name(name)`); a library's module function so named may still pass its input on.
OBJECT_LOOKUP_PREFIXES = ("lookup", "find_by_", "fetch_by_")
# ORM queries (`Page.objects.filter(slug=slug)`): rows come from the database, not the criteria.
# SQLAlchemy Core's `.values(name=x)` and `.where(...)` bind their arguments as parameters.
QUERY_METHODS = frozenset({"filter", "filter_by", "exclude", "values", "where"})
# String methods whose arguments say what to take out of the receiver (`href.removeprefix(tok)`,
# `line.strip(chars)`, `text.split(sep)`): the result holds none of them.
REMOVING_METHODS = frozenset(
    {"removeprefix", "removesuffix", "strip", "lstrip", "rstrip", "split", "rsplit"}
)
# Calls that turn escapes back into the characters they stand for (`%2e%2e` into `..`): what a
# value was checked not to hold (see NO_DOT_DOT, RELATIVE) may be in their result.
DECODERS = frozenset(
    {
        "urllib.parse.unquote",
        "urllib.parse.unquote_plus",
        "urllib.parse.unquote_to_bytes",
        "html.unescape",
        "base64.b64decode",
        "base64.urlsafe_b64decode",
        "base64.b32decode",
        "base64.b16decode",
        "binascii.unhexlify",
        "binascii.a2b_base64",
        "codecs.decode",
        "json.loads",
    }
)
_PATH_MARKS = frozenset({NO_DOT_DOT, RELATIVE})
PLAIN_FUNCTIONS = frozenset(
    {
        "str",
        "bytes",
        "bytearray",
        "list",
        "tuple",
        "set",
        "dict",
        "frozenset",
        "sorted",
        "reversed",
        "repr",
        "format",
        "iter",
        "next",
        "os.path.join",
        "os.path.normpath",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.expanduser",
        "os.path.dirname",
        "posixpath.join",
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.Path.resolve",
        "pathlib.Path.absolute",
        "pathlib.Path.expanduser",
        "pathlib.Path.with_name",
        "pathlib.Path.with_suffix",
        "pathlib.Path.joinpath",
        "urllib.parse.urljoin",
        "urllib.parse.unquote",
        "urllib.parse.unquote_plus",
        "urllib.parse.urlparse",
        "urllib.parse.urlsplit",
        "urllib.parse.parse_qs",
        "urllib.parse.parse_qsl",
        "json.loads",
        "json.load",
        "base64.b64decode",
        "base64.urlsafe_b64decode",
        "base64.b64encode",
        "base64.urlsafe_b64encode",
        "binascii.hexlify",
        "struct.unpack",
        "struct.unpack_from",
        "textwrap.dedent",
        "string.Template",
        "enumerate",
        "zip",
        "map",
        "filter",
        "max",
        "getattr",
        "copy.copy",
        "copy.deepcopy",
        "dict.get",
    }
)


@dataclass(frozen=True, slots=True)
class SinkRef:
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    text: str
    description: str
    concept: str
    statement: tuple[int, int]
    function: str
    kinds: frozenset[str] = frozenset()  # the kinds of source that count here


@dataclass(slots=True)
class FlowHit:
    cwe: int
    sink: SinkRef
    source: SourceSite
    trace: Trace
    confidence_penalty: bool  # the flow went through calls secreview could not see into
    truncated: bool
    sources: set[tuple[str, int]] = field(default_factory=set)  # distinct source lines
    widened: bool = False  # through a value whose labels were cut to MAX_LABELS
    # Every flow to this sink carries the DEBUG_ONLY mark: it happens only in debug mode.
    debug_only: bool = False

    @property
    def sources_count(self) -> int:
        return max(1, len(self.sources))


@dataclass(slots=True)
class SinkPath:
    param: int
    cleaned: frozenset[int]
    cwe: int
    sink: SinkRef
    trace: Trace
    key: str | int | None = None  # of the `**kwargs` (or `*args`) `param`, when only that reaches
    widened: bool = False  # the value reaching the sink had more than MAX_LABELS labels


@dataclass(slots=True)
class Summary:
    ret: Taint = field(default_factory=dict)
    sinks: dict[tuple[Any, frozenset[int], int, SinkRef], SinkPath] = field(default_factory=dict)
    attrs: dict[tuple[str, str], Taint] = field(default_factory=dict)
    # What each position of the returned tuple holds, when every return that carries data
    # returns a tuple display of one length (`return path, info`); `mixed` when one does not.
    items: list[Taint] | None = None
    mixed: bool = False

    def signature(self) -> tuple[frozenset[Any], ...]:
        return (
            frozenset(self.ret),
            frozenset(self.sinks),
            frozenset((k, label) for k, taint in self.attrs.items() for label in taint),
            frozenset((i, label) for i, taint in enumerate(self.items or ()) for label in taint),
            frozenset({self.mixed}),
        )


def merge(a: Taint | None, b: Taint | None) -> Taint:
    # Taints are never changed in place, so an operand can be returned as it is.
    if a is b:
        return a if a else EMPTY
    if not a:
        return b if b else EMPTY
    if not b:
        return a
    if len(b) > len(a):
        a, b = b, a
    out = dict(a)
    for label, trace in b.items():
        kept = out.get(label)
        if kept is None or len(trace) < len(kept):
            out[label] = trace
    return out if len(out) <= MAX_LABELS else _widen(out)


def _widen(taint: Taint) -> Taint:
    """The first MAX_LABELS labels of a taint that has more, and the WIDENED mark."""
    out: Taint = {WIDENED: ()}
    for label, trace in taint.items():
        if len(out) > MAX_LABELS:
            break
        out[label] = trace
    return out


def merge_all(taints: Iterable[Taint]) -> Taint:
    """`merge` over many operands, copying once instead of once per operand."""
    out: Taint | None = None
    owned = False
    for taint in taints:
        if not taint:
            continue
        if out is None:
            out = taint
            continue
        if not owned:
            out = dict(out)
            owned = True
        for label, trace in taint.items():
            kept = out.get(label)
            if kept is None or len(trace) < len(kept):
                out[label] = trace
        if len(out) > MAX_LABELS:
            out = _widen(out)
    return out if out is not None else EMPTY


def extend(taint: Taint, step: Step) -> Taint:
    return {label: _append(trace, step) for label, trace in taint.items()}


def _append(trace: Trace, step: Step) -> Trace:
    if len(trace) >= MAX_TRACE:
        return trace
    return (*trace, step)


def _sources_only(taint: Taint) -> Taint:
    """The labels of a taint that come from source sites (and the WIDENED mark), not from
    parameters."""
    return {label: trace for label, trace in taint.items() if label[0][0] != "P"}


def cleans(cleaned: frozenset[int], cwe: int) -> bool:
    return cwe in cleaned or -1 in cleaned  # -1: an allow-list check, clean for every CWE


def clean(taint: Taint, cwes: frozenset[int]) -> Taint:
    if not taint:
        return taint
    # Fully cleaned labels are kept (not dropped) so that a sink can tell "sanitised" from
    # "nothing reached it"; they never match a sink.
    out: Taint = {}
    for (origin, cleaned), trace in taint.items():
        label = (origin, cleaned | cwes)
        if label not in out:
            out[label] = trace
    return out


def _unmarked(taint: Taint, marks: frozenset[int]) -> Taint:
    """`taint` without `marks`: checks the value passed no longer hold for what it became."""
    if not any(marks & cleaned for _origin, cleaned in taint):
        return taint
    out: Taint = {}
    for (origin, cleaned), trace in taint.items():
        label = (origin, cleaned - marks)
        if label not in out:
            out[label] = trace
    return out


def _promote(taint: Taint, marks: frozenset[int], cwes: frozenset[int]) -> Taint:
    """`taint` with the labels that carry all of `marks` cleaned for `cwes` as well."""
    if not any(marks <= cleaned for _origin, cleaned in taint):
        return taint
    out: Taint = {}
    for (origin, cleaned), trace in taint.items():
        label = (origin, cleaned | cwes) if marks <= cleaned else (origin, cleaned)
        if label not in out:
            out[label] = trace
    return out


class Program:
    """All lowered modules of one scan, and the fixed point over them."""

    def __init__(
        self, modules: Iterable[ModuleIR], models: ModelSet, propagate_unknown: bool = True
    ) -> None:
        modules = list(modules)
        self.modules = modules  # for the project's table of constants (engine/constants.py)
        self.models = models
        self.propagate_unknown = propagate_unknown
        self.functions: dict[str, FunctionIR] = {}
        self.classes: dict[str, ClassIR] = {}
        # Names the project's modules also go by as parts of namespace packages (`helpers.ldap`
        # for helpers/ldap.py when helpers/ has no __init__.py): alias -> module name.
        self.module_aliases: dict[str, str] = {}
        module_names: list[str] = []
        for module in modules:
            self.functions.update(module.functions)
            self.classes.update(module.classes)
            module_names.append(module.name)
            for alias in _namespace_names(module.name, module.path):
                self.module_aliases.setdefault(alias, module.name)
        for name in module_names:  # a module of that very name wins over an alias
            self.module_aliases.pop(name, None)
        # Tests of other modules' constants, decided once (see `decided`).
        self._decisions: dict[tuple[str, str, Any, bool], bool | None] = {}
        self._constants_table: ProjectConstants | None = None
        self._module_writes: set[str] = set()
        # Calls (path, line, col) in branches such a test rules out: pattern findings there go.
        self.dead_calls: set[tuple[str, int, int]] = set()
        self.summaries: dict[str, Summary] = {}
        self.attr_store: dict[tuple[str, str], Taint] = {}
        self.global_store: dict[str, Taint] = {}
        # Callers and readers are kept in insertion order (dicts, not sets), so that the order
        # functions are solved in, and so the traces reported, do not vary between runs.
        self.callers: dict[str, dict[str, None]] = {}
        self.attr_readers: dict[tuple[str, str], dict[str, None]] = {}
        self.class_readers: dict[str, dict[str, None]] = {}  # readers of all attrs (`vars(obj)`)
        self.global_readers: dict[str, dict[str, None]] = {}
        self.hits: dict[tuple[str, int, int, int], FlowHit] = {}
        # Every modelled sink the analysis reached, and whether any value flowed into it.
        self.sink_sites: dict[tuple[str, int, int, int], SinkRef] = {}
        self.sinks_touched: set[tuple[str, int, int, int]] = set()
        self.widened: list[str] = []
        # Functions where some value had more than MAX_LABELS labels, by path.
        self.labels_widened: dict[str, dict[str, None]] = {}
        self.unresolved_calls = 0
        self._visits: dict[str, int] = {}
        self._queue: deque[str] = deque()
        self._queued: set[str] = set()
        self._mro_cache: dict[str, list[str]] = {}
        self._subclasses: dict[str, dict[str, None]] | None = None
        self._modelled_cache: dict[str, bool] = {}
        self._targets: dict[int, tuple[FunctionIR | None, bool, bool]] = {}
        self._relevant: set[str] = set()
        # The modelled sinks of each call site (and method name it is matched by): fixed for
        # the solve, and looked up again on every analysis of the function.
        self.site_sinks: dict[tuple[int, str | None], list[SinkModel]] = {}

    # -- the fixed point ------------------------------------------------------------------------
    def solve(self) -> list[FlowHit]:
        callees = self._static_callees()
        self._drop_view_shape_sources()
        self._relevant = self._functions_that_matter(callees)
        for name in _post_order(callees):
            self._enqueue(name)
        while self._queue:
            name = self._queue.popleft()
            self._queued.discard(name)
            visits = self._visits.get(name, 0) + 1
            self._visits[name] = visits
            if visits > MAX_VISITS:
                if name not in self.widened:
                    self.widened.append(name)
                continue
            before = self.summaries.get(name)
            old = before.signature() if before is not None else None
            summary = _Analysis(self, self.functions[name]).run()
            self.summaries[name] = summary
            if summary.signature() != old:
                for caller in self.callers.get(name, ()):
                    self._enqueue(caller)
        return sorted(
            self.hits.values(), key=lambda h: (h.sink.path, h.sink.line, h.sink.col, h.cwe)
        )

    def decided(self, test: tuple[str, str, Any, bool]) -> bool | None:
        """The truth of a test of another module's constant (`if config.SAFE_MODE:`), from the
        project's table of module constants; None when it is not a literal no code changes."""
        known = self._decisions.get(test)
        if known is not None or test in self._decisions:
            return known
        qualname, operator, literal, negated = test
        if self._constants_table is None:
            self._constants_table = ProjectConstants(self.modules)
            for function in self.functions.values():
                self._module_writes |= function.module_writes
        module = qualname.rpartition(".")[0]
        value = (
            NOT_CONSTANT
            if qualname in self._module_writes or f"{module}.*" in self._module_writes
            else self._constants_table.lookup(qualname)
        )
        result: bool | None = None
        if value is not NOT_CONSTANT and isinstance(value, _DECIDABLE):
            result = _decide(operator, value, literal)
            if result is not None and negated:
                result = not result
        if len(self._decisions) < 4096:
            self._decisions[test] = result
        return result

    @property
    def analysed(self) -> set[str]:
        """The functions the solve analysed (those that can change its results)."""
        return set(self._visits)

    def sink_verdicts(self) -> dict[tuple[str, int, int, int], str]:
        """For each sink site (path, line, col, cwe) seen: how its arguments were established.

        "tainted": untrusted input reaches it (a flow finding). "open": a parameter of a function
        that nothing in the scanned code calls reaches it, so its callers are outside what was
        read. "followed": values reached it and the analysis followed all of them to constants,
        sanitizers or guards. "opaque": no value the analysis tracks reached it (constants, or data
        from files, databases and objects the models do not cover).
        """
        called = {name for name, callers in self.callers.items() if callers}
        open_sites: set[tuple[str, int, int, int]] = set()
        for name, summary in self.summaries.items():
            if name in called:
                continue
            for path in summary.sinks.values():
                if not cleans(path.cleaned, path.cwe):
                    sink = path.sink
                    open_sites.add((sink.path, sink.line, sink.col, path.cwe))
        verdicts: dict[tuple[str, int, int, int], str] = {}
        for key in self.sink_sites:
            if key in self.hits:
                verdicts[key] = "tainted"
            elif key in open_sites:
                verdicts[key] = "open"
            elif key in self.sinks_touched:
                verdicts[key] = "followed"
            else:
                verdicts[key] = "opaque"
        return verdicts

    def _drop_view_shape_sources(self) -> None:
        """A function the project itself calls is a helper, not a view the framework routes
        to: its parameters come from its callers, whose flows are followed anyway. Calls
        through `self` do not count: a class-based view's `head()` calling `self.get()` does
        not make `get()` any less a view."""
        for name, function in self.functions.items():
            for site in function.calls:
                if site.callee is None:
                    continue
                target = self.target(function, site)[0]
                if target is not None and target.view_shape_params and target.qualname != name:
                    for param in target.view_shape_params:
                        target.param_sources.pop(param, None)
                    target.view_shape_params = frozenset()

    def _static_callees(self) -> dict[str, list[str]]:
        """The project functions each function's call sites run, as far as names resolve."""
        callees: dict[str, list[str]] = {}
        for name, function in self.functions.items():
            found = []
            for site in function.calls:
                target = self.target(function, site)[0]
                if target is not None and target.qualname != name:
                    found.append(target.qualname)
            callees[name] = found
        return callees

    def _functions_that_matter(self, callees: dict[str, list[str]]) -> set[str]:
        """The functions whose analysis can change what the solve reports.

        Only a function with a modelled sink, or one that calls such a function, records flows,
        sink verdicts and open parameters. Its analysis reads its callees' summaries, the
        attributes and module variables other functions write, and nothing else, so the
        functions it depends on that way are all that must be analysed with it. The rest (a
        library's pure helpers, most of a standard library) are left out: leaving them out
        changes no result, and no function that matters is analysed in another order.
        """
        functions = self.functions
        callers: dict[str, list[str]] = {}
        for name, found in callees.items():
            for callee in found:
                callers.setdefault(callee, []).append(name)
        effects = {name: _Effects.of(function) for name, function in functions.items()}
        attr_writers: dict[tuple[str, str], list[str]] = {}
        global_writers: dict[str, list[str]] = {}
        for name, effect in effects.items():
            cls = functions[name].class_qualname
            if cls is not None:
                for attr in effect.attrs_written:
                    attr_writers.setdefault((cls, attr), []).append(name)
            for variable in effect.globals_written:
                global_writers.setdefault(variable, []).append(name)
        # A caller of a function that writes an attribute writes it too (through the callee's
        # summary), and a caller of a function that reaches a sink records what reaches it:
        # both spread to every caller, the other dependencies only to what is read.
        spread = [
            name for name, function in functions.items() if _Analysis(self, function).has_sinks()
        ]
        spread_done: set[str] = set()
        needed: set[str] = set()
        todo: list[str] = []
        attrs_read: set[tuple[str, str]] = set()
        globals_read: set[str] = set()
        all_fields_read = False
        while spread or todo:
            while spread:
                name = spread.pop()
                if name not in spread_done:
                    spread_done.add(name)
                    todo.append(name)
                    spread.extend(callers.get(name, ()))
            while todo:
                name = todo.pop()
                if name in needed:
                    continue
                needed.add(name)
                todo.extend(callees[name])
                effect = effects[name]
                cls = functions[name].class_qualname
                if effect.reads_fields and not all_fields_read:
                    all_fields_read = True
                    for writers in attr_writers.values():
                        spread.extend(writers)
                elif effect.attrs_read and cls is not None and not all_fields_read:
                    for klass in self.mro(cls):
                        for attr in effect.attrs_read:
                            key = (klass, attr)
                            if key in attr_writers and key not in attrs_read:
                                attrs_read.add(key)
                                spread.extend(attr_writers[key])
                for variable in effect.globals_read:
                    if variable in global_writers and variable not in globals_read:
                        globals_read.add(variable)
                        todo.extend(global_writers[variable])
        return needed

    def target(self, function: FunctionIR, site: CallSite) -> tuple[FunctionIR | None, bool, bool]:
        """The project function a call site of `function` runs, whether the receiver is bound
        to its first parameter, and whether the call constructs an instance. Fixed for the
        whole solve (functions and classes do not change), so worked out once per site."""
        key = id(site)
        found = self._targets.get(key)
        if found is None:
            found = self._find_target(function, site)
            if site.variant and found[0] is not None:
                # `helper(admin=True)`: the copy lowered with that constant, when there is one.
                copy = self.functions.get(found[0].qualname + site.variant)
                if copy is not None:
                    found = (copy, found[1], found[2])
            self._targets[key] = found
        return found

    def _find_target(
        self, function: FunctionIR, site: CallSite
    ) -> tuple[FunctionIR | None, bool, bool]:
        functions = self.functions
        # `self.m()`, `self.api.m()`: the receiver is the first parameter of a method, and of no
        # parameter of a `@staticmethod` (its arguments keep their positions).
        if site.self_method and function.class_qualname and site.method:
            name = self.method(function.class_qualname, site.method)
            if name is not None and name in functions:
                return functions[name], functions[name].is_method, False
            return None, False, False
        if site.receiver_attr and function.class_qualname and site.method:
            # `self.api.method()` where some method of the class did `self.api = API()`.
            for klass in self.mro(function.class_qualname):
                info = self.classes.get(klass)
                made_by = info.attr_types.get(site.receiver_attr) if info is not None else None
                if made_by is not None:
                    name = self.method(made_by, site.method)
                    if name is not None and name in functions:
                        return functions[name], functions[name].is_method, False
                    break
        callee = self.canonical(site.callee)
        if callee is None:
            return None, False, False
        direct = functions.get(callee)
        if direct is not None:
            return direct, (site.bound or direct.classmethod) and direct.is_method, False
        if callee in self.classes:
            init = self.method(callee, "__init__")
            if init is not None and init in functions:
                return functions[init], True, True
            return None, False, False
        owner, _, method = callee.rpartition(".")
        if owner in self.classes:  # `obj.method()` on an instance of a project class
            name = self.method(owner, method)
            if name is not None and name in functions:
                found = functions[name]
                return found, (site.bound or found.classmethod) and found.is_method, False
        return None, False, False

    def canonical(self, callee: str | None) -> str | None:
        """`helpers.ldap.get_connection` as the project names it (`ldap.get_connection`) when
        `helpers` is a namespace package of the scanned tree."""
        aliases = self.module_aliases
        if callee is None or not aliases or callee in self.functions:
            return callee
        head, dot, tail = callee, "", ""
        while True:
            real = aliases.get(head)
            if real is not None:
                return real + dot + tail
            head, _, last = head.rpartition(".")
            if not head:
                return callee
            tail, dot = (f"{last}.{tail}" if tail else last), "."

    def _enqueue(self, name: str) -> None:
        if name not in self._queued and name in self._relevant:
            self._queued.add(name)
            self._queue.append(name)

    # -- shared state ---------------------------------------------------------------------------
    def read_global(self, reader: str, name: str) -> Taint:
        self.global_readers.setdefault(name, {})[reader] = None
        return self.global_store.get(name, EMPTY)

    def write_global(self, name: str, taint: Taint) -> None:
        concrete = _sources_only(taint)
        if not concrete:
            return
        old = self.global_store.get(name, EMPTY)
        new = merge(old, concrete)
        if new.keys() != old.keys():
            self.global_store[name] = new
            for reader in self.global_readers.get(name, ()):
                self._enqueue(reader)

    def read_attr(self, reader: str, cls: str, attr: str) -> Taint:
        out: Taint = {}
        for klass in self.mro(cls):
            key = (klass, attr)
            self.attr_readers.setdefault(key, {})[reader] = None
            out = merge(out, self.attr_store.get(key))
        return out

    def write_attr(self, cls: str, attr: str, taint: Taint) -> None:
        concrete = _sources_only(taint)
        if not concrete:
            return
        key = (cls, attr)
        old = self.attr_store.get(key, EMPTY)
        new = merge(old, concrete)
        if new.keys() != old.keys():
            self.attr_store[key] = new
            readers = dict(self.attr_readers.get(key, {}))
            readers.update(self.class_readers.get(cls, {}))
            for sub in self.subclasses(cls):  # subclasses read their bases' attributes
                readers.update(self.attr_readers.get((sub, attr), {}))
            for reader in readers:
                self._enqueue(reader)

    def read_fields(self, reader: str, cls: str) -> Taint:
        """Every attribute an instance of `cls` was given, for `vars(obj)` and `obj.__dict__`."""
        classes = set(self.mro(cls))
        for klass in self.mro(cls):
            self.class_readers.setdefault(klass, {})[reader] = None
        out: Taint = {}
        for (klass, _attr), taint in self.attr_store.items():
            if klass in classes:
                out = merge(out, taint)
        return out

    def source_kind(self, origin: tuple[Any, ...]) -> str | None:
        function = self.functions.get(origin[1])
        return function.sources[origin[2]].kind if function is not None else None

    def counts(self, origin: tuple[Any, ...], cleaned: frozenset[int], sink: SinkRef) -> bool:
        """Does a value from `origin` matter at `sink`: a kind of source the sink is about (a
        secret in a log, not in a shell command), and not a secret masked on the way?"""
        if origin[0] != "S":
            return True
        kind = self.source_kind(origin)
        if sink.kinds and kind not in sink.kinds:
            return False
        if kind != "secret":
            return True
        return not (cleaned & SECRET_CLEAN or cleaned >= (WHOLE_CONTAINER | ONE_ENTRY))

    def holds_secret(self, taint: Taint) -> bool:
        kind = self.source_kind
        return any(origin[0] == "S" and kind(origin) == "secret" for origin, _ in taint)

    def _modelled(self, qualname: str) -> bool:
        found = self._modelled_cache.get(qualname)
        if found is None:
            models = self.models
            found = self._modelled_cache[qualname] = bool(
                models.sanitizers.get(qualname) is not None
                or models.sinks.get(qualname)
                or qualname in models.validators
            )
        return found

    def subclasses(self, cls: str) -> dict[str, None]:
        """Project classes that have `cls` among their bases (computed once for all)."""
        if self._subclasses is None:
            self._subclasses = {}
            for name in self.classes:
                for base in self.mro(name)[1:]:
                    self._subclasses.setdefault(base, {})[name] = None
        return self._subclasses.get(cls, {})

    def mro(self, cls: str) -> list[str]:
        cached = self._mro_cache.get(cls)
        if cached is not None:
            return cached
        order: list[str] = []
        stack = [cls]
        while stack and len(order) < 32:
            current = stack.pop(0)
            if current in order:
                continue
            order.append(current)
            klass = self.classes.get(current)
            if klass is not None:
                stack.extend(klass.bases)
        self._mro_cache[cls] = order
        return order

    def method(self, cls: str, name: str) -> str | None:
        for klass in self.mro(cls):
            info = self.classes.get(klass)
            if info is not None and name in info.methods:
                return info.methods[name]
        return None

    def record_hit(
        self,
        cwe: int,
        sink: SinkRef,
        origin: tuple[Any, ...],
        trace: Trace,
        widened: bool = False,
        debug_only: bool = False,
    ) -> None:
        function = self.functions.get(origin[1])
        if function is None:
            return
        if self._modelled(sink.function):
            # The body of a function the models already call a sink or a sanitizer (Django's
            # `format_html`, `mark_safe` when Django itself is scanned, an application's own
            # `run_shell` declared a sink): its callers are where the flow is reported.
            return
        if function.test_code:
            # A test's own values (fixtures, fake requests, `uuids.secret`) exercise production
            # code; they are never where a production trace starts.
            reached = self.functions.get(sink.function)
            if reached is None or not reached.test_code:
                return
        source = function.sources[origin[2]]
        full = _append(
            trace, ("sink", sink.path, sink.line, sink.col, f"{sink.description}: {sink.text}")
        )
        penalty = widened or any(step[0] == "unknown" for step in full)
        truncated = len(trace) >= MAX_TRACE
        key = (sink.path, sink.line, sink.col, cwe)
        existing = self.hits.get(key)
        if existing is None:
            self.hits[key] = FlowHit(
                cwe,
                sink,
                source,
                full,
                penalty,
                truncated,
                {(source.path, source.line)},
                widened,
                debug_only,
            )
            return
        existing.sources.add((source.path, source.line))
        debug_only = debug_only and existing.debug_only
        existing.debug_only = debug_only
        if _rank(source, penalty, full) < _rank(
            existing.source, existing.confidence_penalty, existing.trace
        ):
            self.hits[key] = FlowHit(
                cwe, sink, source, full, penalty, truncated, existing.sources, widened, debug_only
            )


@dataclass(slots=True)
class _Forwarded:
    """A caller's own `**kwargs` passed on whole (`g(**kwargs)`): the value of each key is a
    parameter of the caller of its own, ("P", position, key)."""

    position: int
    items: Taint  # what `*items` beside it hold
    sources: Taint  # source labels of the whole `**kwargs` (a view's keyword arguments)

    def key(self, name: str) -> Taint:
        own: Taint = {(("P", self.position, name), frozenset()): (), **self.sources}
        return merge(own, self.items)


def _post_order(callees: dict[str, list[str]]) -> list[str]:
    """Functions in post-order of the static call graph, so that most callees are summarised
    before their callers and few functions need a second analysis."""
    order: list[str] = []
    done: set[str] = set()
    for root in callees:
        if root in done:
            continue
        done.add(root)
        stack = [(root, iter(callees[root]))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in done:
                    done.add(child)
                    stack.append((child, iter(callees[child])))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


@dataclass(slots=True)
class _Effects:
    """What a function's analysis reads from and writes to the state functions share."""

    attrs_read: set[str] = field(default_factory=set)
    globals_read: set[str] = field(default_factory=set)
    attrs_written: set[str] = field(default_factory=set)
    globals_written: set[str] = field(default_factory=set)
    reads_fields: bool = False  # `vars(obj)`: every attribute of an object

    @classmethod
    def of(cls, function: FunctionIR) -> _Effects:
        effects = cls()
        operand = effects._operand
        for site in function.calls:
            if site.method == "__dict__":
                effects.reads_fields = True
            operand(site.receiver)
            operand(site.star)
            for op in site.args:
                operand(op)
            for _name, op in site.kwargs:
                operand(op)
        effects._block(function.body)
        return effects

    def _operand(self, op: Op) -> None:
        if not op:
            return
        tag = op[0]
        if tag == "a":
            self.attrs_read.add(op[1])
        elif tag == "g":
            self.globals_read.add(op[1])
        elif tag == "u":
            for item in op[1]:
                self._operand(item)
        elif tag in ("k", "e", "m"):
            self._operand(op[1])

    def _block(self, block: Block) -> None:
        operand = self._operand
        for instr in block:
            tag = instr[0]
            if tag in ("set", "add"):
                operand(instr[2])
            elif tag == "ret":
                operand(instr[1])
            elif tag == "aset":
                self.attrs_written.add(instr[1])
                operand(instr[2])
            elif tag == "gset":
                self.globals_written.add(instr[1])
                operand(instr[2])
            elif tag == "if":
                for guard in (*instr[1], *instr[2]):
                    if len(guard) > 2:
                        operand(guard[2])
                self._block(instr[3])
                self._block(instr[4])
            elif tag == "loop":
                self._block(instr[1])
            elif tag == "try":
                self._block(instr[1])
                for handler in instr[2]:
                    self._block(handler)
                if instr[3]:
                    self._block(instr[3])
                if instr[4]:
                    self._block(instr[4])


_KIND_RANK = {"remote": 0, "exception": 1, "local": 2, "cli": 3, "secret": 4}


def _rank(source: SourceSite, penalty: bool, trace: Trace) -> tuple[int, int, int, str, int, int]:
    """Which flow a finding shows: the most dangerous source, then the surest, shortest path."""
    return (
        _KIND_RANK.get(source.kind, 4),
        int(penalty),
        len(trace),
        source.path,
        source.line,
        source.col,
    )


class _Analysis:
    """One abstract run over one function's IR."""

    def __init__(self, program: Program, function: FunctionIR) -> None:
        self.program = program
        self.models = program.models
        self.function = function
        self.name = function.qualname
        self.path = function.path
        self.summary = Summary()
        self.loop_exits: list[list[Taint | dict[str, Taint]]] = []

    def run(self) -> Summary:
        function = self.function
        env: dict[str, Taint] = {}
        for position, param in enumerate(function.params):
            cleaned = ALL_CWES if param in function.clean_params else frozenset()
            taint: Taint = {(("P", position), cleaned): ()}
            source_index = function.param_sources.get(param)
            if source_index is not None:
                site = function.sources[source_index]
                taint[(("S", self.name, source_index), frozenset())] = (
                    ("source", site.path, site.line, site.col, f"{site.what} ({site.kind} input)"),
                )
            env[param] = taint
        if function.kwarg_keys:
            # `kwargs["env"]` of a `**kwargs` the function never changes: what the caller
            # passed as `env=`, a parameter of its own.
            name = function.params[function.kwarg]
            sources = _sources_only(env[name])
            for key in function.kwarg_keys:
                env[f"**{name}[{key}]"] = {
                    (("P", function.kwarg, key), frozenset()): (),
                    **sources,
                }
        if function.vararg_keys:
            # `args[1]` of a `*args` the function never rebinds: the caller's argument there.
            name = function.params[function.vararg]
            sources = _sources_only(env[name])
            for index in function.vararg_keys:
                env[f"*{name}[{index}]"] = {
                    (("P", function.vararg, index), frozenset()): (),
                    **sources,
                }
        self.block(function.body, env)
        return self.summary

    def _ruled_out(self, branch: Block) -> bool:
        """Does the branch start with a test of another module's constant that fails?"""
        return bool(
            branch
            and branch[0][0] == "only"
            and self.program.decided(branch[0][1]) is (not branch[0][2])
        )

    # -- evaluation -----------------------------------------------------------------------------
    def value(self, op: Op, env: dict[str, Taint]) -> Taint:
        if op is None:
            return EMPTY
        tag = op[0]
        if tag == "v":
            return env.get(op[1], EMPTY)
        if tag == "c":
            return env.get(f"$c{op[1]}", EMPTY)
        if tag == "e":
            inner = op[1]
            if inner[0] == "c":
                item = env.get(f"$c{inner[1]}#{op[2]}")
                if item is not None:
                    return item
            return self.value(inner, env)
        if tag == "u":
            value = self.value
            return merge_all([value(item, env) for item in op[1]])
        if tag == "s":
            site = self.function.sources[op[1]]
            return {
                (("S", self.name, op[1]), frozenset()): (
                    ("source", site.path, site.line, site.col, f"{site.what} ({site.kind} input)"),
                )
            }
        if tag == "k":
            return clean(self.value(op[1], env), op[2])
        if tag == "m":
            return _promote(self.value(op[1], env), op[2], op[3])
        if tag == "a":
            local = env.get("self." + op[1], EMPTY)
            cls = self.function.class_qualname
            if cls is None:
                return local
            return merge(local, self.program.read_attr(self.name, cls, op[1]))
        if tag == "g":
            return self.program.read_global(self.name, op[1])
        return EMPTY

    def block(self, block: Block, env: dict[str, Taint]) -> dict[str, Taint] | None:
        for position, instr in enumerate(block):
            tag = instr[0]
            if tag == "call":
                self.call(self.function.calls[instr[1]], env)
            elif tag == "set":
                taint = self.value(instr[2], env)
                if taint and instr[5]:
                    taint = extend(taint, ("step", self.path, instr[3], instr[4], instr[5]))
                env[instr[1]] = taint
                if WIDENED in taint:
                    self.note_widened()
            elif tag == "add":
                taint = self.value(instr[2], env)
                if taint:
                    taint = extend(taint, ("step", self.path, instr[3], instr[4], instr[5]))
                    env[instr[1]] = added = merge(env.get(instr[1]), taint)
                    if WIDENED in added:
                        self.note_widened()
            elif tag == "gset":
                taint = self.value(instr[2], env)
                if taint:
                    self.program.write_global(
                        instr[1],
                        extend(
                            taint,
                            (
                                "step",
                                self.path,
                                instr[3],
                                instr[4],
                                f"stored in global `{instr[1]}`",
                            ),
                        ),
                    )
            elif tag == "aset":
                taint = self.value(instr[2], env)
                env["self." + instr[1]] = taint
                if taint and self.function.class_qualname:
                    taint = extend(
                        taint, ("step", self.path, instr[3], instr[4], f"stored in self.{instr[1]}")
                    )
                    self.program.write_attr(self.function.class_qualname, instr[1], taint)
                    params = {k: v for k, v in taint.items() if k[0][0] == "P"}
                    if params:
                        key = (self.function.class_qualname, instr[1])
                        self.summary.attrs[key] = merge(self.summary.attrs.get(key), params)
            elif tag == "ret":
                taint = self.value(instr[1], env)
                if taint:
                    step = (
                        "return",
                        self.path,
                        instr[2],
                        instr[3],
                        f"returned from {self.function.name}()",
                    )
                    self.summary.ret = merge(self.summary.ret, extend(taint, step))
                    self.returned_items(instr[4] if len(instr) > 4 else None, env, step)
            elif tag == "end":
                if instr[1] == "loop" and self.loop_exits:
                    self.loop_exits[-1].append(dict(env))
                return None
            elif tag == "only":
                if self.program.decided(instr[1]) is (not instr[2]):
                    # A branch another module's constant rules out: its calls never run.
                    self.program.dead_calls.update(
                        (self.path, site.line, site.col)
                        for site in _calls_in(block, self.function.calls)
                    )
                    return None
            elif tag == "if":
                then_env = self.guarded(env, instr[1])
                else_env = self.guarded(env, instr[2])
                then_out = self.block(instr[3], then_env)
                else_out = self.block(instr[4], else_env)
                joined = _join(then_out, else_out)
                if joined is None:
                    if self._ruled_out(instr[3]) or self._ruled_out(instr[4]):
                        # `if not config.ENABLED: return`: what follows never runs either.
                        self.program.dead_calls.update(
                            (self.path, site.line, site.col)
                            for site in _calls_in(block[position + 1 :], self.function.calls)
                        )
                    return None
                env.clear()
                env.update(joined)
            elif tag == "loop":
                current = dict(env)
                for _ in range(LOOP_ROUNDS):
                    self.loop_exits.append([])
                    out = self.block(instr[1], dict(current))
                    exits = self.loop_exits.pop()
                    joined = current
                    for candidate in (out, *exits):
                        joined = _join(joined, candidate) or joined
                    if _same(joined, current):
                        break
                    current = joined
                env.clear()
                env.update(current)
            elif tag == "try":
                body_out = self.block(instr[1], dict(env))
                handler_in = _join(env, body_out) or dict(env)
                outs = [self.block(handler, dict(handler_in)) for handler in instr[2]]
                if body_out is not None and instr[3]:
                    body_out = self.block(instr[3], body_out)
                result = body_out
                for out in outs:
                    result = _join(result, out)
                if instr[4]:
                    final_out = self.block(
                        instr[4], dict(result if result is not None else handler_in)
                    )
                    result = final_out if result is not None else None
                if result is None:
                    return None
                env.clear()
                env.update(result)
        return env

    def returned_items(
        self, items: tuple[Op, ...] | None, env: dict[str, Taint], step: Step
    ) -> None:
        summary = self.summary
        if summary.mixed:
            return
        if items is None or (summary.items is not None and len(summary.items) != len(items)):
            summary.mixed, summary.items = True, None
            return
        values = [extend(self.value(op, env), step) for op in items]
        if summary.items is None:
            summary.items = values
        else:
            summary.items = [merge(a, b) for a, b in zip(summary.items, values, strict=True)]

    def guarded(
        self, env: dict[str, Taint], guards: tuple[tuple[str, frozenset[int]], ...]
    ) -> dict[str, Taint]:
        out = dict(env)
        for guard in guards:
            name, cwes = guard[0], guard[1]
            if len(guard) > 2 and self.value(guard[2], env):
                continue  # `x in seen` where `seen` itself holds untrusted data: no allow-list
            taint = out.get(name)
            if taint:
                out[name] = clean(taint, cwes)
        return out

    def note_widened(self) -> None:
        self.program.labels_widened.setdefault(self.path, {})[self.function.name] = None

    # -- calls ----------------------------------------------------------------------------------
    def call(self, site: CallSite, env: dict[str, Taint]) -> None:
        value = self.value
        args = [value(a, env) for a in site.args]
        kwargs = {name: value(op, env) for name, op in site.kwargs}
        star = value(site.star, env)
        receiver = value(site.receiver, env)
        target, bound, constructor = self.resolve(site)
        items: list[Taint] = []
        if target is not None:
            spread = self._forwarded(site, env)
            result = self.call_function(
                site, target, bound, args, kwargs, star, receiver, spread, items
            )
            if constructor:
                # The object holds its arguments; a secret among them stays in the attribute it
                # is stored in (`vars(obj)` and `obj.password` read it), not in every use.
                made = _collapse(args, kwargs, star)
                result = merge(result, self._drop_secrets(made))
            if site.callee is not None:
                # A project function the models declare a sink, a sanitizer or neutral (a
                # user's own `run_shell(cmd)` wrapper; Django's `get_object_or_404` when Django
                # itself is scanned): the model holds at the call as well.
                self.check_sinks(site, None, args, kwargs, star, receiver)
                sanitizer = self.models.sanitizer_for(site.callee, None)
                if sanitizer is not None:
                    result = clean(result, sanitizer.cleans)
                    items = [clean(item, sanitizer.cleans) for item in items]
                elif site.callee in self.models.neutral:
                    result, items = EMPTY, [EMPTY for _ in items]
            if constructor:
                items = []
        else:
            result = self.call_library(site, args, kwargs, star, receiver)
        env[f"$c{site.index}"] = result
        for position in range(MAX_RETURN_ITEMS):
            key = f"$c{site.index}#{position}"
            if position < len(items):
                env[key] = items[position]
            elif key in env:
                del env[key]
            else:
                break

    def _forwarded(self, site: CallSite, env: dict[str, Taint]) -> _Forwarded | None:
        """`g(*items, **kwargs)` passing on the function's own, unchanged `**kwargs`: each
        parameter of `g` then gets what this function's caller passed under its name."""
        function = self.function
        if site.star_kwargs is None or not function.kwargs_intact:
            return None
        name = function.params[function.kwarg]
        if site.star_kwargs != ("v", name):
            return None
        sources = _sources_only(env.get(name, EMPTY))
        return _Forwarded(function.kwarg, self.value(site.star_args, env), sources)

    def resolve(self, site: CallSite) -> tuple[FunctionIR | None, bool, bool]:
        return self.program.target(self.function, site)

    def call_function(
        self,
        site: CallSite,
        target: FunctionIR,
        bound: bool,
        args: list[Taint],
        kwargs: dict[str, Taint],
        star: Taint,
        receiver: Taint,
        spread: _Forwarded | None = None,
        items: list[Taint] | None = None,
    ) -> Taint:
        program = self.program
        program.callers.setdefault(target.qualname, {})[self.name] = None
        summary = program.summaries.get(target.qualname)
        if summary is None:
            return EMPTY
        params = target.params
        offset = 1 if bound else 0
        arguments: dict[int, Taint] = {}
        keyed: dict[str | int, Taint] = {}  # keys of the callee's `**kwargs` (there is only one)
        hops: dict[tuple[int, str | int | None], Step] = {}

        vararg, kwarg = target.vararg, target.kwarg

        def argument(position: int) -> Taint:
            found = arguments.get(position)
            if found is not None:
                return found
            if bound and position == 0:
                found = receiver
            elif position == vararg:  # `*args`: every positional argument from there on
                found = merge_all((*args[max(position - offset, 0) :], star))
            elif position == kwarg:  # `**kwargs`: the keywords no named parameter takes
                named = set(params)
                found = merge_all((*(t for k, t in kwargs.items() if k not in named), star))
            elif 0 <= position - offset < len(args) and (vararg < 0 or position < vararg):
                found = args[position - offset]
            else:
                name = params[position] if position < len(params) else ""
                found = kwargs.get(name)
                if found is None:
                    found = spread.key(name) if spread is not None else star
            arguments[position] = found
            return found

        def keyword(position: int, key: str | int) -> Taint:
            """What reaches `kwargs[key]` of the callee's `**kwargs` at `position`, or
            `args[key]` of its `*args`."""
            found = keyed.get(key)
            if found is None and isinstance(key, int):
                first = max(position - offset, 0)
                if star:  # a starred argument: which one lands there is not known
                    found = merge_all((*args[first:], star))
                else:
                    found = args[first + key] if first + key < len(args) else EMPTY
                keyed[key] = found
            if found is None:
                given = kwargs.get(key) if key not in params else None
                rest = spread.key(key) if spread is not None else star
                found = keyed[key] = merge(given, rest)
            return found

        def hop(position: int, key: str | int | None = None) -> Step:
            found = hops.get((position, key))
            if found is None:
                param = params[position] if position < len(params) else "?"
                if isinstance(key, int):
                    param = f"{param}[{key}]"
                elif key:
                    param = key
                found = hops[(position, key)] = (
                    "call",
                    self.path,
                    site.line,
                    site.col,
                    f"passed to {target.name}() as `{param}`",
                )
            return found

        def substitute(taint: Taint) -> Taint:
            out: Taint = {}
            for label, trace in taint.items():
                origin, cleaned = label
                if origin[0] != "P":
                    if label not in out or len(trace) < len(out[label]):
                        out[label] = trace
                    continue
                position = origin[1]
                key = origin[2] if len(origin) > 2 else None
                given = argument(position) if key is None else keyword(position, key)
                if not given:
                    continue
                step = hop(position, key)
                for (arg_origin, arg_cleaned), arg_trace in given.items():
                    key = (arg_origin, arg_cleaned | cleaned)
                    full = _concat(_append(arg_trace, step), trace)
                    kept = out.get(key)
                    if kept is None or len(full) < len(kept):
                        out[key] = full
            return out if len(out) <= MAX_LABELS else _widen(out)

        result = substitute(summary.ret) if summary.ret else EMPTY
        if items is not None and summary.items is not None and not summary.mixed:
            items.extend(substitute(item) if item else EMPTY for item in summary.items)
        for path in summary.sinks.values():
            position = path.param
            key = path.key
            given = argument(position) if key is None else keyword(position, key)
            if not given:
                continue
            widened = path.widened or WIDENED in given
            for (origin, cleaned), trace in given.items():
                total = cleaned | path.cleaned
                if cleans(total, path.cwe) or not program.counts(origin, total, path.sink):
                    continue
                full = _concat(_append(trace, hop(position, key)), path.trace)
                self.reach_sink(origin, total, path.cwe, path.sink, full, widened)
        for (cls, attr), taint in summary.attrs.items():
            written = substitute(taint)
            program.write_attr(cls, attr, written)
            params_only = {k: v for k, v in written.items() if k[0][0] == "P"}
            if params_only:
                self.summary.attrs[(cls, attr)] = merge(
                    self.summary.attrs.get((cls, attr)), params_only
                )
        return result

    def reach_sink(
        self,
        origin: tuple[Any, ...],
        cleaned: frozenset[int],
        cwe: int,
        sink: SinkRef,
        trace: Trace,
        widened: bool = False,
    ) -> None:
        if origin[0] == "S":
            if self.program.counts(origin, cleaned, sink):
                debug_only = cleaned >= DEBUG_ONLY
                self.program.record_hit(cwe, sink, origin, trace, widened, debug_only)
        elif origin[0] == "P":
            keyword = origin[2] if len(origin) > 2 else None
            key = (origin[1:], cleaned, cwe, sink)
            kept = self.summary.sinks.get(key)
            # The shortest path, as for values: the first found may be a detour through
            # another entry of a container (`filters["uuid"]` made from `filters`).
            if kept is None or len(trace) < len(kept.trace):
                self.summary.sinks[key] = SinkPath(
                    origin[1], cleaned, cwe, sink, trace, keyword, widened
                )

    def check_sinks(
        self,
        site: CallSite,
        method: str | None,
        args: list[Taint],
        kwargs: dict[str, Taint],
        star: Taint,
        receiver: Taint,
    ) -> None:
        """Record the call if the models call it a sink, and every untrusted value reaching it."""
        for sink in self.applicable_sinks(site, method):
            kinds = sink.source_kinds
            ref = SinkRef(
                self.path,
                site.line,
                site.col,
                site.end_line,
                site.end_col,
                site.text,
                sink.description or sink.concept,
                sink.concept,
                site.statement,
                self.name,
                kinds,
            )
            # A sink whose effect shows elsewhere (a template's unescaped output): the call is
            # a step of the trace, the sink is that place.
            passed: Step | None = None
            if sink.at is not None:
                path, line, col, end_line, end_col, text = sink.at
                passed = ("step", self.path, site.line, site.col, f"rendered by `{site.text}`")
                ref = SinkRef(
                    path,
                    line,
                    col,
                    end_line,
                    end_col,
                    text,
                    sink.description or sink.concept,
                    sink.concept,
                    (line, end_line),
                    self.name,
                    kinds,
                )
            key = (self.path, site.line, site.col, sink.cwe)
            self.program.sink_sites.setdefault(key, ref)
            for taint in _sink_arguments(sink, args, kwargs, star, receiver):
                kind = self.program.source_kind
                if any(label[0][0] == "S" and kind(label[0]) not in kinds for label in taint):
                    taint = {  # only the kinds of source this sink is about
                        label: trace
                        for label, trace in taint.items()
                        if label[0][0] != "S" or kind(label[0]) in kinds
                    }
                # A value that went through a call secreview cannot see into is that call's
                # result, not the (cleaned) input it was given: it does not make the sink
                # "followed" (a row loaded by a numeric id is still unknown data).
                if any(not _through_unknown(trace) for trace in taint.values()):
                    self.program.sinks_touched.add(key)
                widened = WIDENED in taint
                for (origin, cleaned), trace in taint.items():
                    if not cleans(cleaned, sink.cwe):
                        if passed is not None:
                            trace = _append(trace, passed)
                        self.reach_sink(origin, cleaned, sink.cwe, ref, trace, widened)

    def applicable_sinks(self, site: CallSite, method: str | None) -> list[SinkModel]:
        """The modelled sinks a call site is (matched by `method` too, for library calls)."""
        applicable = self.program.site_sinks.get((id(site), method))
        if applicable is None:
            callee = site.callee
            # The result of a project function (`db = get_db()`) has no type the models know.
            made_by = self.program.canonical(callee.rpartition(".")[0]) if callee else None
            typed = callee is not None and made_by not in self.program.functions
            # An object with no type the models know goes by the names of its receiver, for
            # `*.owner.method` entries (`conn = get_connection(); conn.search(...)`).
            owner = self._owners(site) if not typed and site.method else None
            applicable = self.program.site_sinks[(id(site), method)] = [
                sink
                for sink in self.models.sinks_for(callee, method, typed, owner)
                if _sink_applies(sink, site)
            ]
        return applicable

    def has_sinks(self) -> bool:
        """Does any call of the function reach a modelled sink, as `call` would check it?"""
        for site in self.function.calls:
            if self.resolve(site)[0] is not None:
                if site.callee is None:
                    continue
                method = None
            else:
                method = site.method if site.callee is None or site.bound else None
            if self.applicable_sinks(site, method):
                return True
        return False

    def _owners(self, site: CallSite) -> tuple[str, ...]:
        """The names the receiver of a method goes by, for `*.owner.method` models: `log`,
        `self.logger`, the `getLogger` that made `self.audit` or the receiver."""
        names: list[str] = []
        made_by = self._made_by(site)
        if made_by is not None:
            names.append(made_by.rpartition(".")[2])
        receiver = site.receiver
        tag = receiver[0] if isinstance(receiver, tuple) else None
        if tag in ("v", "a", "g"):
            names.append(receiver[1].rpartition(".")[2])  # type: ignore[index]
        elif tag == "c":
            calls = self.function.calls
            callee = calls[receiver[1]].callee if receiver[1] < len(calls) else None  # type: ignore[index]
            if callee:
                names.append(callee.rpartition(".")[2])
        return tuple(names)

    def _made_by(self, site: CallSite) -> str | None:
        """What made `self.<attr>` of a call `self.<attr>.method()` (`self.api = API()`)."""
        cls = self.function.class_qualname
        if not site.receiver_attr or cls is None:
            return None
        program = self.program
        for klass in program.mro(cls):
            info = program.classes.get(klass)
            made_by = info.attr_types.get(site.receiver_attr) if info is not None else None
            if made_by is not None:
                return made_by
        return None

    def _fields(self, site: CallSite) -> Taint:
        """`vars(obj)`: the attributes stored on instances of the object's (project) class."""
        program = self.program
        if site.callee is not None:
            cls: str | None = site.callee.rpartition(".")[0]
        else:
            cls = self._made_by(site)
        if cls is None or cls not in program.classes:
            return EMPTY
        return program.read_fields(self.name, cls)

    def call_library(
        self,
        site: CallSite,
        args: list[Taint],
        kwargs: dict[str, Taint],
        star: Taint,
        receiver: Taint,
    ) -> Taint:
        models = self.models
        callee = site.callee
        # A method of an object (unresolved, or of an instance whose type the name records)
        # also matches the models' `*.method` entries.
        method = site.method if callee is None or site.bound else None
        self.check_sinks(site, method, args, kwargs, star, receiver)
        if site.method == "__dict__":  # vars(obj), obj.__dict__: the object's attributes
            return merge(receiver, self._fields(site))
        if callee is not None and callee in models.neutral:
            return EMPTY
        sanitizer = models.sanitizer_for(callee, method)
        if sanitizer is not None:
            step = (
                "step",
                self.path,
                site.line,
                site.col,
                f"cleaned by {callee or '.' + (method or '')}() for "
                + ", ".join(f"CWE-{c}" for c in sorted(sanitizer.cleans)),
            )
            return clean(extend(_collapse(args, kwargs, star), step), sanitizer.cleans)
        if site.method == "get" and any(name != "default" for name, _ in site.kwargs):
            # A mapping's `get` takes no keywords: `client.get(url, timeout=30)` sends a request
            # through a client, and the response is not the credential the client was made with.
            receiver = self._drop_secrets(receiver)
        if (
            not self.program.propagate_unknown
            and callee not in PLAIN_FUNCTIONS
            and (site.method not in PLAIN_METHODS)
        ):
            return EMPTY
        if site.method in LOOKUP_METHODS and (
            len(args) > 2 or any(name != "default" for name in kwargs)
        ):
            # `compute_api.get(context, server_id, expected_attrs=...)`: not a mapping's
            # `get(key, default)` but a lookup by criteria; the row found is stored data.
            args, kwargs, star = [], {}, EMPTY
        elif site.method in LOOKUP_METHODS:
            # `ALLOWED.get(key, default)`, `Page.objects.get(slug=slug)`: the result is an
            # element of the receiver (or the default), never the key it was looked up by.
            args = args[1:]
            kwargs = {name: taint for name, taint in kwargs.items() if name == "default"}
        elif site.method is not None and (
            site.method.startswith(LOOKUP_PREFIXES)
            or (callee is None and site.method.startswith(OBJECT_LOOKUP_PREFIXES))
        ):
            # `Instance.get_by_uuid(context, uuid)`: what is stored under the key, not the key.
            args, kwargs, star = [], {}, EMPTY
        elif site.method in QUERY_METHODS or _key_lookup(site):
            args, kwargs, star = [], {}, EMPTY
        if callee is None and site.method in REMOVING_METHODS:
            args, kwargs, star = [], {}, EMPTY
        elif callee is None and site.method == "replace" and len(args) >= 2:
            args = args[1:]  # `s.replace(old, new)`: `old` is what is no longer there
        result = merge_all((*args, *kwargs.values(), star, receiver))
        if not result:
            return result
        if callee in DECODERS:
            result = _unmarked(result, _PATH_MARKS)
        plain = (
            (callee in PLAIN_FUNCTIONS)
            or (callee is None and site.method in PLAIN_METHODS)
            or (site.method in PLAIN_METHODS and receiver)
        )
        if plain:
            return result
        unfielded = _unfielded(receiver) if site.method is not None else receiver
        if unfielded is not receiver:
            # `instance.hostname = name; flavor = instance.get_flavor()`: a method of an object
            # returns what the object holds, not what was stored in one of its fields.
            result = merge_all((*args, *kwargs.values(), star, unfielded))
            if not result:
                return result
        if not _constructor(callee) or self._prints_itself(callee):
            # A secret given to a library function (`client.login(user, password)`,
            # `subprocess.run(cmd)`) is not what it returns; an object made with one keeps it.
            result = self._drop_secrets(result)
        self.program.unresolved_calls += 1
        name = callee or f".{site.method}" if site.method else (callee or "a call")
        return extend(
            result,
            (
                "unknown",
                self.path,
                site.line,
                site.col,
                f"through {name}(), which secreview cannot see into",
            ),
        )

    def _prints_itself(self, callee: str | None) -> bool:
        """A project class with its own `__repr__` or `__str__` (a namedtuple whose repr hides a
        field): its objects print what those return, not the secrets they were made with (a
        secret field is still read by its name, `info.admin_pass`)."""
        cls = self.program.classes.get(callee or "")
        return cls is not None and ("__repr__" in cls.methods or "__str__" in cls.methods)

    def _drop_secrets(self, taint: Taint) -> Taint:
        """`taint` without the secrets it holds: secret sources, and parameters (a caller's
        secret given to this function's parameter is dropped at the same call)."""
        kind = self.program.source_kind

        def holds(origin: tuple[Any, ...]) -> bool:
            return origin[0] == "P" or (origin[0] == "S" and kind(origin) == "secret")

        if not any(holds(origin) for origin, _ in taint):
            return taint
        out: Taint = {}
        for (origin, cleaned), trace in taint.items():
            if holds(origin):
                cleaned = cleaned | SECRET_CLEAN
            out.setdefault((origin, cleaned), trace)
        return out


def _namespace_names(module: str, path: str) -> list[str]:
    """The names a module also has when the one or two directories above its top package are
    namespace packages (directories without `__init__.py`, which Python 3 imports too)."""
    if not module or not path:
        return []
    parts = module.split(".")
    directories = PurePath(path).parent.parts
    if not path.endswith("__init__.py"):
        parts = parts[:-1]
    above = directories[: len(directories) - len(parts)] if parts else directories
    names: list[str] = []
    prefix = module
    for directory in reversed(above[-2:]):
        if not directory.isidentifier():
            break
        prefix = f"{directory}.{prefix}"
        names.append(prefix)
    return names


# A method that finds a record by identifiers alone (`content_type.get_object_for_this_type(
# pk=object_id)`, `store.find_order(order_id=oid)`): what it returns is the stored record.
_FINDER = re.compile(r"(?:get|fetch|find|load|lookup|retrieve)(?:_|$)")
_KEY_NAME = re.compile(r"(?:\w+_)?(?:pk|id|uuid)")


def _key_lookup(site: CallSite) -> bool:
    return bool(
        site.method is not None
        and site.kwargs
        and not site.args
        and site.star is None
        and _FINDER.match(site.method)
        and all(_KEY_NAME.fullmatch(name) for name, _ in site.kwargs)
    )


def _constructor(callee: str | None) -> bool:
    """`Creds(...)`, `collections.OrderedDict(...)`: a class made into an object (not the
    CamelCase method of a class, `Security.SecKeychainCreate(...)`)."""
    owner, _, name = (callee or "").rpartition(".")
    return name[:1].isupper() and not owner.rpartition(".")[2][:1].isupper()


def _unfielded(taint: Taint) -> Taint:
    """`taint` without what was stored in fields of the object (see `FIELD_STORED`)."""
    marks = FIELD_STORED
    if not any(marks <= cleaned for _, cleaned in taint):
        return taint
    return {label: trace for label, trace in taint.items() if not marks <= label[1]}


def _collapse(args: list[Taint], kwargs: dict[str, Taint], star: Taint) -> Taint:
    """Everything passed to a call, merged: what an unmodelled call's result carries."""
    return merge_all((*args, *kwargs.values(), star))


def _sink_applies(sink: SinkModel, site: CallSite) -> bool:
    if sink.when_kwarg is not None:
        value = site.const_kwargs.get(sink.when_kwarg, False)
        if sink.when_values:
            if not isinstance(value, str):
                return False
            if sink.when_exact and value not in sink.when_values:
                return False
            if not value.startswith(sink.when_values):
                return False
        elif value != UNKNOWN and bool(value) != sink.when_truthy:
            return False
    if sink.unless_kwarg is not None:
        given = site.const_kwargs
        key = next((k for k in sink.unless_kwargs if k in given), sink.unless_kwarg)
        if key not in given and sink.unless_pos is not None:
            key = f"#{sink.unless_pos}"  # the same argument passed by position
            if key not in given and len(site.args) > sink.unless_pos:
                given = {key: UNKNOWN}
        if key in given:
            if not sink.unless_values:
                return False
            if given[key] in sink.unless_values:
                return False
    return True


def _sink_arguments(
    sink: SinkModel, args: list[Taint], kwargs: dict[str, Taint], star: Taint, receiver: Taint
) -> list[Taint]:
    found: list[Taint] = []
    for position in sink.positions:
        if position < len(args):
            found.append(args[position])
    for name in sink.keywords:
        if name == "*":  # every keyword argument (`jsonify(error=..., trace=...)`)
            found.extend(kwargs.values())
        elif name in kwargs:
            found.append(kwargs[name])
    if sink.receiver and receiver:
        found.append(receiver)
    if star and (sink.positions or sink.keywords):
        found.append(star)
    return found


def _through_unknown(trace: Trace) -> bool:
    return any(step[0] == "unknown" for step in trace)


def _concat(first: Trace, second: Trace) -> Trace:
    if len(first) + len(second) <= MAX_TRACE:
        return first + second
    keep = MAX_TRACE // 2
    cut: Step = ("cut", "", 0, 0, "… trace shortened …")
    return (*first[:keep], cut, *second[-(MAX_TRACE - keep - 1) :])


def _join(a: dict[str, Taint] | None, b: dict[str, Taint] | None) -> dict[str, Taint] | None:
    if a is None:
        return b
    if b is None:
        return a
    out = dict(a)
    for name, taint in b.items():
        mine = out.get(name)
        if mine is not taint:  # branches share what neither of them changed
            out[name] = merge(mine, taint)
    return out


def _same(a: dict[str, Taint], b: dict[str, Taint]) -> bool:
    if a.keys() != b.keys():
        return False
    return all(a[k] is b[k] or a[k].keys() == b[k].keys() for k in a)
