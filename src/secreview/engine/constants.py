"""Which values the lowered program proves constant.

Pattern rules judge many calls by whether their input is fixed by the code (`eval` of a
constant, `pickle.loads` of bytes the program wrote itself, a parser fed a literal document).
Their own look at the syntax stops at what one assignment shows; the lowering knows more: the
element of a followed dict or option store under a constant key, the branch a constant test
picks, the request path of a view whose routes are fixed. This pass reads the IR of one function
forward and tells, for each call site, which of its arguments are constant at that point.

A value is constant when every way it was made is a constant: a literal or a module constant
(lowered as None, unless the lowering marked the read as opaque), a local last assigned a
constant on every path, a value a guard cleans for every CWE (an allow-list check, a truthiness
test), a pure function or string method of constants, or the result of a project function whose
every return is constant. A global or another module's value (`from .config import COMMAND`,
`settings.QUERY`) is one when the project's table of module constants (project_constants.py)
holds it as a string, bytes, a number, a boolean or None, bound once and changed nowhere: not
by its own module (`global`, a second assignment) nor from another (`config.COMMAND = ...`,
`setattr(config, ...)`). Parameters, attributes, other globals and imported names, unknown calls
and sources are not. The taint solver answers another question (does untrusted data reach here?):
a value it finds no source in may still be a file, a row or an attribute, which this pass does
not take for a constant.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from secreview.engine.ir import ALL_CWES, Block, CallSite, FunctionIR, Op
from secreview.engine.project_constants import ProjectConstants
from secreview.parsing.names import NOT_CONSTANT

if TYPE_CHECKING:
    from secreview.engine.taint import Program

# Functions whose result is a constant when their arguments are.
PURE_FUNCTIONS = frozenset(
    {
        "str",
        "bytes",
        "int",
        "float",
        "bool",
        "len",
        "repr",
        "format",
        "min",
        "max",
        "sorted",
        "tuple",
        "base64.b64decode",
        "base64.b64encode",
        "base64.urlsafe_b64decode",
        "base64.urlsafe_b64encode",
        "base64.b32decode",
        "base64.b32encode",
        "base64.b16decode",
        "base64.b16encode",
        "binascii.unhexlify",
        "binascii.hexlify",
        "codecs.decode",
        "codecs.encode",
        "html.escape",
        "html.unescape",
        "json.dumps",
        "urllib.parse.quote",
        "urllib.parse.quote_plus",
        "urllib.parse.unquote",
        "urllib.parse.unquote_plus",
        "os.path.join",
        "os.path.basename",
        "os.path.dirname",
        "os.path.normpath",
        "os.path.splitext",
        "posixpath.join",
        "textwrap.dedent",
    }
)
# Methods of str and bytes: on a constant receiver with constant arguments, a constant.
PURE_METHODS = frozenset(
    {
        "capitalize",
        "casefold",
        "center",
        "decode",
        "encode",
        "expandtabs",
        "format",
        "join",
        "ljust",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rjust",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "strip",
        "swapcase",
        "title",
        "upper",
        "zfill",
    }
)
RECEIVER = "<receiver>"
_RETURN = "<return>"
MAX_DEPTH = 8  # project calls followed into callees, one inside the other
Env = dict[str, bool]  # local -> constant here (a local not in it is not)
# What a module constant may be to count: values no other module can change in place.
_IMMUTABLE = (str, bytes, int, float, bool, type(None))


class Constants:
    """The constant arguments of call sites, worked out per function when first asked."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self._returns: dict[str, bool] = {}
        self._sites: dict[int, dict[int | str, bool]] = {}  # id(site) -> argument -> constant
        self._running: set[str] = set()
        self._places: dict[tuple[str, int, int], list[tuple[FunctionIR, CallSite]]] | None = None
        self._table: ProjectConstants | None = None
        self._written: set[str] = set()
        self._globals: dict[str, bool] = {}

    def globals_constant(self, qualnames: Iterable[str]) -> bool:
        """Whether each of these module-level values of the project is a literal no code
        changes (the project's table of module constants)."""
        return all(self._global_constant(name) for name in qualnames)

    def _global_constant(self, qualname: str) -> bool:
        known = self._globals.get(qualname)
        if known is not None:
            return known
        if self._table is None:
            self._table = ProjectConstants(getattr(self.program, "modules", ()))
            for function in self.program.functions.values():
                self._written |= function.module_writes
        module = qualname.rpartition(".")[0]
        value = (
            NOT_CONSTANT
            if qualname in self._written or f"{module}.*" in self._written
            else self._table.lookup(qualname)
        )
        result = value is not NOT_CONSTANT and isinstance(value, _IMMUTABLE)
        self._globals[qualname] = result
        return result

    def arguments(self, function: FunctionIR, site: CallSite) -> dict[int | str, bool]:
        """Argument (position, keyword name, "*", RECEIVER) -> whether it is constant."""
        self._returns_constant(function, 0)
        return self._sites.get(id(site), {})

    def constant(self, function: FunctionIR, site: CallSite, slots: Iterable[int | str]) -> bool:
        """Whether every one of `slots` that the call passes is a constant."""
        found = self.arguments(function, site)
        if not found:
            return False
        return all(found.get(slot, True) for slot in slots)

    def at(self, path: str, line: int, col: int) -> list[tuple[FunctionIR, CallSite]]:
        """The call sites lowered at one place of a module."""
        if self._places is None:
            self._places = {}
            for function in self.program.functions.values():
                for site in function.calls:
                    place = (function.path, site.line, site.col)
                    self._places.setdefault(place, []).append((function, site))
        return self._places.get((path, line, col), [])

    def _returns_constant(self, function: FunctionIR, depth: int) -> bool:
        name = function.qualname
        known = self._returns.get(name)
        if known is not None:
            return known
        if name in self._running or depth > MAX_DEPTH or function.lowering_failed:
            return False  # recursion, or too deep to follow: not known
        self._running.add(name)
        try:
            run = _Run(self, function, depth)
            run.block(function.body, dict.fromkeys(function.params, False))
            result = all(run.returns)
        finally:
            self._running.discard(name)
        self._returns[name] = result
        return result


