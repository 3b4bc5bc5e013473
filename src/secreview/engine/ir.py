"""The small IR the data-flow solver works on. Plain tuples and slotted dataclasses, picklable,
so modules can be lowered in worker processes and solved in one place.

Operands (what a value is made of):
    ("v", name)          a local variable ("self.x" for an attribute of self; "**kw[key]" for
                         the value of one key of the function's `**kw`)
    ("g", qualname)      a module-level variable of the project
    ("a", attr)          an attribute of self, as stored for the whole class
    ("s", index)         a source site of the module (FunctionIR.sources)
    ("c", index)         the result of call site `index` of the function
    ("e", op, position)  one position of `op` unpacked (`a, b = f()`): the solver knows it
                         when every tuple `f` returns has that many positions
    ("u", (ops, …))      any of several values (concatenation, containers, unknown results)
    ("k", op, cwes)      `op` cleaned for these CWEs by a sanitizer
    ("m", op, marks, cwes) `op`, whose labels that carry all of `marks` (checks they passed)
                         are cleaned for these CWEs too: where the checks are enough
    None                 a constant or otherwise clean value

Instructions (what a function does, in order):
    ("set", var, op, line, col, what)      strong update of a local ("what" names the step)
    ("add", var, op, line, col, what)      weak update: a container gains an element
    ("gset", qualname, op, line, col)      module-level variable written
    ("aset", attr, op, line, col)          self.<attr> written
    ("call", index)                        call site evaluated (sinks, summaries)
    ("ret", op, line, col[, items])        value returned (or yielded); `items`: the ops of
                                           each position of a returned tuple display
    ("end",)                               control leaves the block (return, raise, continue)
    ("if", then_guards, else_guards, then_block, else_block)
    ("loop", block)
    ("try", body, handlers, orelse, final)
Guards are (var, cwes) pairs: in that branch, `var` is clean for those CWEs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Op = Any  # the tuple forms above
Instr = tuple[Any, ...]
Block = tuple[Instr, ...]
ALL_CWES = frozenset({-1})  # a guard that cleans for every CWE (an allow-list check)
# Not a CWE but a mark: taint stored in one field of another object (`instance.hostname = x`).
# It reaches sinks as before; what a method of that object returns does not carry it.
FIELD_STORED = frozenset({-3})
# A mark: the value is used only where a debug setting is on (`x if settings.DEBUG else ""`,
# the body of `if app.debug:`). It reaches sinks as before; rules about what a page tells its
# visitors (exception details) count such a flow as a development aid, not an exposure.
DEBUG_ONLY = frozenset({-8})
# A mark: the value was checked to hold no `..` (`if ".." in name: abort(400)`). That is enough
# only where it is put after a directory in a built string (`f"{BASE}/{name}"`): there it can
# neither climb out nor start the path (`os.path.join(BASE, "/etc/passwd")` still could).
NO_DOT_DOT = -4
# A mark: the value was checked not to start with a separator (`if name.startswith("/"):
# abort(400)`, `os.path.isabs(name)`). With NO_DOT_DOT, a value joined to a directory by
# `os.path.join(BASE, name)` or `Path(BASE) / name` stays in it.
RELATIVE = -5


@dataclass(slots=True)
class SourceSite:
    kind: str  # remote, local, cli, secret, exception
    what: str  # "flask.request.args", "parameter `name` of route /backup/<name>"
    path: str
    line: int
    col: int
    # A secret held by an object of this class (a parameter annotated `key: RSAPrivateKey`): a
    # message shows what the class prints, which may not be the secret.
    object_type: str = ""


@dataclass(slots=True)
class CallSite:
    index: int
    line: int
    col: int
    end_line: int
    end_col: int
    text: str  # short source text of the call, for messages
    callee: str | None  # resolved qualified name
    method: str | None  # attribute name when the callee is `<expr>.method(...)`
    receiver: Op
    args: tuple[Op, ...]
    kwargs: tuple[tuple[str, Op], ...]
    star: Op  # taint of *args / **kwargs, if any
    const_kwargs: dict[str, Any]  # keyword values known statically (constants or qualnames)
    self_method: bool  # `self.method(...)`: resolve through the class
    bound: bool  # called on an instance: the callee's first parameter is the receiver
    statement: tuple[int, int]  # lines of the enclosing statement, for suppressions
    receiver_attr: str | None = None  # `self.<attr>.method(...)`: resolve through attr_types
    # The `**mapping` part of `star` alone, and the rest (`*items`): keywords of a mapping go
    # to named parameters, items of a sequence to positions.
    star_kwargs: Op = None
    star_args: Op = None
    # Arguments (positions, keyword names, "*", "<receiver>") lowered as None although they are
    # no constants (an imported name, a module's attribute): see engine/constants.py.
    opaque: frozenset[int | str] = frozenset()
    # Of those, the ones made only of other modules' values: their qualified names, which the
    # project's table of constants may know (engine/constants.py).
    imported: dict[int | str, tuple[str, ...]] = field(default_factory=dict)
    # The copy of the callee made for this call's constant arguments (engine/variants.py).
    variant: str = ""


@dataclass(slots=True)
class FunctionIR:
    qualname: str
    module: str
    path: str
    name: str
    line: int
    params: tuple[str, ...]
    class_qualname: str | None  # for methods
    is_method: bool  # first parameter is self/cls (bound at call sites)
    body: Block = ()
    calls: list[CallSite] = field(default_factory=list)
    sources: list[SourceSite] = field(default_factory=list)
    param_sources: dict[str, int] = field(default_factory=dict)  # param -> source index
    # Parameters the framework converts before the call (`width: int` of a route): clean.
    clean_params: frozenset[str] = frozenset()
    # Parameters that are sources only because the function looks like a view by its shape
    # (`def f(request, slug)` in a Django module): dropped when project code calls it.
    view_shape_params: frozenset[str] = frozenset()
    test_code: bool = False
    lowering_failed: bool = False
    # Positions in `params` of `*args` and `**kwargs` (-1: none): extra positional arguments go
    # to the first, keywords no other parameter takes to the second.
    vararg: int = -1
    kwarg: int = -1
    # Keys the function reads from its `**kwargs` by a constant (`kwargs["timeout"]`,
    # `kwargs.get("env")`) when it never changes it: each is a parameter of its own.
    kwarg_keys: frozenset[str] = frozenset()
    kwargs_intact: bool = False  # the function never changes its `**kwargs`
    # Positions the function reads from its `*args` by a constant index (`args[0]`) when it
    # never rebinds it: each is a parameter of its own.
    vararg_keys: frozenset[int] = frozenset()
    # Reads of a parameter a decorator validates against a JSON schema are marked with
    # SchemaCheck, resolved before solving (engine/schemas.py).
    schema_checked: bool = False
    # Assignments (local, line, col) and returns ("<return>", line, col) whose value was lowered
    # as None although it is no constant: see engine/constants.py.
    opaque: set[tuple[str, int, int]] = field(default_factory=set)
    # Of those, the ones made only of other modules' values: their qualified names.
    imported: dict[tuple[str, int, int], tuple[str, ...]] = field(default_factory=dict)
    # Values of other modules the function changes (`config.TIMEOUT = 5`, `setattr(settings,
    # "DEBUG", True)`, "<module>.*" when the name is not known): no constants of the project.
    module_writes: set[str] = field(default_factory=set)
    # A `@classmethod`: its first parameter is the class, bound also when it is called through
    # the class (`Jobs.create(name)`), where a plain method's first parameter is not.
    classmethod: bool = False


@dataclass(slots=True)
class ClassIR:
    qualname: str
    bases: tuple[str, ...]
    methods: dict[str, str]  # name -> function qualname
    attr_types: dict[str, str] = field(default_factory=dict)  # self.attr = Ctor() -> "pkg.Ctor"


@dataclass(slots=True)
class ModuleIR:
    name: str
    path: str
    test_code: bool
    functions: dict[str, FunctionIR] = field(default_factory=dict)
    classes: dict[str, ClassIR] = field(default_factory=dict)
    suppressions: list[Any] = field(default_factory=list)
    source_lines: dict[int, str] = field(default_factory=dict)  # lines the findings may quote
    # Template directories the module configures with a constant path: (path, base), base
    # "module" (relative to the module's directory) or "project" (above its package).
    template_dirs: list[tuple[str, str]] = field(default_factory=list)
    # Pattern findings that stand only while some call arguments are not constants: (finding,
    # ((line, col, argument) of each), (cwe, kind, detail) of the examined site if they are).
    conditions: list[tuple[Any, ...]] = field(default_factory=list)
    # What the module's top level binds to literals, and the names it imports or aliases
    # (re-exports): the project's table of constants is made of these (project_constants.py).
    constants: dict[str, Any] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    # Questions of pattern rules about constants other modules define: answered after the walk
    # of every module (Walker.defer_constant).
    pending_constants: list[Any] = field(default_factory=list)