class _Run:
    """One forward pass over a function's IR."""

    def __init__(self, constants: Constants, function: FunctionIR, depth: int) -> None:
        self.constants = constants
        self.function = function
        self.depth = depth
        self.opaque = function.opaque
        self.returns: list[bool] = []
        # Inside a loop or a try body: whether every value each local was given there is a
        # constant (a `break`, a `continue` or an exception may leave at any of them).
        self.given: dict[str, bool] | None = None

    def value(self, op: Op, env: Env) -> bool:
        if op is None:
            return True
        tag = op[0]
        if tag == "v":
            return env.get(op[1], False)
        if tag == "c":
            return env.get(f"$c{op[1]}", False)
        if tag == "k":
            return op[2] == ALL_CWES or self.value(op[1], env)
        if tag in ("e", "m"):
            return self.value(op[1], env)
        if tag == "u":
            return all(self.value(item, env) for item in op[1])
        if tag == "g":
            return self.constants.globals_constant((op[1],))
        return False  # sources, attributes

    def clear(self, place: tuple[str, int, int]) -> bool:
        """Whether the value set or returned at `place` read nothing opaque but constants of
        other modules."""
        if place not in self.opaque:
            return True
        names = self.function.imported.get(place)
        return names is not None and self.constants.globals_constant(names)

    def block(self, block: Block, env: Env) -> Env | None:
        """`env` after `block`, or None when control never leaves it at its end."""
        for instr in block:
            tag = instr[0]
            if tag in ("set", "add"):
                name, op, line, col, what = instr[1], instr[2], instr[3], instr[4], instr[5]
                # Only a value assigned or stored by the code: not an exception caught, a name
                # deleted, an item iterated over or a context entered (lowered as None too).
                constant = (
                    what.startswith(("assigned to", "stored in"))
                    and self.clear((name, line, col))
                    and self.value(op, env)
                )
                env[name] = constant and (tag == "set" or env.get(name, False))
                if self.given is not None:
                    self.given[name] = self.given.get(name, True) and env[name]
            elif tag == "call":
                self.call(self.function.calls[instr[1]], env)
            elif tag == "ret":
                self.returns.append(
                    self.clear((_RETURN, instr[2], instr[3])) and self.value(instr[1], env)
                )
            elif tag == "end":
                return None
            elif tag == "if":
                then_env, else_env = dict(env), dict(env)
                _guarded(then_env, instr[1])
                _guarded(else_env, instr[2])
                joined = _join(self.block(instr[3], then_env), self.block(instr[4], else_env))
                if joined is None:
                    return None
                env = joined
            elif tag == "loop":
                env = self.loop(instr[1], env)
            elif tag == "try":
                joined = self.attempt(instr, env)
                if joined is None:
                    return None
                env = joined
        return env

    def loop(self, body: Block, env: Env) -> Env:
        """A loop runs its body any number of times and may leave it anywhere: a local it
        changes is constant after it when it was before (or was not set) and the loop gave
        it only constants. Values carried from one pass to the next are not followed."""
        changed = _assigned(body)
        self.block(body, dict(env))
        _, given = self.watching(body, _start(env, changed, None))
        return _start(env, changed, given)

    def attempt(self, instr: tuple[Any, ...], env: Env) -> Env | None:
        body, handlers, orelse, final = instr[1], instr[2], instr[3], instr[4]
        after, given = self.watching(body, dict(env))
        if after is not None and orelse:
            after = self.block(orelse, after)
        start = _start(env, _assigned(body), given)  # a handler may start after any statement
        for handler in handlers:
            after = _join(after, self.block(handler, dict(start)))
        if final:
            ended = after is None
            after = self.block(final, dict(after if after is not None else start))
            if ended:
                return None
        return after

    def watching(self, block: Block, env: Env) -> tuple[Env | None, dict[str, bool]]:
        """`block` run from `env`, and whether each local it set was given only constants."""
        outer, self.given = self.given, {}
        try:
            after = self.block(block, env)
            given = self.given
        finally:
            self.given = outer
        if outer is not None:
            for name, value in given.items():
                outer[name] = outer.get(name, True) and value
        return after, given

    def call(self, site: CallSite, env: Env) -> None:
        opaque = site.opaque
        clear = self.slot_clear
        found: dict[int | str, bool] = {
            position: clear(site, position) and self.value(op, env)
            for position, op in enumerate(site.args)
        }
        for name, op in site.kwargs:
            found[name] = clear(site, name) and self.value(op, env)
        if site.star is not None or "*" in opaque:
            found["*"] = "*" not in opaque and self.value(site.star, env)
        found[RECEIVER] = clear(site, RECEIVER) and self.value(site.receiver, env)
        sites = self.constants._sites
        before = sites.get(id(site))
        if before is not None:  # reached again (a loop's second pass): constant on both
            found = {slot: value and before.get(slot, False) for slot, value in found.items()}
        sites[id(site)] = found
        env[f"$c{site.index}"] = self.result(site, found)

    def slot_clear(self, site: CallSite, slot: int | str) -> bool:
        if slot not in site.opaque:
            return True
        names = site.imported.get(slot)
        return names is not None and self.constants.globals_constant(names)

    def result(self, site: CallSite, found: dict[int | str, bool]) -> bool:
        arguments = all(value for slot, value in found.items() if slot != RECEIVER)
        target, _bound, constructs = self.constants.program.target(self.function, site)
        if target is not None:
            # `self.m()` may run a subclass's override, which this pass does not choose.
            if constructs or site.self_method or site.receiver_attr:
                return False
            return self.constants._returns_constant(target, self.depth + 1)
        if site.callee in PURE_FUNCTIONS:
            return arguments
        return site.method in PURE_METHODS and found[RECEIVER] and arguments


def _guarded(env: Env, guards: tuple[tuple[Any, ...], ...]) -> None:
    """A local a guard cleans for every CWE is one of the values the check allows."""
    for guard in guards:
        if len(guard) == 2 and guard[1] == ALL_CWES:
            env[guard[0]] = True


def _start(env: Env, changed: set[str], given: dict[str, bool] | None) -> Env:
    """`env` where a local of `changed` stays constant only if it was (or was not set yet) and
    every value `given` to it was; with nothing given to go by, none of them is."""
    out = dict(env)
    for name in changed:
        out[name] = given is not None and env.get(name, True) and given.get(name, True)
    return out


def _join(a: Env | None, b: Env | None) -> Env | None:
    if a is None:
        return b
    if b is None:
        return a
    return {name: value and b.get(name, False) for name, value in a.items()}


def _assigned(block: Block) -> set[str]:
    """The locals a block sets anywhere inside it."""
    found: set[str] = set()
    for instr in block:
        tag = instr[0]
        if tag in ("set", "add"):
            found.add(instr[1])
        elif tag == "if":
            found |= _assigned(instr[3]) | _assigned(instr[4])
        elif tag == "loop":
            found |= _assigned(instr[1])
        elif tag == "try":
            found |= _assigned(instr[1])
            for handler in instr[2]:
                found |= _assigned(handler)
            found |= _assigned(instr[3]) | _assigned(instr[4])
    return found
