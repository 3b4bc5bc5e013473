"""Lowering: a function's statements to the IR of `engine.ir`, with names already resolved.

Runs inside the walk, once per function, after the walker has seen the function's body (so local
bindings are known). Sources are recognised here from the models: a model attribute
(`flask.request.args`), a typed parameter's attribute (`request.GET` in a Django view), a routed
parameter, a controller's `body`.
"""

from __future__ import annotations

import ast
import operator
import re
import string
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from secreview.engine.containers import (
    MAX_ITEMS,
    DictShape,
    Element,
    ListShape,
    Positions,
    Shape,
    alternatives,
    joined,
    union,
)
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
    Instr,
    ModuleIR,
    Op,
    SourceSite,
)
from secreview.engine.patterns import compiled_patterns
from secreview.engine.project_constants import fold_constant, module_constants
from secreview.engine.schemas import SchemaCheck
from secreview.engine.variants import FunctionRef, Variants
from secreview.engine.variants import suffix as variant_suffix
from secreview.models import (
    CONTEXT_KEY,
    TEMPLATE_NAME_KEY,
    TEMPLATE_RAW_KEY,
    ControllerClass,
    ModelSet,
    SanitizerModel,
    SourceModel,
    TypedSource,
)
from secreview.parsing.annotations import object_type, type_aliases
from secreview.parsing.names import NOT_CONSTANT, BindingKind, Names

UNKNOWN = "<unknown>"
# Cleaned of the secret it was made from (masked, truncated, a dict's keys, another field of the
# object): a secret label so cleaned reaches no sink; other kinds of source are unaffected.
SECRET_CLEAN = frozenset({-2})
# Marks: a secret a container taken whole carries (`os.environ`, `request.headers`), and one
# entry read by a key the code does not name (`container.get(name)`). Together they are no
# longer that secret: one variable of unknown name is not the Authorization header.
WHOLE_CONTAINER = frozenset({-16})
ONE_ENTRY = frozenset({-17})
MODULE_FUNCTION = "<module>"
_BOUND_CHECK = frozenset({770, 789})
# Returned tuples up to this length are followed position by position to an unpacking caller.
MAX_RETURN_ITEMS = 8
# What a branch's test proves: (local, CWEs it is clean of), or with a third element, the
# collection an allow-list check read (decided by the solver).
Guards = tuple[tuple[Any, ...], ...]
_VALIDATING_METHODS = frozenset(
    {"isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha", "isidentifier", "isascii"}
)
_CONTAINMENT_METHODS = frozenset({"startswith", "is_relative_to"})
# Exceptions whose message shows only some of their arguments: a codec error names the
# encoding, one byte's position and the reason, never the text it failed on.
_MESSAGE_ARGUMENTS = {
    f"{module}{name}": (0, 4)
    for module in ("", "builtins.")
    for name in ("UnicodeDecodeError", "UnicodeEncodeError")
}
# Numeric attributes of exceptions (and of the responses they carry): no details in them.
_EXCEPTION_NUMBERS = frozenset(
    {"returncode", "errno", "code", "status", "status_code", "winerror", "lineno", "pgcode"}
)
# Names of predicates an application writes to check a value (`is_safe_url(target)`,
# `is_within_directory(base, path)`, `verify_signature(body, sig)`): in an `if`, they guard.
_PREDICATE = re.compile(
    r"_?(?:(?:is|are|has)_\w*(?:safe|valid|allowed|permitted|trusted|within|inside|known|whitelist"
    r"|allowlist)\w*|(?:verify|validate)_\w+|\w+_is_(?:safe|valid|allowed|trusted))$"
)
# Methods that put their arguments into the object they are called on.
# Pseudo-calls for stores that models may declare sinks: a value stored under a secret's name,
# and into a mapping named as a session (`<session store>`) or as a table of sessions by id.
STORED_SECRET = "<stored secret>"
SESSION_STORE = "<session store>.__setitem__"
SESSION_TABLE = "<session table>.__setitem__"
_MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "extendleft"})
# In-memory files: what is written to one is what `getvalue()` and `read()` return.
_BUFFERS = frozenset({"io.StringIO", "io.BytesIO", "StringIO.StringIO", "cStringIO.StringIO"})
_BUFFER_READS = frozenset({"getvalue", "read", "readline", "readlines"})
# A pattern that matches any character outside letters, digits and `_`: `[^A-Za-z0-9_]+`,
# `[^a-z0-9]`, `\W+`, `[^\w]`.
_NOT_WORD_CLASS = re.compile(r"(?:\\W|\[\^(?:\\w|a-z|A-Z|0-9|_)+\])[+*]?")
_ANCHORABLE = frozenset({"re.match", "re.search", "regex.match", "regex.search"})
_PARTIALS = frozenset({"functools.partial", "functools.partialmethod"})

# A part of a built string is inserted after the constant text before it ("\0" marks an earlier
# part that is not constant). When that text already fixes the scheme and host of a URL (or makes
# it a path on the same site, a relative path, a query), the part cannot choose where a request
# goes or a redirect leads: it is clean for CWE-601 and 918. After a dotted package prefix
# ("myapp.plugins."), it can only name a module of that package: clean for CWE-829.
_URL_FIXED = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//[^/?#\\]+[/?#]"  # scheme://host/ or //host/
    r"|/[^/\\]"  # /path on the same site
    r"|[?#]"  # ?query, #fragment
    r"|[^/\\?#:\x00]+[/?#]"  # relative/path
    r"|\x00+[/?#]"  # {base}/path: the base decides the host
)
_URL_PART = frozenset({601, 918})
# The constant text before a part is kept to this many characters (plus one, to tell a longer
# text): a string of 40,000 parts would otherwise copy its growing text once per part. A URL
# whose host is still open after this many characters, or a package prefix this long, is
# not taken as fixing anything.
PREFIX_LIMIT = 1024
_PACKAGE_PREFIX = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\.")
_PACKAGE_PART = frozenset({829})
# After a directory (`f"{BASE}/{name}"`, `"uploads/" + name`), a part checked to hold no `..`
# stays inside it: clean for CWE-22. A lone "/" is no directory to stay in.
_DIRECTORY_PREFIX = re.compile(r"(?s).{0,1022}[^/\\][/\\]")
_PATH_PART = frozenset({22})
_NO_DOT_DOT = frozenset({NO_DOT_DOT})
_RELATIVE = frozenset({RELATIVE})
# Joins where a later part that is absolute replaces what comes before it: a part stays under
# the directory only when it holds no `..` and does not start with a separator.
_PATH_CLASSES = frozenset(
    {
        "pathlib.Path",
        "pathlib.PosixPath",
        "pathlib.WindowsPath",
        "pathlib.PurePath",
        "pathlib.PurePosixPath",
        "pathlib.PureWindowsPath",
    }
)
_PATH_JOINS = frozenset({"os.path.join", "posixpath.join"}) | _PATH_CLASSES
# Tests of whether a path is absolute.
_ABSOLUTE_TESTS = frozenset({"os.path.isabs", "posixpath.isabs"})
_JOINED_MARKS = frozenset({NO_DOT_DOT, RELATIVE})
# %-conversions of printf-style formatting, and the numeric ones.
_PERCENT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[a-zA-Z%])"
)
_NUMERIC_CONVERSIONS = frozenset("diouxXeEfFgG")
_NUMERIC_SPEC = re.compile(r".*[bdoxXeEfFgGn%]$")
_LINE_BREAKS = frozenset({117})  # clean once line breaks are escaped or removed
_CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")


# The command string of an argument list that runs a shell (`["sh", "-c", cmd]`) is lowered as
# an argument of a call of this name, which the models make a command-injection sink.
SHELL_COMMAND = "<shell -c>"
_POSIX_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "ash", "mksh"})
_POSIX_COMMAND_FLAG = re.compile(r"-[a-zA-Z]*c")  # -c, -lc, -ec, -xc
_WINDOWS_SHELLS = {
    "cmd": ("/c", "/k"),
    "powershell": ("-command", "-c"),
    "pwsh": ("-command", "-c"),
}


def _shell_command(elements: list[ast.expr], static: Any) -> int | None:
    """The position of the command string in an argument list that starts with a shell and
    its command flag (`["bash", "-o", "pipefail", "-c", cmd]`, `["cmd.exe", "/c", cmd]`)."""
    if len(elements) < 3:
        return None
    program = static(elements[0])
    if not isinstance(program, str):
        return None
    name = program.replace("\\", "/").rpartition("/")[2].lower().removesuffix(".exe")
    windows_flags = _WINDOWS_SHELLS.get(name)
    if name not in _POSIX_SHELLS and windows_flags is None:
        return None
    position = 1
    while position < min(len(elements) - 1, 6):
        flag = static(elements[position])
        if not isinstance(flag, str):
            return None
        if windows_flags is not None:
            if flag.lower() in windows_flags:
                return position + 1
        elif _POSIX_COMMAND_FLAG.fullmatch(flag):
            return position + 1
        elif flag in ("-o", "+o"):
            position += 1  # takes the option's name
        elif not flag.startswith(("-", "+")):
            return None  # a script to run, not a command string
        position += 1
    return None


# The last names of the classes `Lowerer.environment_classes` holds, to skip other calls.
_ENVIRONMENTS: set[str] = set()


def _union(ops: list[Op]) -> Op:
    kept = [op for op in ops if op is not None]
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    return ("u", tuple(kept))


class Lowerer:
    """Builds the ModuleIR of one module while the walker goes through it."""

    def __init__(
        self, module_name: str, path: str, models: ModelSet, test_code: bool, imported: set[str]
    ) -> None:
        self.models = models
        self.imported = imported  # top-level packages the module imports (grows during the walk)
        self.ir = ModuleIR(module_name, path, test_code)
        self.module_name = module_name
        # Module-level template environments (`env = jinja2.Environment(...)`): whether they
        # escape (None: not known), and the classes that make them with their escaping keyword
        self.environments: dict[str, bool | None] = {}
        self.environment_classes = {
            render.call.rsplit(".", 2)[0]: (render.autoescape_kwarg, render.autoescape_default)
            for render in models.template_renders.values()
            if render.name_from_receiver and render.autoescape_kwarg
        }
        _ENVIRONMENTS.update(made.rpartition(".")[2] for made in self.environment_classes)
        self.path = path
        self.variants: Variants | None = None
        # `SAFE_NAME = re.compile(r"...")` at module or class level: name -> pattern text
        # ("Class.NAME" for a class attribute).
        self.patterns: dict[str, str] = {}
        self.type_aliases: dict[
            str, ast.expr
        ] = {}  # `Key = RSAKey | DSAKey` (parsing/annotations.py)
        # (class, attribute) -> the literal its body binds it to, or NOT_CONSTANT
        self.class_constants: dict[tuple[str, str], Any] = {}

    def qualify(self, local: str) -> str:
        return sys.intern(f"{self.module_name}.{local}") if self.module_name else local

    def on_class(self, node: ast.ClassDef, names: Names, scope_name: str) -> None:
        bases = tuple(q for b in node.bases if (q := names.qualname(b)))
        methods = {
            stmt.name: self.qualify(f"{scope_name}.{stmt.name}")
            for stmt in node.body
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        qualname = self.qualify(scope_name)
        cls = self.ir.classes[qualname] = ClassIR(qualname, bases, methods)
        for stmt in node.body:  # `request: flask.Request` declares what self.request holds
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                declared = names.qualname(stmt.annotation)
                if declared in self.models.typed_sources:
                    cls.attr_types[stmt.target.id] = declared

    def lower_module(self, body: list[ast.stmt], names: Names) -> None:
        fir = FunctionIR(
            self.qualify(MODULE_FUNCTION),
            self.module_name,
            self.path,
            MODULE_FUNCTION,
            1,
            (),
            None,
            False,
            test_code=self.ir.test_code,
        )
        _FunctionLowering(self, names, fir, None, module_level=True).run(body)
        self.ir.constants, self.ir.aliases = module_constants(body, names, self.module_name)

    def lower_function(self, node: ast.AST, names: Names, scope_name: str) -> None:
        args: ast.arguments = node.args  # type: ignore[attr-defined]
        params = tuple(
            a.arg
            for a in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg)
            if a is not None
        )
        class_qualname = None
        is_method = is_classmethod = False
        if len(names.stack) >= 2 and names.stack[-2].kind == "class":
            class_qualname = self.qualify(names.stack[-2].name)
            decorators = {
                getattr(d, "id", getattr(d, "attr", ""))
                for d in getattr(node, "decorator_list", ())
            }
            is_method = "staticmethod" not in decorators and bool(params)
            is_classmethod = is_method and "classmethod" in decorators
        if isinstance(node, ast.Lambda):
            qualname = self.qualify(
                f"{names.stack[-2].name + '.' if names.stack[-2].name else ''}"
                f"<lambda:{node.lineno}:{node.col_offset}>"
            )
            name = "<lambda>"
        else:
            qualname = self.qualify(scope_name)
            name = node.name  # type: ignore[attr-defined]

        def function_ir(qualname: str) -> FunctionIR:
            return FunctionIR(
                qualname,
                self.module_name,
                self.path,
                name,
                node.lineno,  # type: ignore[attr-defined]
                params,
                class_qualname,
                is_method,
                test_code=self.ir.test_code,
                vararg=params.index(args.vararg.arg) if args.vararg is not None else -1,
                kwarg=len(params) - 1 if args.kwarg is not None else -1,
                classmethod=is_classmethod,
            )

        lowering = _FunctionLowering(self, names, function_ir(qualname), node, module_level=False)
        if isinstance(node, ast.Lambda):
            lowering.run_expression(node.body)
            return
        lowering.run(node.body)  # type: ignore[attr-defined]
        variants = self.variants.by_function.get(scope_name) if self.variants else None
        for index, binding in enumerate(variants or ()):
            # The copy a call with these constant arguments runs (engine/variants.py).
            copy = function_ir(qualname + variant_suffix(index))
            lowering = _FunctionLowering(self, names, copy, node, module_level=False)
            for param, value in binding:
                if isinstance(value, FunctionRef):
                    lowering.lambda_refs[param] = self.qualify(value.name)  # `callback(x)`
                else:
                    lowering.constants[param] = value
            lowering.run(node.body)  # type: ignore[attr-defined]

    def prepare(self, tree: ast.Module) -> None:
        """Before the walk: the patterns the module compiles into module or class constants,
        and its type aliases."""
        self.patterns = compiled_patterns(tree)
        self.type_aliases = type_aliases(tree)

    def plan_variants(self, tree: ast.Module, calls: list[tuple[ast.Call, str | None]]) -> None:
        """After the walk, before functions are lowered: which get copies for the constant
        arguments of the module's own calls (engine/variants.py)."""
        self.variants = Variants(tree, calls)

    def record_lines(self, first: int, last: int, lines: list[str]) -> None:
        for number in range(first, min(last, first + 4) + 1):
            if 0 < number <= len(lines):
                self.ir.source_lines[number] = lines[number - 1]


class _FunctionLowering:
    def __init__(
        self,
        owner: Lowerer,
        names: Names,
        fir: FunctionIR,
        node: ast.AST | None,
        module_level: bool,
    ) -> None:
        self.owner = owner
        self.models = owner.models
        self.names = names
        self.fir = fir
        self.node = node
        self.module_level = module_level
        self.scope = names.current
        self.self_name = fir.params[0] if fir.is_method else None
        self.typed: dict[str, TypedSource] = {}
        self.lambda_refs: dict[str, str] = {}
        # `run = functools.partial(execute, job)`: `run(x)` is `execute(job, x)`.
        self.partials: dict[str, ast.Call] = {}
        self.buffers: set[str] = set()  # locals holding an `io.StringIO()`
        self.statement: tuple[int, int] = (0, 0)
        self.controller_attrs: frozenset[str] = frozenset()
        self.response: ControllerClass | None = None  # a controller that writes its own response
        self.content_type: str = UNKNOWN  # as declared so far with the controller's header call
        self.out: list[Instr] = []
        self.comprehension_names: frozenset[str] = frozenset()  # targets of enclosing `for … in`
        self.opened: dict[str, str] = {}  # `with <call>() as name`: name -> what made it
        # Set by `if not settings.DEBUG: return ...`: the rest of the block runs only in debug.
        self.debug_rest = False
        # `page = env.get_template("page.html")`: page -> the call that loaded the template
        self.loaded_templates: dict[str, ast.Call] = {}
        self.environments: dict[str, bool | None] = {}  # local template environments
        self.view_returns: str | None = None  # RouteDecorator.returns of a routed view
        # `@validation.schema(schema.create)`: the schemas the validated parameter matches,
        # and the locals that hold a part of it (`server = body["server"]`) by their key path
        self.schemas: tuple[Any, ...] = ()
        self.schema_locals: dict[str, tuple[str, ...]] = {}
        # `@aiohttp_jinja2.template("page.html")`: the render its returns are, and the name
        self.template_returns: tuple[str, str] | None = None
        self.view_kwargs: dict[str, Any] = {}  # keywords of its route that decide the response
        self.texts: set[str] = set()  # locals last assigned a string built in the function
        self.exception_names: set[str] = set()  # `e` of `except … as e` that are sources
        self.parsed: dict[str, tuple[str, SanitizerModel]] = {}  # parts = urlsplit(url)
        self.secret_names = self.models.secret_names
        self.secret_cwes = self.models.secret_cwes  # what a masked or truncated secret is clean of
        self.dicts: set[str] = set()  # locals last assigned a dict: iterating one gives its keys
        # Locals iterated out of a collection of secrets: `pair[0]` of one names the secret.
        self.secret_pairs: set[str] = set()
        # Locals last assigned a response made here (`resp = make_response(body)`): a
        # Content-Type set on them afterwards is the response's, as if passed when it was made.
        self.responses: dict[str, CallSite] = {}
        # Locals holding the outcome of a check (`ok = url_has_allowed_host_and_scheme(url=u)`):
        # the guards a test of the local gives, while neither it nor what it checked changes.
        self.conditions: dict[str, tuple[Guards, Guards]] = {}
        # Locals whose value is a constant at this point of the walk (`num = 86`), for tests
        # that decide a branch before the program runs (`if 7 * 42 - num > 200:`).
        self.constants: dict[str, Any] = {}
        # Whether every route of this view has a URL rule with no variable part: in such a view
        # the request's path is one the rule spelled out, not one the client chose.
        self.fixed_paths: bool | None = None
        # Reads lowered as None that are no constants (an imported name, a module's attribute,
        # a key a middleware sets): counted, so that what they are assigned to and the call
        # arguments they are in are not taken for constants (FunctionIR.opaque, CallSite.opaque).
        self.opaque_reads = 0
        # The qualified names of the other modules' values among them (`config.COMMAND`, an
        # imported `TIMEOUT`): the project's table of constants may know them after the walk.
        self.imported_reads: list[str] = []
        # Locals holding a list or dict display, element by element (engine/containers.py).
        self.shapes: dict[str, Shape] = {}
        self.shape_reads: set[int] = set()  # ids of Name nodes read as a container's receiver
        self.displays: dict[int, list[Op]] = {}  # id of a list or dict display -> element ops
        # Shapes read whole where a new container is made of them (`l[1:]`, `{**base, …}`): id
        # of the expression -> what it contributes to the new container's shape.
        self.made_from: dict[int, Shape] = {}
        # The expression being lowered as the base of another: "attr" (`token.expires_at`), "key"
        # (`creds["user"]`), "index" (`keys[0]`), "receiver" (`password.encode()`), "iter"
        # (`for name in os.environ`).
        self.base_of: tuple[ast.AST, str] | None = None

    # -- entry points ---------------------------------------------------------------------------
    def run(self, body: list[ast.stmt]) -> None:
        try:
            self._prepare_parameters()
            secret_params = self._secret_parameters()
            self.fir.body = secret_params + self.block(body)
        except RecursionError:
            self.fir.body = ()
            self.fir.lowering_failed = True
        self.owner.ir.functions[self.fir.qualname] = self.fir

    def run_expression(self, expr: ast.expr) -> None:
        try:
            self._prepare_parameters()
            self.statement = (expr.lineno, expr.end_lineno or expr.lineno)
            out: list[Instr] = []
            self.out = out
            out.append(("ret", self.expr(expr), expr.lineno, expr.col_offset))
            self.fir.body = tuple(out)
        except RecursionError:
            self.fir.lowering_failed = True
        self.owner.ir.functions[self.fir.qualname] = self.fir

    def _intact_kwargs(self, name: str) -> bool:
        """Whether `name` is the function's `**kwargs` and the function never changes it (no
        assignment, `del`, `kwargs[k] = …` or mutating method, as the walk recorded): then
        `kwargs["env"]` and `kwargs.get("env")` read what the caller passed as `env=` and
        nothing else. (A nested function changing it goes unseen: it is walked later.)"""
        fir = self.fir
        if fir.kwarg < 0 or fir.params[fir.kwarg] != name:
            return False
        scope = self.scope
        binding = scope.bindings.get(name)
        intact = (
            binding is not None
            and binding.kind is BindingKind.PARAMETER
            and name not in scope.changed
            and name not in scope.globals_declared
        )
        fir.kwargs_intact = fir.kwargs_intact or intact
        return intact

    def _intact_varargs(self, name: str) -> bool:
        """Whether `name` is the function's `*args` and the function never rebinds it (a
        tuple: nothing else changes it)."""
        fir = self.fir
        if fir.vararg < 0 or fir.params[fir.vararg] != name:
            return False
        binding = self.scope.bindings.get(name)
        return (
            binding is not None
            and binding.kind is BindingKind.PARAMETER
            and name not in self.scope.changed
            and name not in self.scope.globals_declared
        )

    def _iteration(self, target: ast.expr, iterable: ast.expr) -> list[tuple[ast.expr, Op]]:
        """What each target of `for target in iterable` holds (the iterable lowered here).

        Over an unchanged `**kwargs` (`for key in kwargs`, `for key, value in kwargs.items()`)
        the keys are the keyword names of the call: clean unless a mapping was spread into it
        (what the pseudo-key "*" stands for)."""
        match iterable:
            case (
                ast.Name(id=found)
                | ast.Call(func=ast.Attribute(value=ast.Name(id=found), attr="keys"), args=[])
            ) if self._intact_kwargs(found):
                self.fir.kwarg_keys = self.fir.kwarg_keys | {"*"}
                return [(target, ("v", f"**{found}[*]"))]
            case ast.Call(func=ast.Attribute(value=ast.Name(id=found), attr="items"), args=[]) if (
                isinstance(target, ast.Tuple)
                and len(target.elts) == 2
                and self._intact_kwargs(found)
            ):
                self.fir.kwarg_keys = self.fir.kwarg_keys | {"*"}
                values = self._as_base(iterable, "iter")
                return [(target.elts[0], ("v", f"**{found}[*]")), (target.elts[1], values)]
        op = self._as_base(iterable, "iter")  # a mapping iterates over its keys
        if self._keys_of_dict(iterable):
            op = self._secret_clean(op)  # `for name in settings`: the keys
        named = _target_names(target)
        self.secret_pairs.difference_update(named)
        if not self._collection_of_secrets(iterable):
            return [(target, op)]
        # `for vault_id, secret in vault_secrets`, `for name, pw in passwords.items()`: the first
        # of a pair names the secret it goes with (unless its own name says it is one); an
        # element kept whole (`for pair in secrets: pair[0]`) is read that way below.
        if isinstance(target, ast.Tuple | ast.List) and len(target.elts) == 2:
            first, second = target.elts
            if not (isinstance(first, ast.Name) and self.secret_names.head_noun(first.id)):
                return [(first, self._secret_clean(op)), (second, op)]
        elif isinstance(target, ast.Name):
            self.secret_pairs.add(target.id)
        return [(target, op)]

    def _seeded(self, call: ast.Call, constructor: str) -> bool:
        """`random.Random(seed)`, or a method of a generator made so (`rng.choice(...)` after
        `rng = random.Random(seed)`, or inline): a generator given its seed by the code."""
        func = call.func
        if isinstance(func, ast.Attribute) and self.names.qualname(func) != constructor:
            if isinstance(func.value, ast.Name):
                return self._always_seeded(func.value.id, constructor)
            if not isinstance(func.value, ast.Call):
                return False
            call = func.value
        return bool(call.args or call.keywords)

    def _always_seeded(self, name: str, constructor: str) -> bool:
        """Is every generator the function assigns to `name` made with a seed? (Other values
        assigned to it, `secrets.SystemRandom()` on the other branch, make nothing predictable.)"""
        if self.node is None:
            return False
        made = [
            node.value
            for node in ast.walk(self.node)
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and self.names.qualname(node.value.func) == constructor
        ]
        return bool(made) and all(call.args or call.keywords for call in made)

    def _collection_of_secrets(self, iterable: ast.expr) -> bool:
        if not self.secret_cwes:
            return False
        if (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Attribute)
            and iterable.func.attr == "items"
            and not iterable.args
        ):
            iterable = iterable.func.value
        match iterable:
            case ast.Name(id=name) | ast.Attribute(attr=name):
                return self.secret_names.collection_of_secrets(name)
        return False

    def _set_by_middleware(self, container: ast.expr, key: ast.expr) -> bool:
        """`req.environ["nova.context"]`, `request.META["CSRF_COOKIE"]`: a key of the WSGI
        environ that the server or a middleware sets (the request context, a checked token),
        not one the client's request fills (`HTTP_*`, `QUERY_STRING`, `wsgi.input`)."""
        if not (
            (isinstance(container, ast.Attribute) and container.attr in ("environ", "META"))
            or (isinstance(container, ast.Name) and container.id == "environ")
        ) or (self.names.qualname(container) or "").startswith(("os.", "posix.")):
            return False  # the process's environment is another matter
        name = self._static(key)
        return isinstance(name, str) and _middleware_key(name)

    def _keyed_read(self, container: ast.expr, key: ast.expr) -> Op | None:
        """`kwargs["env"]`: the value the caller passed under that key, when it can be told;
        `args[1]` of the function's `*args`: the caller's positional argument there."""
        if isinstance(container, ast.Name) and self._intact_varargs(container.id):
            index = self._static(key)
            if type(index) is int and 0 <= index < MAX_RETURN_ITEMS:
                self.fir.vararg_keys = self.fir.vararg_keys | {index}
                return ("v", f"*{container.id}[{index}]")
            return None
        if not isinstance(container, ast.Name) or not self._intact_kwargs(container.id):
            return None
        name = self._static(key)
        if not isinstance(name, str):
            return None
        self.fir.kwarg_keys = self.fir.kwarg_keys | {name}
        return ("v", f"**{container.id}[{name}]")

    # -- parameters that are sources ----------------------------------------------------------
    def _scalar_parameters(self, args: ast.arguments, pattern: str) -> set[str]:
        """Parameters the framework converts to a number or UUID before the view runs.

        `<int:id>` in a Flask/Werkzeug route, or a FastAPI annotation `width: int`, `Optional[int]`,
        `Annotated[int, Query()]`: a request that does not convert is refused with 404 or 422.
        """
        found = {m.group(2) for m in _ROUTE_CONVERTER.finditer(pattern)}
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            if arg.annotation is not None and self._is_scalar_annotation(arg.annotation):
                found.add(arg.arg)
        return found

    def _is_scalar_annotation(self, annotation: ast.expr) -> bool:
        match annotation:
            case ast.BinOp(op=ast.BitOr(), left=left, right=right):
                return all(
                    _is_none(side) or self._is_scalar_annotation(side) for side in (left, right)
                )
            case ast.Subscript(value=outer, slice=inner):
                wrapper = (self.names.qualname(outer) or "").rpartition(".")[2]
                if wrapper == "Optional":
                    return self._is_scalar_annotation(inner)
                if wrapper == "Annotated" and isinstance(inner, ast.Tuple) and inner.elts:
                    return self._is_scalar_annotation(inner.elts[0])
                return False
        return self.names.qualname(annotation) in _SCALAR_TYPES

    def _prepare_parameters(self) -> None:
        node = self.node
        if node is None or isinstance(node, ast.Lambda):
            return
        fir = self.fir
        params = fir.params[1:] if fir.is_method else fir.params
        imported = self.owner.imported
        for ptype in self.models.parameter_types:
            if ptype.when_imported not in imported:
                continue
            for position, param in enumerate(params):
                if param in ptype.names and position == 0:
                    typed = self.models.typed_sources.get(ptype.type)
                    if typed is not None:
                        self.typed[param] = typed
                    if (ptype.siblings_kind and not fir.is_method) or (
                        ptype.siblings_kind and fir.is_method and self._is_view_class()
                    ):
                        options = _used_as_mapping(node, params[1:])
                        for other in params[1:]:
                            if other in options:
                                # `for name, site in sitemaps.items()`: a captured part of the
                                # URL is a string; a mapping is an option of the URLconf.
                                continue
                            self._param_source(
                                other,
                                ptype.siblings_kind,
                                f"URL parameter `{other}` of view {fir.name}()",
                            )
                        fir.view_shape_params = frozenset(params[1:])
        arguments: ast.arguments = node.args  # type: ignore[attr-defined]
        for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            declared = self.names.qualname(arg.annotation) if arg.annotation else None
            typed = self.models.typed_sources.get(declared or "")
            if typed is not None and arg.arg in params:
                self.typed[arg.arg] = typed  # `request: flask.Request`, wherever it is
        for decorator in node.decorator_list:  # type: ignore[attr-defined]
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            qualified = self.names.qualname(target) or self._parameter_method(target)
            render = self.models.template_renders.get(qualified) if qualified else None
            if render is not None and render.returns and isinstance(decorator, ast.Call):
                self._template_decorator(decorator, render)
            validated = self.models.request_schemas.get(qualified) if qualified else None
            if validated is not None and isinstance(decorator, ast.Call):
                self._schema_decorator(decorator, validated, fir)
            route = self.models.routes.get(qualified) if qualified else None
            if route is None:
                continue
            pattern = ""
            if isinstance(decorator, ast.Call) and decorator.args:
                value = self.names.const_value(decorator.args[0])
                pattern = value if isinstance(value, str) else ""
            defaults = _parameter_defaults(node.args)  # type: ignore[attr-defined]
            scalars = self._scalar_parameters(node.args, pattern)  # type: ignore[attr-defined]
            fir.clean_params = fir.clean_params | (scalars & set(params))
            for param in params:
                if param in route.skip_params or param in self.typed or param in scalars:
                    continue
                default = defaults.get(param)
                if isinstance(default, ast.Call) and _called_name(default) in (
                    "Depends",
                    "Security",
                ):
                    continue
                where = f" of route {pattern!r}" if pattern else ""
                self._param_source(
                    param, route.kind, f"parameter `{param}` of view {fir.name}(){where}"
                )
            fixed = isinstance(decorator, ast.Call) and bool(pattern) and "<" not in pattern
            self.fixed_paths = fixed and self.fixed_paths is not False
            if route.returns:
                self.view_returns = route.returns
                for keyword in decorator.keywords if isinstance(decorator, ast.Call) else ():
                    if keyword.arg == "response_class":  # FastAPI: how the return is sent
                        made = self.names.qualname(keyword.value)
                        self.view_kwargs["response_class"] = made or UNKNOWN
                # Parts of the URL are text: `return name` sends it as a page.
                self.texts.update(p for p in params if p in fir.param_sources)
        if fir.class_qualname:
            controller = self._controller()
            if controller is not None:
                self.controller_attrs = controller.self_attributes
                if controller.response and controller.response_writer:
                    self.response = controller
                for param in params:
                    if param in controller.params:
                        self._param_source(
                            param, controller.kind, f"`{param}` of controller method {fir.name}()"
                        )

    def _fixed_path(self, qualified: str) -> bool:
        """`request.path` (or a method of it) in a view whose every route is a fixed rule."""
        if not self.fixed_paths:
            return False
        return any(qualified == p or qualified.startswith(p + ".") for p in _ROUTED_PATHS)

    def _known_receiver(self, value: ast.expr) -> bool:
        """Whether the receiver of a method whose name resolves (so it is not lowered) is a
        constant: a literal, a module constant, the request's path in a view of fixed routes."""
        if self._static(value) is not NOT_CONSTANT:
            return True
        qualified = self.names.qualname(value)
        return qualified is not None and self._fixed_path(qualified)

    def _parameter_method(self, target: ast.expr) -> str | None:
        """`app.route` where `app` is a parameter of an enclosing function (an application
        factory's `def init_app(app):`): the method of the type its annotation names, or of the
        type a `[[parameter_type]]` model gives parameters of that name in modules importing
        its package (`app` is a `flask.Flask` where flask is imported)."""
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)):
            return None
        binding = self.names.lookup(target.value.id)
        if binding is None or binding.kind is not BindingKind.PARAMETER:
            return None
        annotation = getattr(binding.node, "annotation", None)
        if annotation is not None:
            typed = self.names.qualname(annotation)
            return f"{typed}.{target.attr}" if typed else None
        imported = self.owner.imported
        for ptype in self.models.parameter_types:
            if target.value.id in ptype.names and ptype.when_imported in imported:
                return f"{ptype.type}.{target.attr}"
        return None

    def _exception_source(self, caught: ast.expr | None) -> bool:
        """Does `except <caught> as e` catch exceptions whose text tells about internals?"""
        types = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        for item in types:
            qualified = self.names.qualname(item) if item is not None else None
            if qualified is not None and self.models.is_exception_source(qualified):
                return True
        return False

    def _is_view_class(self) -> bool:
        cls = self.owner.ir.classes.get(self.fir.class_qualname or "")
        return bool(cls and any("View" in b or "ViewSet" in b for b in cls.bases))

    def _controller(self):  # type: ignore[no-untyped-def]
        cls = self.owner.ir.classes.get(self.fir.class_qualname or "")
        if cls is None:
            return None
        controllers = self.models.controllers
        for base in cls.bases:
            found = controllers.get(base)
            if found is None:
                short = ".".join(base.rsplit(".", 2)[-2:])
                found = controllers.get(short)
            if found is not None:
                return found
        return None

    def _param_source(self, param: str, kind: str, what: str) -> None:
        node = self.node
        line = getattr(node, "lineno", 0)
        col = getattr(node, "col_offset", 0)
        for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):  # type: ignore[union-attr]
            if arg.arg == param:
                line, col = arg.lineno, arg.col_offset
        self.fir.param_sources[param] = self._source(kind, what, line, col)

    def _model_source(self, source: SourceModel, what: str, node: ast.AST) -> Op:
        """A source the models declare, already clean for the CWEs it is trusted for."""
        line, col = node.lineno, node.col_offset  # type: ignore[attr-defined]
        op: Op = ("s", self._source(source.kind, what, line, col))
        return ("k", op, source.trusted_for) if source.trusted_for else op

    def _source(self, kind: str, what: str, line: int, col: int) -> int:
        self.fir.sources.append(SourceSite(kind, what, self.owner.path, line, col))
        return len(self.fir.sources) - 1

    # -- secrets --------------------------------------------------------------------------------
    def _secret(self, what: str, node: ast.AST) -> Op:
        line, col = node.lineno, node.col_offset  # type: ignore[attr-defined]
        return ("s", self._source("secret", what, line, col))

    def _secret_named(self, name: str, node: ast.AST, text: str | None = None) -> Op:
        """A secret source if `name` says it holds one (`auth_password`, `api_key`); `text`
        (default: the source of `node`) is how the message shows it."""
        noun = self.secret_names.classify(name) if self.secret_cwes else None
        if noun is None:
            return None
        shown = text if text is not None else self._text(node)
        return self._secret(f"the {_secret_noun(noun)} `{shown}`", node)

    def _secret_parameters(self) -> Block:
        """Parameters named as secrets (`password`, `shared_secret`) hold one on entry."""
        node = self.node
        if node is None or isinstance(node, ast.Lambda) or not self.secret_cwes:
            return ()
        args: ast.arguments = node.args  # type: ignore[attr-defined]
        out: list[Instr] = []
        for arg in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg):
            if arg is None:
                continue
            if self.secret_names.names_a_hash(arg.arg):
                # `def check_password(password, hashed)`: whatever the caller passes as the
                # hash (a `user.password` column holds one) is a hash here, not the password.
                cleaned = ("k", ("v", arg.arg), SECRET_CLEAN)
                out.append(("set", arg.arg, cleaned, arg.lineno, arg.col_offset, ""))
                continue
            noun = self.secret_names.classify(arg.arg)
            if noun is None or self.secret_names.named_by_function(self.fir.name, arg.arg):
                continue
            what = f"the {_secret_noun(noun)} parameter `{arg.arg}` of {self.fir.name}()"
            held = object_type(arg.annotation, self.names, self.owner.type_aliases)
            if held is not None:
                what += f", an object of class `{held}`"
            secret = self._secret(what, arg)
            if held is not None and secret is not None:
                # `private_key: RSAPrivateKey`: an object, printed as its class prints it.
                self.fir.sources[secret[1]].object_type = held
            op = _union([("v", arg.arg), secret])
            out.append(("set", arg.arg, op, arg.lineno, arg.col_offset, ""))
        return tuple(out)

    def _stored_secret(self, name: str, value: ast.expr | None, op: Op) -> Op:
        """A value stored under a secret's name (`{"admin_pass": pw}`, `self.password = pw`,
        `password = getpass()`) is a secret there, unless it is constant or already masked.
        (The source is placed at the value: where that is itself a named secret, the trace
        shows the value's own name.)"""
        if op is None or value is None or not self.secret_cwes:
            return op
        noun = self.secret_names.classify(name)
        if noun is None or self._masked(value, op) or self._names_a_file(value):
            return op
        return _union([op, self._secret(f"the {_secret_noun(noun)} stored as `{name}`", value)])

    def _stored_under_secret_name(self, name: str, target: ast.expr, op: Op) -> None:
        """`user.reset_token = value`, `record["api_key"] = value`: a call of `<stored secret>`,
        which models may declare a sink for values that must be unpredictable."""
        if op is not None and self.secret_names.classify(name) is not None:
            self._pseudo_call(STORED_SECRET, target, (op,))

    def _stored_in_session(self, container: ast.expr, target: ast.expr, key: Op, op: Op) -> None:
        """`store[key] = value` into a mapping named as a session (`request.session`,
        `user_session`): a call of `<session store>.__setitem__(key, value)`, or of
        `<session table>.__setitem__` for one named in the plural (`sessions[sid] = user`, whose
        keys are the session ids). A mapping the models already know (`flask.session`) is left to
        its own model."""
        match container:
            case ast.Name(id=name) | ast.Attribute(attr=name):
                pass
            case _:
                return
        if op is None and key is None:
            return
        word = name.lower().rstrip("_")
        if word.endswith("sessions"):
            callee = SESSION_TABLE
        elif word.endswith("session"):
            callee = SESSION_STORE
        else:
            return
        qualified = self.names.qualname(container)
        if qualified is not None and self.models.sinks_for(f"{qualified}.__setitem__", None):
            return
        self._pseudo_call(callee, target, (key, op))

    def _names_a_file(self, value: ast.expr) -> bool:
        """`private_key = os.path.join(key_dir, "private.pem")`: a path names where the
        secret is kept; it is not the secret."""
        if isinstance(value, ast.Name):
            binding = self.names.lookup(value.id)
            return (
                binding is not None
                and binding.kind is BindingKind.INSTANCE
                and binding.value in PATH_BUILDERS
            )
        return isinstance(value, ast.Call) and self.names.qualname(value.func) in PATH_BUILDERS

    def _masked(self, value: ast.expr, op: Op) -> bool:
        if (
            isinstance(op, tuple)
            and op[0] == "k"
            and (op[2] & SECRET_CLEAN or self.secret_cwes <= op[2])
        ):
            return True
        if isinstance(value, ast.Call):
            qualified = self.names.qualname(value.func)
            method = value.func.attr if isinstance(value.func, ast.Attribute) else None
            sanitizer = self.models.sanitizer_for(qualified, method)
            if sanitizer is not None and self.secret_cwes <= sanitizer.cleans:
                return True
            if qualified in self.models.neutral:
                return True
        return False

    def _looked_up_secret(self, node: ast.Call, qualified: str | None, method: str | None) -> Op:
        """`conf.get("password")`, `os.getenv("DB_PASSWORD")`, `getattr(user, "api_key")`,
        `parser.get("database", "password")`: a value looked up by a secret's name."""
        if not self.secret_cwes or not node.args:
            return None
        keys: list[ast.expr] = []
        if qualified == "getattr" and len(node.args) >= 2:
            keys = [node.args[1]]
        elif qualified in ("os.getenv", "os.environ.get") or method in _LOOKUPS:
            keys = [node.args[0]]
            if method == "get" and qualified != "os.environ.get" and len(node.args) >= 2:
                section, option = self._static(node.args[0]), self._static(node.args[1])
                if isinstance(section, str) and isinstance(option, str) and option.isidentifier():
                    # `config.get("auth", "htpasswd_filename")`: an option of a section, named
                    # by the option (a mapping's default is rarely a bare name).
                    keys = [node.args[1]]
        for key in keys:
            value = self._static(key)
            if isinstance(value, str):
                found = self._secret_named(value, node)
                if found is not None:
                    return found
        return None

    def _secret_receiver(self, value: ast.expr) -> Op:
        """`settings.WEBHOOK_SECRET.encode()`, `CONF.database.connection.split("@")`: a method
        of a secret that a qualified name reaches (and that is not lowered as a receiver)."""
        if not isinstance(value, ast.Attribute):
            return None
        root = _root_name(value)
        binding = self.names.lookup(root) if root else None
        if binding is not None and binding.kind is BindingKind.IMPORT and binding.value == root:
            return None  # `import django.contrib.auth`: a chain of modules
        named = self._secret_named(value.attr, value)
        return _union([named, self._option_read(value)])

    def _whole_container(self, op: Op, node: ast.AST, attr: str, whole: bool) -> Op:
        """`request.headers`, `request.META`, `os.environ` taken whole (logged, copied with
        dict()) carry the credentials among them: the Authorization header, session cookies."""
        if not whole or op is None or not self.secret_cwes:
            return op
        if not self.secret_names.container(attr):
            return op
        text = self._text(node)
        secret = self._secret(f"`{text}`, which carries credentials", node)
        return _union([op, ("k", secret, WHOLE_CONTAINER) if secret is not None else None])

    def _as_base(self, expr: ast.expr, kind: str) -> Op:
        """Lower an expression that is looked into (`headers["X"]`, `token.expires_at`) or whose
        method is called; see `base_of`."""
        self.base_of = (expr, kind)
        return self.expr(expr)

    def _base_kind(self, node: ast.AST) -> str | None:
        base = self.base_of
        if base is None or base[0] is not node:
            return None
        self.base_of = None
        return base[1]

    def _option_read(self, node: ast.Attribute) -> Op:
        """`CONF.database.connection`: reads the option `connection`, which a declaration
        somewhere in the project may have marked secret."""
        objects = self.models.secret_options.objects
        if not objects:
            return None
        value = node.value
        while True:
            if isinstance(value, ast.Attribute):
                if value.attr in objects:
                    break
                value = value.value
            elif isinstance(value, ast.Name) and value.id in objects:
                break
            else:
                return None
        return ("g", _SECRET_OPTION.format(node.attr))

    def _option_declared(
        self, node: ast.Call, qualified: str | None, kwargs: dict[str, Any]
    ) -> None:
        """`cfg.StrOpt("admin_password", secret=True)`: the option holds a secret."""
        options = self.models.secret_options
        if qualified not in options.declare or kwargs.get(options.flag) is not True:
            return
        name_node = node.args[0] if node.args else None
        if name_node is None:
            name_node = next((k.value for k in node.keywords if k.arg == "name"), None)
        name = self._static(name_node) if name_node is not None else None
        if not isinstance(name, str):
            return
        what = f"the option `{name}`, declared with {options.flag}=True"
        op = self._secret(what, node)
        self.out.append(("gset", _SECRET_OPTION.format(name), op, node.lineno, node.col_offset))

    def _fields_of(self, expr: ast.expr, node: ast.AST) -> Op:
        """`vars(obj)`, `obj.__dict__`: every attribute of the object (the solver reads the
        attributes its class stores)."""
        receiver = self.expr(expr)
        callee = None
        receiver_attr = None
        if isinstance(expr, ast.Name):
            if expr.id == self.self_name and self.self_name and self.fir.class_qualname:
                callee = f"{self.fir.class_qualname}.__dict__"
            else:
                binding = self.names.lookup(expr.id)
                if binding is not None and binding.kind is BindingKind.INSTANCE:
                    callee = f"{binding.value}.__dict__"
        elif (
            isinstance(expr, ast.Attribute)
            and isinstance(expr.value, ast.Name)
            and expr.value.id == self.self_name
            and self.self_name
        ):
            receiver_attr = expr.attr
        site = self._site(node, callee, "__dict__", receiver, (), (), None, {}, False, False)
        site.receiver_attr = receiver_attr
        return ("c", site.index)

    def _owners(self, func: ast.expr) -> tuple[str, ...]:
        """The names the receiver of a method call goes by: `log` of `log.info(...)`, `logger`
        of `self.logger.info(...)` (and `getLogger` when `self.logger = logging.getLogger()`),
        `getLogger` of `logging.getLogger(__name__).info(...)`."""
        if not isinstance(func, ast.Attribute):
            return ()
        value = func.value
        if isinstance(value, ast.Name):
            return (value.id,)
        if isinstance(value, ast.Call):
            called = _called_name(value)
            return (called,) if called else ()
        if not isinstance(value, ast.Attribute):
            return ()
        names = [value.attr]
        cls = self.owner.ir.classes.get(self.fir.class_qualname or "")
        made_by = cls.attr_types.get(value.attr) if cls is not None else None
        if made_by:
            names.insert(0, made_by.rpartition(".")[2])
        return tuple(names)

    def _keys_of_dict(self, expr: ast.expr) -> bool:
        return isinstance(expr, ast.Name) and expr.id in self.dicts

    def _secret_clean(self, op: Op) -> Op:
        return ("k", op, SECRET_CLEAN) if op is not None and self.secret_cwes else op

    def _field(self, op: Op, name: str) -> Op:
        """`info.image`, `conn["target_portal"]`, `conf.get("host")`: another field of an object
        that may hold a secret under its own name. The analysis does not keep the fields of a
        value apart, so a field read by a name that is no secret's is clean of secrets
        (`form.password.data` keeps it: `data` is the same value)."""
        if op is None or not self.secret_cwes or not self.secret_names.other_field(name):
            return op
        return self._secret_clean(op)

    # -- statements -----------------------------------------------------------------------------
    def block(self, body: list[ast.stmt]) -> Block:
        saved = self.out
        out: list[Instr] = []
        self.out = out
        debug_from = None
        for stmt in body:
            self.statement = (stmt.lineno, stmt.end_lineno or stmt.lineno)
            self.stmt(stmt)
            if self.debug_rest:
                self.debug_rest = False
                if debug_from is None:
                    debug_from = len(out)
            if out and out[-1][0] == "end":
                break  # the rest of the block is unreachable
        self.out = saved
        if debug_from is not None:
            out[debug_from:] = self._debug_only_block(tuple(out[debug_from:]))
        return tuple(out)

    def _debug_only_block(self, block: Block) -> Block:
        """`block` as it runs only where a debug setting is on: every value it stores, returns
        or passes to a call carries the DEBUG_ONLY mark."""
        marked: list[Instr] = []
        for instr in block:
            match instr:
                case ("set" | "add" | "aset" | "gset", name, op, *rest):
                    marked.append((instr[0], name, _debug_only(op), *rest))
                case ("ret", op, *rest):
                    if len(rest) > 2:  # the ops of each position of a returned tuple
                        rest = [*rest[:2], tuple(_debug_only(item) for item in rest[2])]
                    marked.append(("ret", _debug_only(op), *rest))
                case ("call", index):
                    site = self.fir.calls[index]
                    site.args = tuple(_debug_only(op) for op in site.args)
                    site.kwargs = tuple((name, _debug_only(op)) for name, op in site.kwargs)
                    site.star = _debug_only(site.star)
                    marked.append(instr)
                case ("if", then_guards, else_guards, then_block, else_block):
                    marked.append(
                        (
                            "if",
                            then_guards,
                            else_guards,
                            self._debug_only_block(then_block),
                            self._debug_only_block(else_block),
                        )
                    )
                case ("loop", body):
                    marked.append(("loop", self._debug_only_block(body)))
                case ("try", body, handlers, orelse, final):
                    marked.append(
                        (
                            "try",
                            self._debug_only_block(body),
                            tuple(self._debug_only_block(h) for h in handlers),
                            self._debug_only_block(orelse),
                            self._debug_only_block(final),
                        )
                    )
                case _:
                    marked.append(instr)
        return tuple(marked)

    def stmt(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Delete) and all(map(self._delete_element, node.targets)):
            return  # `del args[0]`, `del m["k"]`: the followed container lost that element
        kept: dict[str, DictShape] = {}
        if (self.constants or self.shapes) and isinstance(node, _REPEATED_OR_NESTED):
            kept = self._forget_stored(node)  # changed in a loop, a handler or a closure: not known
        reads, start, imported = self.opaque_reads, len(self.out), len(self.imported_reads)
        self._module_writes(node)
        self._statement(node)
        for name, shape in kept.items():
            self.shapes[name] = shape.copy()  # whatever the statement stored, on any path
        if self.opaque_reads != reads:
            opaque = self.fir.opaque
            names = self._imported_since(reads, imported)
            for instr in self.out[start:]:
                if instr[0] in ("set", "add"):
                    place = (instr[1], instr[3], instr[4])
                elif instr[0] == "ret":
                    place = ("<return>", instr[2], instr[3])
                else:
                    continue
                opaque.add(place)
                if names is not None:
                    self.fir.imported[place] = names

    def _imported_since(self, reads: int, start: int) -> tuple[str, ...] | None:
        """The other modules' values read since `reads` opaque reads and `start` imported ones,
        when they are all that was read opaque; None when something else was."""
        names = self.imported_reads[start:]
        return tuple(names) if len(names) == self.opaque_reads - reads else None

    def _imported_receiver(self, func: ast.expr) -> tuple[str, ...] | None:
        """`settings.QUERY` of `settings.QUERY.strip()`, whose method's name resolves (so it
        is not lowered): the other module's value it names."""
        if not isinstance(func, ast.Attribute) or self._root_is_local(func.value):
            return None
        root = _root_name(func.value)
        binding = self.names.lookup(root) if root is not None else None
        qualified = self.names.qualname(func.value)
        if (
            binding is None
            or binding.kind not in (BindingKind.IMPORT, BindingKind.ALIAS)
            or qualified is None
        ):
            return None
        return (qualified,)

    def _module_writes(self, node: ast.stmt) -> None:
        """`config.TIMEOUT = 5`, `del settings.DEBUG`: a value of another module changed from
        here, which is then no constant of the project (FunctionIR.module_writes)."""
        match node:
            case ast.Assign(targets=targets) | ast.Delete(targets=targets):
                pass
            case ast.AugAssign(target=target) | ast.AnnAssign(target=target):
                targets = [target]
            case _:
                return
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and not self._root_is_local(part):
                    root = _root_name(part)
                    binding = self.names.lookup(root) if root is not None else None
                    qualified = self.names.qualname(part)
                    if (
                        binding is not None
                        and binding.kind in (BindingKind.IMPORT, BindingKind.ALIAS)
                        and qualified is not None
                    ):
                        self.fir.module_writes.add(qualified)
        if (self.constants or self.shapes) and isinstance(node, _COMPOUND):
            self._forget_stored(node)

    def _forget_stored(self, node: ast.stmt) -> dict[str, DictShape]:
        """Forget what `node` may change; return the dicts kept, widened (`_widened`)."""
        shapes = self.shapes
        dicts = (
            {n: d.copy() for n, d in shapes.items() if isinstance(d, DictShape) and not d.options}
            if isinstance(node, _REPEATED)
            else {}
        )
        # `f(**kwargs)` passes a copy: it cannot change the dict.
        spread = (
            {
                id(inner.value)
                for inner in ast.walk(node)
                if isinstance(inner, ast.keyword) and inner.arg is None
            }
            if shapes
            else set()
        )
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name):
                if not isinstance(inner.ctx, ast.Load):
                    self.constants.pop(inner.id, None)
                if shapes and id(inner) not in spread:
                    shapes.pop(inner.id, None)
        kept = self._widened(node, dicts) if dicts else {}
        shapes.update((name, shape.copy()) for name, shape in kept.items())
        return kept

    def _widened(self, node: ast.stmt, dicts: dict[str, DictShape]) -> dict[str, DictShape]:
        """Followed dicts a loop or `try` uses only through key reads and stores, `.get` and
        `in`: each as it may be anywhere in the statement and after it, every key and `some`
        joined with what the statement stores under that key or a computed one. A store's
        value is the local `_element_of` keeps it in (set by the statement, on some run)."""
        parents: dict[int, ast.AST] = {}
        nested: set[int] = set()  # names inside a function, lambda or class of the statement
        for inner in ast.walk(node):
            for child in ast.iter_child_nodes(inner):
                parents[id(child)] = inner
                if isinstance(inner, _SCOPES) or id(inner) in nested:
                    nested.add(id(child))
        stores: dict[str, list[ast.Subscript]] = {}
        refused: set[str] = set()
        for inner in ast.walk(node):
            match inner:  # bound without a Name node: `except E as m`, `import m`, `case m`
                case ast.ExceptHandler(name=str(bound)) | ast.MatchAs(name=str(bound)):
                    refused.add(bound)
                case ast.MatchStar(name=str(bound)) | ast.MatchMapping(rest=str(bound)):
                    refused.add(bound)
                case ast.Import(names=aliases) | ast.ImportFrom(names=aliases):
                    refused.update((a.asname or a.name).partition(".")[0] for a in aliases)
            if not isinstance(inner, ast.Name) or inner.id not in dicts:
                continue
            stores.setdefault(inner.id, [])
            parent = parents.get(id(inner))
            if id(inner) in nested or not isinstance(inner.ctx, ast.Load):
                refused.add(inner.id)
            elif isinstance(parent, ast.Subscript) and parent.value is inner:
                if isinstance(parent.ctx, ast.Store):
                    if isinstance(parents.get(id(parent)), ast.AugAssign):
                        refused.add(inner.id)
                    stores.setdefault(inner.id, []).append(parent)
                elif isinstance(parent.ctx, ast.Del):
                    refused.add(inner.id)
            elif isinstance(parent, ast.Attribute) and parent.value is inner:
                call = parents.get(id(parent))
                if parent.attr != "get" or not (isinstance(call, ast.Call) and call.func is parent):
                    refused.add(inner.id)
            elif not (
                isinstance(parent, ast.Compare)
                and any(
                    c is inner and isinstance(op, ast.In | ast.NotIn)
                    for op, c in zip(parent.ops, parent.comparators, strict=True)
                )
            ):
                refused.add(inner.id)
        kept: dict[str, DictShape] = {}
        for name, targets in stores.items():
            if name in refused:
                continue
            widened = dicts[name]
            for target in targets:
                held: Op = ("v", f"{name}[{target.lineno}:{target.col_offset}]")
                key = self._static(target.slice)
                if isinstance(key, str | int) and (
                    key in widened.items or len(widened.items) < MAX_ITEMS
                ):
                    widened.items[key] = union([widened.entry(key), held])
                elif key is NOT_CONSTANT:
                    widened.store_anywhere(held)
                else:
                    break
            else:
                kept[name] = widened
        return kept

    def _constant(self, expr: ast.expr, depth: int = 0) -> Any:
        """The value of `expr` when it is made of literals, module constants and locals known
        to hold a constant here: arithmetic, comparisons, `in`, `not`, `and`/`or`, indexing."""
        if depth > 20:
            return NOT_CONSTANT
        match expr:
            case ast.Name(id=name) if self._is_local(name):
                return self.constants.get(name, NOT_CONSTANT)
            case ast.Attribute(value=ast.Name(id=base), attr=attr) if base == self.self_name:
                return self._class_constant(attr)
            case ast.BinOp(left=left, op=op, right=right):
                lhs = self._constant(left, depth + 1)
                rhs = self._constant(right, depth + 1) if lhs is not NOT_CONSTANT else lhs
                operator = _ARITHMETIC.get(type(op))
                if rhs is NOT_CONSTANT or operator is None:
                    return NOT_CONSTANT
                if any(isinstance(v, str | bytes | tuple) for v in (lhs, rhs)) and not isinstance(
                    op, ast.Add
                ):
                    return NOT_CONSTANT  # no `"%s" % x`, nor `n * "a"`, which can be huge
                return _folded(operator, lhs, rhs)
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                value = self._constant(operand, depth + 1)
                return NOT_CONSTANT if value is NOT_CONSTANT else not value
            case ast.UnaryOp(op=ast.USub(), operand=operand):
                value = self._constant(operand, depth + 1)
                return -value if isinstance(value, int | float) else NOT_CONSTANT
            case ast.BoolOp(op=op, values=values):
                result: Any = NOT_CONSTANT
                for value in values:
                    result = self._constant(value, depth + 1)
                    if result is NOT_CONSTANT:
                        return NOT_CONSTANT
                    if bool(result) is isinstance(op, ast.Or):
                        return result
                return result
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                lhs = self._constant(left, depth + 1)
                for op, comparator in zip(ops, comparators, strict=True):
                    rhs = self._constant(comparator, depth + 1)
                    operator = _COMPARISONS.get(type(op))
                    if lhs is NOT_CONSTANT or rhs is NOT_CONSTANT or operator is None:
                        return NOT_CONSTANT
                    outcome = _folded(operator, lhs, rhs)
                    if outcome is NOT_CONSTANT or not outcome:
                        return outcome
                    lhs = rhs
                return True
            case ast.Subscript(value=value, slice=index) if not isinstance(index, ast.Slice):
                container = self._constant(value, depth + 1)
                key = self._constant(index, depth + 1)
                if (
                    isinstance(container, str | tuple)
                    and isinstance(key, int)
                    and -len(container) <= key < len(container)
                ):
                    return container[key]
                return NOT_CONSTANT
            case ast.Constant(value=value):
                return value
            case (
                ast.List()
                | ast.Set()
                | ast.Dict()
                | ast.ListComp()
                | ast.SetComp()
                | ast.DictComp()
            ):
                return NOT_CONSTANT  # mutable: `items = []` changes through its methods
        for inner in ast.walk(expr):
            # A name of an enclosing function is whatever it was last assigned, which the
            # walker's binding does not tell; only module constants are read here.
            if isinstance(inner, ast.Name) and (
                self.names.module.bindings.get(inner.id) is not self.names.lookup(inner.id)
                or inner.id in self.names.module.changed
            ):
                return NOT_CONSTANT
        value = self._static(expr)
        return value if isinstance(value, _FOLDABLE) else NOT_CONSTANT

    # -- lists and dicts element by element (engine/containers.py) --------------------------------
    def _track_shape(self, target: ast.Name, stmt: ast.AST, op: Op = None) -> None:
        """`args = []`, `args = ["ls", path]`, `m = {"a": x}`, `info = user_info()`: start
        following the elements."""
        self.shapes.pop(target.id, None)
        value = getattr(stmt, "value", None)
        if (
            not isinstance(stmt, ast.Assign | ast.AnnAssign)
            or (isinstance(stmt, ast.Assign) and stmt.targets != [target])
            or (isinstance(stmt, ast.AnnAssign) and stmt.target is not target)
            or not self._is_local(target.id)
        ):
            return
        match value:
            case ast.List(elts=elts) | ast.Tuple(elts=elts) if len(elts) <= MAX_ITEMS and not any(
                isinstance(e, ast.Starred) for e in elts
            ):
                ops = self.displays.get(id(value), [None] * len(elts))
                shape = self.shapes[target.id] = ListShape(
                    [self._element_of(target.id, e, op) for e, op in zip(elts, ops, strict=True)]
                )
                command = _shell_command(elts, self._static)
                if command is not None:
                    shape.items[command].reported = True  # the display was the sink
            case ast.Subscript(slice=ast.Slice()) if id(value) in self.made_from:
                self.shapes[target.id] = self.made_from[id(value)].copy()  # `rest = args[1:]`
            case ast.Dict(keys=keys, values=values) if len(keys) <= MAX_ITEMS:
                constant_keys = [self._static(k) if k is not None else NOT_CONSTANT for k in keys]
                items: dict[Any, Op] = {}
                ops = self.displays.get(id(value), [None] * len(values))
                for k, v, op in zip(constant_keys, values, ops, strict=True):
                    spread = self.made_from.get(id(v))
                    if isinstance(spread, DictShape) and spread.keyed() is not None:
                        items.update(spread.items)  # `{**defaults, "b": x}`
                    elif isinstance(k, str | int):
                        items[k] = self._element_of(target.id, v, op).op
                    else:
                        return
                if len(items) <= MAX_ITEMS:
                    self.shapes[target.id] = DictShape(items)
            case ast.Call(func=ast.Name(id="list" | "dict" as kind), args=[], keywords=[]) if (
                self.names.name_qualname(kind) == kind
            ):
                self.shapes[target.id] = ListShape() if kind == "list" else DictShape()
            case ast.Call(func=ast.Name(id="dict"), args=[], keywords=keywords) if (
                self.names.name_qualname("dict") == "dict"
                and len(keywords) <= MAX_ITEMS
                and all(k.arg is not None for k in keywords)
            ):
                # `kwargs = dict(instance=instance, admin_password=pw)`, key by key.
                ops = self.displays.get(id(value), [None] * len(keywords))
                self.shapes[target.id] = DictShape(
                    {
                        k.arg: self._element_of(target.id, k.value, op).op
                        for k, op in zip(keywords, ops, strict=True)
                    }
                )
            case ast.Call(func=made) if self.names.qualname(made) in _OPTION_STORES:
                self.shapes[target.id] = DictShape(options=True)
            case ast.Call() if isinstance(op, tuple) and op[0] == "c":
                # `info = list(pwd.getpwnam(name))`, `info = user.user_info()`: by position.
                self.shapes[target.id] = Positions(op)

    def _element_of(self, owner: str, expr: ast.expr, op: Op) -> Element:
        """An element as stored now: its constants, and its taint kept in a local of its own
        (so that later assignments to the names it was made from do not change it)."""
        value = self._static(expr)
        constants = (value,) if value is not NOT_CONSTANT and isinstance(value, _FOLDABLE) else ()
        if op is None:
            return Element(constants, None)
        held = f"{owner}[{expr.lineno}:{expr.col_offset}]"
        self.out.append(("set", held, op, expr.lineno, expr.col_offset, f"stored in `{owner}`"))
        return Element(constants, ("v", held))

    def _element(self, name: str, key: ast.expr) -> Op:
        """`args[1]`, `m["b"]` with a constant key: what that element holds; `m[k]` of a
        followed dict: any of its values."""
        shape = self.shapes[name]
        index = self._static(key)
        if isinstance(shape, DictShape) and not shape.options and index is NOT_CONSTANT:
            self.expr(key)
            return self._one_entry(shape.everything())
        if isinstance(shape, DictShape) and isinstance(index, str | int):
            found = shape.entry(index)  # a missing key raises KeyError
            others = [*shape.items.values(), shape.some]
        elif isinstance(shape, Positions) and isinstance(key, ast.Constant) and type(index) is int:
            # (`row[PASSWORD]` is left to the general case: the constant's name says which
            # field is read)
            if index < 0:
                return _NO_ELEMENT
            found = self._one_entry(shape.at(index))
            others = list(shape.items.values())
        elif (
            isinstance(shape, ListShape)
            and isinstance(index, int)
            and not isinstance(index, bool)
            and -len(shape.items) <= index < len(shape.items)
        ):
            found = shape.items[index].op
            others = [e.op for e in shape.items] + [shape.removed]
        else:
            return _NO_ELEMENT
        return _union([found, _set_aside(_union(others))])

    def _unpacked(self, elts: list[ast.expr], value: ast.expr) -> list[Op] | None:
        """What each target of `a, *b, c = value` gets, when `value` is a display or a followed
        list whose length fits; None when it cannot be told (nothing is lowered then)."""
        starred = [n for n, e in enumerate(elts) if isinstance(e, ast.Starred)]
        shape = self.shapes.get(value.id) if isinstance(value, ast.Name) else None
        if isinstance(shape, ListShape):
            size = len(shape.items)
        elif isinstance(value, ast.List | ast.Tuple) and not any(
            isinstance(e, ast.Starred) for e in value.elts
        ):
            size = len(value.elts)
        else:
            return None
        if (
            len(starred) > 1
            or size < len(elts) - len(starred)
            or (not starred and size != len(elts))
        ):
            return None
        if isinstance(shape, ListShape):
            ops = [e.op for e in shape.items]
        else:
            self.expr(value)
            ops = self.displays.get(id(value))
            if ops is None or len(ops) != size:
                return None
        if starred:
            before = starred[0]
            after = len(elts) - before - 1
            ops = [*ops[:before], _union(ops[before : size - after]), *ops[size - after :]]
        # What the other names got is set aside in each (see `_element`).
        return [
            _union([op, _set_aside(_union([o for n, o in enumerate(ops) if n != position]))])
            for position, op in enumerate(ops)
        ]

    def _sliced(self, name: str, part: ast.Slice) -> ListShape | None:
        """`args[1:]`, `args[:-1]` with constant bounds: the elements kept, as a new list."""
        bounds = [self._static(b) if b is not None else None for b in (part.lower, part.upper)]
        step = self._static(part.step) if part.step is not None else None
        if step is not None or not all(b is None or type(b) is int for b in bounds):
            return None
        shape = self.shapes[name]
        assert isinstance(shape, ListShape)
        kept = shape.items[bounds[0] : bounds[1]]
        left = [e.op for e in shape.items if all(e is not k for k in kept)]
        return ListShape(kept, _union([shape.removed, *left]))  # what was left out is set aside

    def _delete_element(self, target: ast.expr) -> bool:
        """`del args[0]`, `del m["k"]` on a followed container with a constant key."""
        if not (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)):
            return False
        shape = self.shapes.get(target.value.id)
        key = self._static(target.slice)
        if isinstance(shape, DictShape) and not shape.options and isinstance(key, str | int):
            shape.items.pop(key, None)
            return True
        if (
            isinstance(shape, ListShape)
            and type(key) is int
            and -len(shape.items) <= key < len(shape.items)
        ):
            shape.removed = _union([shape.removed, shape.items[key].op])
            shape.items = (
                shape.items[:key] + shape.items[key + 1 :] if key != -1 else shape.items[:-1]
            )
            return True
        return False

    def _store_element(self, name: str, key: Any, op: Op, target: ast.Subscript) -> None:
        shape = self.shapes[name]
        element = self._element_of(name, target, op)
        if isinstance(shape, DictShape) and isinstance(key, str | int):
            if key in shape.items or len(shape.items) < MAX_ITEMS:
                shape.items[key] = element.op
                return
        elif isinstance(shape, DictShape) and not shape.options and key is NOT_CONSTANT:
            shape.store_anywhere(element.op)  # `filters[opt] = value`
            return
        elif isinstance(shape, Positions) and type(key) is int and key >= 0:
            if key in shape.items or len(shape.items) < MAX_ITEMS:
                shape.items[key] = element.op
                return
        elif (
            isinstance(shape, ListShape)
            and isinstance(key, int)
            and -len(shape.items) <= key < len(shape.items)
        ):
            shape.removed = _union([shape.removed, shape.items[key].op])
            shape.items[key] = element
            return
        del self.shapes[name]

    def _shape_method(self, node: ast.Call) -> tuple[str, Op] | None:
        """A method call on a followed list or dict that the lowering understands; its receiver
        is then not a use of the whole container. `m.get(k)` is answered here."""
        func = node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return None
        shape = self.shapes.get(func.value.id)
        if (
            shape is None
            or isinstance(shape, Positions)
            or any(isinstance(a, ast.Starred) for a in node.args)
        ):
            return None
        method, count = func.attr, len(node.args)
        if isinstance(shape, DictShape) and not shape.options and method == "update":
            given = node.args[0] if count == 1 else None
            if (
                count <= 1
                and all(k.arg is not None for k in node.keywords)
                and (
                    given is None
                    or (
                        isinstance(given, ast.Dict)
                        and all(isinstance(self._static(k), str | int) for k in given.keys if k)
                        and None not in given.keys
                    )
                )
            ):
                self.shape_reads.add(id(func.value))
                return method, None
            return None
        if node.keywords:
            return None
        if isinstance(shape, DictShape) and shape.options:
            key = self._option_key(node.args[:2]) if count >= 2 else None
            if key is not None and method in _OPTION_GETTERS and count == 2:
                others = _set_aside(_union(list(shape.items.values())))
                return "get", _union([shape.items.get(key), others])
            if (key is not None and method == "set" and count == 3) or (
                method == "add_section" and count == 1
            ):
                self.shape_reads.add(id(func.value))
                return method, None
            return None
        if isinstance(shape, DictShape):
            if method in ("get", "pop") and count in (1, 2):
                key = self._static(node.args[0])
                if isinstance(key, str | int):
                    default = self.expr(node.args[1]) if count == 2 else None
                    found = shape.entry(key)
                    if method == "pop":
                        shape.items.pop(key, None)
                    others = _set_aside(shape.everything())
                    return "get", _union([found, default, others])
                if key is NOT_CONSTANT:
                    # `filters.get(name)`: any value (a `pop` leaves the others where they were)
                    self.expr(node.args[0])
                    default = self.expr(node.args[1]) if count == 2 else None
                    return "get", _union([self._one_entry(shape.everything()), default])
            if method in _DICT_READS and count == 0:
                self.shape_reads.add(id(func.value))  # `filters.items()`: only read
                return method, None
            return None
        understood = (
            (method == "append" and count == 1)
            or (method == "insert" and count == 2)
            or (method == "extend" and count == 1)
            or (method == "pop" and count <= 1)
            or (method == "remove" and count == 1)
            or (method == "clear" and count == 0)
        )
        if not understood:
            return None
        self.shape_reads.add(id(func.value))
        return method, None

    def _tested(self, test: ast.expr) -> None:
        """A followed dict or list a test only reads (`if info:`, `info is False`,
        `"ip" in filters`) stays followed."""
        if isinstance(test, ast.BoolOp):
            for value in test.values:
                self._tested(value)
        elif isinstance(test, ast.Name) and isinstance(
            self.shapes.get(test.id), DictShape | Positions
        ):
            self.shape_reads.add(id(test))

    def _one_entry(self, op: Op) -> Op:
        """An entry read by an index or a key the code does not name, as `environ[name]`."""
        return ("k", op, ONE_ENTRY) if op is not None and self.secret_cwes else op

    def _dicts_passed(self, node: ast.Call) -> list[str]:
        """Followed dicts passed as arguments (`lookup(context, filters)`): they stay followed
        through the call (see `_stored_by_callee`)."""
        passed: list[str] = []
        for value in [*node.args, *(k.value for k in node.keywords if k.arg is not None)]:
            if (
                isinstance(value, ast.Name)
                and isinstance(shape := self.shapes.get(value.id), DictShape)
                and not shape.options
            ):
                self.shape_reads.add(id(value))
                passed.append(value.id)
        return passed

    def _stored_by_callee(
        self,
        node: ast.Call,
        passed: list[str],
        args: list[Op],
        kwargs: list[tuple[str, Op]],
        star: list[Op],
        spread: list[Op],
        receiver: Op,
    ) -> None:
        """The callee may store into a dict passed to it what it was given with it, under any
        key: the call's other arguments join every entry. The keys known before stay."""
        mine = {("v", name) for name in passed}
        given = _union(
            [
                *(op for op in args if op not in mine),
                *(op for _, op in kwargs if op not in mine),
                *star,
                *spread,
                receiver,
            ]
        )
        for name in passed:
            shape = self.shapes.get(name)
            if isinstance(shape, DictShape):
                shape.store_anywhere(given)

    def _option_key(self, args: list[ast.expr]) -> tuple[str, str] | None:
        """(section, option) of a configparser call, when both are constants (option names
        are case-insensitive: configparser lowers them)."""
        section, option = (self._static(a) for a in args)
        if isinstance(section, str) and isinstance(option, str):
            return section, option.lower()
        return None

    def _reshape(
        self, node: ast.Call, args: list[Op], kwargs: list[tuple[str, Op]] | None = None
    ) -> None:
        """Apply a method `_shape_method` accepted, with the ops of its arguments."""
        func = node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return
        name, method = func.value.id, func.attr
        shape = self.shapes.get(name)
        if isinstance(shape, DictShape) and method == "update":
            given = node.args[0] if node.args else None
            pairs: list[tuple[Any, ast.expr, Op]] = []
            if isinstance(given, ast.Dict):
                ops = self.displays.get(id(given), [args[0]] * len(given.values))
                pairs += [
                    (self._static(k), v, op)
                    for k, v, op in zip(given.keys, given.values, ops, strict=True)
                ]
            done = dict(kwargs or ())
            pairs += [(k.arg, k.value, done.get(k.arg)) for k in node.keywords]
            for key, value, op in pairs:
                shape.items[key] = self._element_of(name, value, op).op
            if len(shape.items) > MAX_ITEMS:
                del self.shapes[name]
            return
        if isinstance(shape, DictShape) and method == "set":
            key = self._option_key(node.args[:2])
            if key is not None and (key in shape.items or len(shape.items) < MAX_ITEMS):
                shape.items[key] = self._element_of(name, node.args[2], args[2]).op
            else:
                del self.shapes[name]
            return
        if not isinstance(shape, ListShape):
            return
        items = shape.items
        positions = [self._static(a) for a in node.args]
        changed: list[Element] | None = None
        match method:
            case "append":
                changed = [*items, self._element_of(name, node.args[0], args[0])]
            case "insert" if isinstance(positions[0], int):
                changed = list(items)
                changed.insert(positions[0], self._element_of(name, node.args[1], args[1]))
            case "extend":
                added = self._extension(name, node.args[0], args[0])
                changed = None if added is None else [*items, *added]
            case "pop" if not positions and items:
                changed = items[:-1]
            case "pop" if (
                positions
                and isinstance(positions[0], int)
                and -len(items) <= positions[0] < len(items)
            ):
                changed = list(items)
                del changed[positions[0]]
            case "remove" if items and _first_of(node.args[0], name, self._static):
                changed = items[1:]  # `args.remove(args[0])`: the first element goes
            case "remove" if positions[0] is not NOT_CONSTANT:
                for position, element in enumerate(items):
                    if element.constants == (positions[0],):
                        changed = items[:position] + items[position + 1 :]
                        break
                    if not element.constants or positions[0] in element.constants:
                        break  # which element goes cannot be told
            case "clear":
                changed = []
        if changed is None or len(changed) > MAX_ITEMS:
            del self.shapes[name]
        else:
            kept = {id(element) for element in changed}
            gone = [e.op for e in items if id(e) not in kept]
            shape.items = changed
            shape.removed = _union([shape.removed, *gone])

    def _extension(self, name: str, expr: ast.expr, op: Op) -> list[Element] | None:
        """The elements `extend(expr)` adds, when they can be told apart."""
        if isinstance(expr, ast.List | ast.Tuple) and not any(
            isinstance(e, ast.Starred) for e in expr.elts
        ):
            ops = self.displays.get(id(expr), [op] * len(expr.elts))
            return [self._element_of(name, e, o) for e, o in zip(expr.elts, ops, strict=True)]
        return None

    def _used_whole(self, node: ast.Name, name: str) -> None:
        """A followed container used as a whole (passed to a call, iterated…): an argument
        list that runs a shell on a command string makes that string a shell command, as the
        display `["sh", "-c", cmd]` does. From here on only the whole container is followed."""
        shape = self.shapes.pop(name)
        if not isinstance(shape, ListShape):
            return
        for constants in alternatives(shape):
            command = _shell_command(list(range(len(constants))), constants.__getitem__)
            if command is not None:
                element = shape.items[command]
                if element.op is not None and not element.reported:
                    self._pseudo_call(SHELL_COMMAND, node, (element.op,))
                return

    def _track_constant(self, target: ast.Name, stmt: ast.AST) -> None:
        """Record the constant `target` holds after `stmt`, or forget the one it held."""
        value: Any = NOT_CONSTANT
        match stmt:
            case ast.Assign(targets=targets, value=assigned) if target in targets:
                value = self._constant(assigned)
            case ast.AnnAssign(target=annotated, value=assigned) if (
                annotated is target and assigned is not None
            ):
                value = self._constant(assigned)
            case ast.AugAssign(target=augmented, op=op, value=assigned) if augmented is target:
                value = self._constant(ast.BinOp(ast.Name(target.id, ast.Load()), op, assigned))
        if value is NOT_CONSTANT or not isinstance(value, _FOLDABLE):
            self.constants.pop(target.id, None)
        else:
            self.constants[target.id] = value

    def _case_decided(self, pattern: ast.pattern, subject: Any) -> bool | None:
        """Whether a `case` pattern matches a constant subject, when that can be told."""
        match pattern:
            case ast.MatchAs(pattern=None):
                return True  # `case _:` and `case name:`
            case ast.MatchValue(value=value) | ast.MatchSingleton(value=value):
                expected = value if not isinstance(value, ast.expr) else self._constant(value)
                return None if expected is NOT_CONSTANT else bool(expected == subject)
            case ast.MatchOr(patterns=patterns):
                outcomes = [self._case_decided(p, subject) for p in patterns]
                if any(outcomes):
                    return True
                return False if all(o is False for o in outcomes) else None
        return None

    def _imported_test(self, test: ast.expr) -> ImportedTest | None:
        """`config.SAFE_MODE`, `not settings.ENABLED`, `backends.KIND == "ldap"`, `X is None`,
        `X in ("a", "b")`, where X is a name imported from another module: what the solver
        needs to decide the test once every module's constants are known."""
        negated = False
        while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            negated, test = not negated, test.operand
        operator, literal = "truth", None
        if isinstance(test, ast.Compare):
            if len(test.ops) != 1 or type(test.ops[0]) not in _DEFERRED_COMPARISONS:
                return None
            literal = self._static(test.comparators[0])
            if literal is NOT_CONSTANT:
                return None
            operator, test = _DEFERRED_COMPARISONS[type(test.ops[0])], test.left
        if not isinstance(test, ast.Name | ast.Attribute):
            return None
        root = _root_name(test)
        binding = self.names.lookup(root) if root is not None else None
        if binding is None or binding.kind is not BindingKind.IMPORT or self._is_local(root):  # type: ignore[arg-type]
            return None
        qualname = self.names.qualname(test)
        if qualname is None or not qualname.startswith(_project_prefix(self.owner.module_name)):
            return None
        return (qualname, operator, literal, negated)

    def _decided(self, test: ast.expr) -> bool | None:
        """True or False when `test` is decided before the program runs, else None."""
        value = self._constant(test)
        return None if value is NOT_CONSTANT else bool(value)

    def _statement(self, node: ast.stmt) -> None:
        out = self.out
        match node:
            case ast.Assign(targets=[ast.Tuple(elts=elts) | ast.List(elts=elts)], value=value) if (
                parts := self._unpacked(elts, value)
            ) is not None:
                # `cmd, arg = ["ls", name]`, `first, *rest = argv`: each name its own element.
                for element, part in zip(elts, parts, strict=True):
                    target = element.value if isinstance(element, ast.Starred) else element
                    self.assign(target, part, node)
            case ast.Assign(targets=targets, value=value):
                op = self.expr(value)
                if (
                    isinstance(value, ast.Lambda)
                    and len(targets) == 1
                    and isinstance(targets[0], ast.Name)
                ):
                    self.lambda_refs[targets[0].id] = self._lambda_qualname(value)
                for target in targets:
                    self.assign(target, op, node)
                self._response_typed(targets, value)
            case ast.AnnAssign(target=target, value=value) if value is not None:
                self.assign(target, self.expr(value), node)
            case ast.AugAssign(target=target, value=value):
                op = _union([self.expr(target), self.expr(value)])
                self.assign(target, op, node)
            case ast.Expr(value=value):
                self.expr(value)
                if (
                    isinstance(value, ast.Call)
                    and self.models.noreturn
                    and self.names.qualname(value.func) in self.models.noreturn
                ):
                    out.append(("end", "raise"))  # flask.abort(400), sys.exit(1)
            case ast.Return(value=value):
                positions = self._returned_positions(value)
                op = self._returned(value) if value is not None else None
                items = self._returned_items(value) if positions is None else positions
                if items is None:
                    out.append(("ret", op, node.lineno, node.col_offset))
                else:
                    out.append(("ret", op, node.lineno, node.col_offset, items))
                out.append(("end", "return"))
            case ast.If(test=test, body=body, orelse=orelse):
                self._tested(test)
                self.expr(test)
                decided = self._decided(test)
                if decided is not None:
                    # A test of constants only: the other branch never runs. What it would
                    # have assigned is set aside, as `_set_aside` says.
                    kept, dropped = (body, orelse) if decided else (orelse, body)
                    constants = dict(self.constants)
                    shapes = {name: shape.copy() for name, shape in self.shapes.items()}
                    aside = _set_aside_block(self.block(dropped))
                    self.constants, self.shapes = constants, shapes
                    kept_block = self.block(kept)
                    if _ends(kept_block):
                        out.extend(kept_block)
                    else:
                        # What the names the kept branch assigns held before does not get past
                        # it either: on the path that skips it, it is set aside too.
                        assigned = {
                            inner.id
                            for statement in kept
                            for inner in ast.walk(statement)
                            if isinstance(inner, ast.Name)
                            and isinstance(inner.ctx, ast.Store)
                            and self._is_local(inner.id)
                        }
                        line, col = node.lineno, node.col_offset
                        aside += tuple(
                            (
                                "set",
                                name,
                                _set_aside(("v", name)),
                                line,
                                col,
                                f"assigned to `{name}`",
                            )
                            for name in sorted(assigned)
                        )
                        out.append(("if", (), (), kept_block, aside))
                    return
                then_guards, else_guards = self.guards(test)
                before = dict(self.constants)
                shapes_before = {name: shape.copy() for name, shape in self.shapes.items()}
                then_block = self.block(body)
                after_then, self.constants = self.constants, before
                shapes_then, self.shapes = self.shapes, shapes_before
                else_block = self.block(orelse)
                self.constants = {
                    name: value
                    for name, value in self.constants.items()
                    if name in after_then and after_then[name] == value
                }
                if _ends(then_block) and not _ends(else_block):
                    pass  # only the else branch goes on: its shapes hold
                elif _ends(else_block) and not _ends(then_block):
                    self.shapes = shapes_then
                else:
                    self.shapes = joined(shapes_then, self.shapes)
                deferred = self._imported_test(test)
                if deferred is not None:
                    # `if config.SAFE_MODE:` of another module: the solver decides it from the
                    # project's table of constants (a branch whose test fails is dead there).
                    then_block = (("only", deferred, True), *then_block)
                    else_block = (("only", deferred, False), *else_block)
                debug = _debug_branch(test)
                if debug == "then":
                    then_block = self._debug_only_block(then_block)
                elif debug == "else":
                    else_block = self._debug_only_block(else_block)
                    # `if not settings.DEBUG: return generic_page()`: what follows runs in debug
                    self.debug_rest = not orelse and _ends(then_block)
                out.append(("if", then_guards, else_guards, then_block, else_block))
            case (
                ast.For(target=target, iter=iterable, body=body, orelse=orelse)
                | ast.AsyncFor(target=target, iter=iterable, body=body, orelse=orelse)
            ):
                bindings = self._iteration(target, iterable)
                saved = self.out
                self.out = []
                for bound_target, op in bindings:
                    self.assign(bound_target, op, node, what="iterated into")
                head = tuple(self.out)
                self.out = saved
                out.append(("loop", head + self.block(body)))
                out.extend(self.block(orelse))
            case ast.While(test=test, body=body, orelse=orelse) if self._decided(test) is False:
                # `while limit > 200:` with `limit = 86`: the body never runs (names the loop
                # assigns were forgotten before the test was judged).
                self.expr(test)
                constants = dict(self.constants)
                shapes = {name: shape.copy() for name, shape in self.shapes.items()}
                out.append(("if", (), (), (), _set_aside_block(self.block(body))))
                self.constants, self.shapes = constants, shapes
                out.extend(self.block(orelse))
            case ast.While(test=test, body=body, orelse=orelse):
                self.expr(test)
                then_guards, _ = self.guards(test)
                out.append(("loop", (("if", then_guards, (), self.block(body), ()),)))
                out.extend(self.block(orelse))
            case ast.With(items=items, body=body) | ast.AsyncWith(items=items, body=body):
                for item in items:
                    op = self.expr(item.context_expr)
                    if item.optional_vars is not None:
                        self.assign(item.optional_vars, op, node, what="opened as")
                    if isinstance(item.optional_vars, ast.Name):
                        # `with requests.Session() as s`: s.get() is requests.Session.get
                        context = item.context_expr
                        made_by = (
                            self.names.qualname(context.func)
                            if isinstance(context, ast.Call)
                            else None
                        )
                        if made_by:
                            self.opened[item.optional_vars.id] = made_by
                        else:
                            self.opened.pop(item.optional_vars.id, None)
                out.extend(self.block(body))
            case (
                ast.Try(body=body, handlers=handlers, orelse=orelse, finalbody=final)
                | ast.TryStar(body=body, handlers=handlers, orelse=orelse, finalbody=final)
            ):
                lowered_handlers = []
                for handler in handlers:
                    saved = self.out
                    self.out = []
                    if handler.name and self._exception_source(handler.type):
                        self.exception_names.add(handler.name)
                        caught = self._text(handler.type) if handler.type else "exception"
                        index = self._source(
                            "exception",
                            f"the {caught} caught as `{handler.name}`",
                            handler.lineno,
                            handler.col_offset,
                        )
                        self.out.append(
                            (
                                "set",
                                handler.name,
                                ("s", index),
                                handler.lineno,
                                handler.col_offset,
                                "",
                            )
                        )
                    elif handler.name:
                        self.out.append(
                            ("set", handler.name, None, handler.lineno, handler.col_offset, "")
                        )
                    head = tuple(self.out)
                    self.out = saved
                    lowered_handlers.append(head + self.block(handler.body))
                out.append(
                    (
                        "try",
                        self.block(body),
                        tuple(lowered_handlers),
                        self.block(orelse),
                        self.block(final),
                    )
                )
            case ast.Raise(exc=exc, cause=cause):
                if exc is not None:
                    self._raised(node, exc)
                if cause is not None:
                    self.expr(cause)
                out.append(("end", "raise"))
            case ast.Continue() | ast.Break():
                out.append(("end", "loop"))
            case ast.Delete(targets=targets):
                for target in targets:
                    if isinstance(target, ast.Name) and self._is_local(target.id):
                        out.append(("set", target.id, None, node.lineno, node.col_offset, ""))
                    else:
                        self.expr(target)
            case ast.Match(subject=subject, cases=cases):
                op = self.expr(subject)
                known = self._constant(subject)
                if known is not NOT_CONSTANT:
                    # A constant subject: the first case that matches it is the one that runs.
                    for case in cases:
                        decided = self._case_decided(case.pattern, known)
                        if decided is None or case.guard is not None:
                            break
                        if decided:
                            for name in _pattern_names(case.pattern):
                                self.constants.pop(name, None)
                                out.append(
                                    (
                                        "set",
                                        name,
                                        op,
                                        case.pattern.lineno,
                                        case.pattern.col_offset,
                                        "matched as",
                                    )
                                )
                            out.extend(self.block(case.body))
                            return
                    else:
                        return  # no case matches
                branches: list[Block] = []
                for case in cases:
                    saved = self.out
                    self.out = []
                    for name in _pattern_names(case.pattern):
                        self.out.append(
                            (
                                "set",
                                name,
                                op,
                                case.pattern.lineno,
                                case.pattern.col_offset,
                                "matched as",
                            )
                        )
                    if case.guard is not None:
                        self.expr(case.guard)
                    head = tuple(self.out)
                    self.out = saved
                    branches.append(head + self.block(case.body))
                chained: Block = ()
                for branch in reversed(branches):
                    chained = (("if", (), (), branch, chained),)
                out.extend(chained)
            case ast.Assert(test=test, msg=msg):
                self.expr(test)
                if msg is not None:
                    self.expr(msg)
            case ast.FunctionDef() | ast.AsyncFunctionDef() | ast.ClassDef():
                if not self.module_level and self._is_local(node.name):
                    out.append(("set", node.name, None, node.lineno, node.col_offset, ""))
            case _:
                pass  # pass, global, nonlocal, import, type aliases: no data flow

    def _track_made(self, name: str, stmt: ast.AST) -> None:
        """What `name` now holds when that changes how calls on it are read: a partial
        application of a function, or an in-memory file."""
        value = (
            getattr(stmt, "value", None) if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
        )
        made = self.names.qualname(value.func) if isinstance(value, ast.Call) else None
        if (
            made in _PARTIALS
            and isinstance(value, ast.Call)
            and value.args
            and not any(isinstance(a, ast.Starred) for a in value.args)
            and all(k.arg is not None for k in value.keywords)
        ):
            self.partials[name] = value
        else:
            self.partials.pop(name, None)
        if made in _BUFFERS:
            self.buffers.add(name)
        else:
            self.buffers.discard(name)

    def assign(self, target: ast.expr, op: Op, stmt: ast.AST, what: str = "assigned to") -> None:
        out = self.out
        line, col = target.lineno, target.col_offset
        if isinstance(target, ast.Name):
            if what != "iterated into":
                self.secret_pairs.discard(target.id)
            self._track_constant(target, stmt)
            self._track_shape(target, stmt, op)
            self._track_condition(target.id, stmt)
            self._track_made(target.id, stmt)
            self._track_path(target.id, stmt)
        stored = (
            getattr(stmt, "value", None) if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
        )
        if isinstance(target, ast.Name):
            value = getattr(stmt, "value", None)
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
                self.loaded_templates[target.id] = value
            else:
                self.loaded_templates.pop(target.id, None)
            if self.owner.environment_classes:
                self._track_environment(target.id, value)
            if self.schema_locals:
                path = self._schema_path(value) if isinstance(value, ast.expr) else None
                if path is not None and isinstance(stmt, ast.Assign | ast.AnnAssign):
                    self.schema_locals[target.id] = path
                else:
                    self.schema_locals.pop(target.id, None)
            parsed = self._parsed_from(value) if isinstance(value, ast.Call) else None
            if parsed is not None:
                self.parsed[target.id] = parsed
            else:
                self.parsed.pop(target.id, None)
            if isinstance(stmt, ast.Assign | ast.AnnAssign) and (
                isinstance(value, ast.Dict | ast.DictComp)
                or (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Name)
                    and value.func.id == "dict"
                )
            ):
                self.dicts.add(target.id)
            elif self.dicts:
                self.dicts.discard(target.id)
        if self.view_returns is not None and isinstance(target, ast.Name):
            value = getattr(stmt, "value", None)
            if isinstance(stmt, ast.AugAssign) and target.id in self.texts:
                pass
            elif value is not None and self._is_text(value):
                self.texts.add(target.id)
            else:
                self.texts.discard(target.id)
        if isinstance(target, ast.Name) and _split_part(stored):
            # `algorithm = encoded.split("$", 1)[0]`: one part of a split value, as when the
            # parts are unpacked (below); a part named as no secret is not the secret.
            op = self._field(op, target.id)
        if isinstance(target, ast.Name | ast.Attribute) and stored is not None:
            name = target.id if isinstance(target, ast.Name) else target.attr
            self._stored_under_secret_name(name, target, op)
            op = self._stored_secret(name, stored, op)
        match target:
            case ast.Name(id=name):
                if self._is_local(name):
                    out.append(("set", name, op, line, col, sys.intern(f"{what} `{name}`")))
                else:
                    out.append(("gset", self.owner.qualify(name), op, line, col))
            case ast.Attribute(value=ast.Name(id=base), attr=attr) if base == self.self_name:
                out.append(("aset", attr, op, line, col))
                value = getattr(stmt, "value", None)
                cls = self.owner.ir.classes.get(self.fir.class_qualname or "")
                if isinstance(value, ast.Name) and value.id in self.typed and cls is not None:
                    cls.attr_types.setdefault(attr, self.typed[value.id].type)
                if isinstance(value, ast.Call) and self.fir.class_qualname:
                    made_by = self.names.qualname(value.func)
                    cls = self.owner.ir.classes.get(self.fir.class_qualname)
                    if made_by and cls is not None:
                        cls.attr_types.setdefault(attr, made_by)
            case ast.Attribute(value=value):
                root = _root_name(value)
                if root is not None and self._is_local(root):
                    stored = ("k", op, FIELD_STORED) if op is not None else None
                    out.append(
                        ("add", root, stored, line, col, f"stored in `{self._text(target)}`")
                    )
                elif root is not None and root != self.self_name:
                    out.append(("gset", self.owner.qualify(root), op, line, col))
                elif root == self.self_name and isinstance(value, ast.Attribute):
                    out.append(("aset", _first_attr(value), op, line, col))
            case ast.Subscript(value=value, slice=key):
                key_op = self.expr(key)
                key_name = self._static(key)
                if isinstance(value, ast.Name) and value.id in self.shapes:
                    self._store_element(value.id, key_name, op, target)
                # The session first: of two sinks at one place, the first is the one reported.
                self._stored_in_session(value, target, key_op, op)
                if isinstance(key_name, str) and stored is not None:
                    self._stored_under_secret_name(key_name, target, op)
                    op = self._stored_secret(key_name, stored, op)
                qualified = self.names.qualname(value)
                if (
                    qualified is not None
                    and qualified.count(".") >= 1
                    and not self._root_is_local(value)
                ):
                    self._pseudo_call(f"{qualified}.__setitem__", target, (key_op, op))
                    return
                root = _root_name(value)
                if root is not None and root == self.self_name and isinstance(value, ast.Attribute):
                    out.append(("aset", _first_attr(value), op, line, col))
                elif root is not None and self._is_local(root):
                    out.append(("add", root, op, line, col, f"stored in `{self._text(target)}`"))
                elif root is not None:
                    out.append(("gset", self.owner.qualify(root), op, line, col))
            case ast.Tuple(elts=elts) | ast.List(elts=elts):
                unpacked = isinstance(
                    stmt, ast.Assign | ast.AnnAssign | ast.For | ast.AsyncFor | ast.comprehension
                )
                # `tmp, info = fetch(url)`: each name gets its own position of what the
                # function returns, when its returns are tuples the solver can tell apart.
                positional = (
                    isinstance(stmt, ast.Assign)
                    and isinstance(op, tuple)
                    and op[0] == "c"
                    and 1 < len(elts) <= MAX_RETURN_ITEMS
                    and not any(isinstance(e, ast.Starred) for e in elts)
                )
                for position, element in enumerate(elts):
                    part = ("e", op, position) if positional else op
                    if unpacked and isinstance(element, ast.Name):
                        # `url, rev, user_pass = split(url)`: the analysis does not keep the
                        # parts apart; a part named as no secret is not the secret.
                        part = self._field(part, element.id)
                    self.assign(
                        element.value if isinstance(element, ast.Starred) else element,
                        part,
                        stmt,
                        what,
                    )
            case ast.Starred(value=value):
                self.assign(value, op, stmt, what)

    # -- guards ---------------------------------------------------------------------------------
    def guards(
        self, test: ast.expr, whole: ast.expr | None = None
    ) -> tuple[tuple[tuple[str, frozenset[int]], ...], tuple[tuple[str, frozenset[int]], ...]]:
        then: list[tuple[str, frozenset[int]]] = []
        orelse: list[tuple[str, frozenset[int]]] = []
        match test:
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                inner_then, inner_else = self.guards(operand, whole or test)
                return inner_else, inner_then
            case ast.BoolOp(op=ast.And(), values=values):
                parts = [self.guards(value, whole or test) for value in values]
                for part in parts:
                    then.extend(part[0])
                # `if a and not ok(x): reject`: past it, some part was false; a guard holds
                # there when every part's failing gives it.
                orelse.extend(_common_guards([part[1] for part in parts]))
            case ast.BoolOp(op=ast.Or(), values=values):
                parts = [self.guards(value, whole or test) for value in values]
                for part in parts:
                    orelse.extend(part[1])
                then.extend(_common_guards([part[0] for part in parts]))
            case ast.NamedExpr(target=ast.Name(id=name), value=value):
                # `if name := parse(header):`: where it is false, `name` is empty.
                inner_then, inner_else = self.guards(value, whole or test)
                then.extend(inner_then)
                orelse.extend(inner_else)
                orelse.append((name, ALL_CWES))
            case ast.Name(id=name):
                condition = self.conditions.get(name)
                if condition is not None:
                    then.extend(condition[0])
                    orelse.extend(condition[1])
                # Where `x` is false it is '', None, 0 or an empty container: it carries nothing.
                orelse.append((name, ALL_CWES))
            case ast.Attribute(attr="netloc" | "hostname", value=parsed) if _tests_scheme(
                whole or test, parsed
            ):
                # `if parts.netloc or parts.scheme: reject`: where both are empty, the URL is a
                # path on this site (the scheme matters: "https:evil.example" has no netloc).
                orelse.extend(self._checked_part(test))
            case ast.Compare(
                left=ast.Constant(value="'" | '"'),
                ops=[ast.In() | ast.NotIn() as op],
                comparators=[ast.Name(id=name)],
            ):
                # `if "'" in name: reject`: where the quote is absent, the value cannot end the
                # quoted XPath literal it is put in.
                (orelse if isinstance(op, ast.In) else then).append((name, _QUOTE_FREE))
            case ast.Compare(
                left=ast.Constant(value=".." | "../"),
                ops=[ast.In() | ast.NotIn() as op],
                comparators=[ast.Name(id=name)],
            ):
                # `if ".." in name: abort(400)`: where it is absent, the value cannot climb out
                # of the directory it is put after (see NO_DOT_DOT).
                (orelse if isinstance(op, ast.In) else then).append((name, _NO_DOT_DOT))
            case ast.Compare(
                left=left, ops=[ast.Eq() | ast.NotEq() as op], comparators=[right]
            ) if fixed := self._fixed_point(left, right) or self._fixed_point(right, left):
                # `if name != os.path.basename(name): abort(400)`: where they are equal, the
                # value is what the sanitizer makes of it.
                (then if isinstance(op, ast.Eq) else orelse).append(fixed)
            case ast.Compare(left=left, ops=[op], comparators=[right]):
                name = left.id if isinstance(left, ast.Name) else None
                checked = self._checked_part(left)
                if checked and (
                    (isinstance(op, ast.In | ast.NotIn) and self._trusted_container(right))
                    or (isinstance(op, ast.Eq | ast.NotEq) and self.names.is_constant(right))
                ):
                    # urlparse(url).hostname in ALLOWED_HOSTS: the host of `url` is checked
                    (then if isinstance(op, ast.In | ast.Eq) else orelse).extend(checked)
                elif isinstance(op, ast.In | ast.NotIn) and name and self._trusted_container(right):
                    (then if isinstance(op, ast.In) else orelse).append((name, ALL_CWES))
                elif (
                    isinstance(op, ast.In | ast.NotIn)
                    and name
                    and isinstance(right, ast.Name)
                    and self._is_local(right.id)
                ):
                    # `if name not in available:` with a local collection: an allow-list when
                    # the collection holds no untrusted data (decided by the solver).
                    guard = (name, ALL_CWES, ("v", right.id))
                    (then if isinstance(op, ast.In) else orelse).append(guard)  # type: ignore[arg-type]
                elif isinstance(op, ast.Eq | ast.NotEq) and name and self.names.is_constant(right):
                    (then if isinstance(op, ast.Eq) else orelse).append((name, ALL_CWES))
                elif isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE | ast.NotEq | ast.Eq):
                    for side in (left, right):
                        if isinstance(side, ast.BinOp) and isinstance(side.op, ast.Mod):
                            # `if total % n > 0: raise`: past the check n divides the total,
                            # so it is no larger than it.
                            side = side.right
                        elif isinstance(op, ast.NotEq | ast.Eq):
                            continue
                        if isinstance(side, ast.Name):
                            then.append((side.id, _BOUND_CHECK))
                            orelse.append((side.id, _BOUND_CHECK))
            case ast.Call(
                func=ast.Attribute(attr="startswith", value=ast.Name(id=name)), args=[prefix]
            ) if _separators(prefix):
                # `if name.startswith("/"): abort(400)`: where it does not, a join cannot let
                # it replace the directory (see RELATIVE).
                orelse.append((name, _RELATIVE))
            case ast.Call(func=ast.Attribute(attr=attr, value=receiver)) if (
                attr in _CONTAINMENT_METHODS
            ):
                for name in _names_in(receiver):
                    then.append((name, frozenset({22})))
            case ast.Call(func=ast.Attribute(attr=attr, value=ast.Name(id=name))) if (
                attr in _VALIDATING_METHODS
            ):
                then.append((name, ALL_CWES))
            case ast.Call(
                func=ast.Attribute(attr=attr, value=receiver), args=[ast.Name(id=name), *_]
            ) if (cleans := self._compiled_check(attr, receiver)) is not None:
                # `if not SAFE_NAME.fullmatch(name): abort(400)` with a compiled constant.
                then.append((name, cleans))
            case ast.Call(func=func, args=args, keywords=keywords) if args or keywords:
                qualified = self.names.qualname(func)
                if qualified == "isinstance" and len(args) == 2 and isinstance(args[0], ast.Name):
                    then.append((args[0].id, ALL_CWES))
                elif (
                    qualified in _ABSOLUTE_TESTS
                    and len(args) == 1
                    and isinstance(args[0], ast.Name)
                ):
                    orelse.append((args[0].id, _RELATIVE))
                elif (
                    qualified in _ANCHORABLE
                    and len(args) >= 2
                    and isinstance(args[1], ast.Name)
                    and (cleans := self._anchored(qualified, args[0])) is not None
                ):
                    # `re.match(r"^[a-z0-9]+$", name)`: the whole value matched, as fullmatch.
                    then.append((args[1].id, cleans))
                elif (
                    qualified in self.models.validators
                    and not self.models.validators[qualified].attributes
                ):
                    validator = self.models.validators[qualified]
                    if validator.covers_arguments:
                        # compare_digest(mac, hmac.new(KEY, data, sha256).digest()): every
                        # value the check covers is authenticated.
                        for arg in args:
                            then.extend((name, validator.cleans) for name in _names_in(arg))
                    else:
                        subject = (
                            args[1]
                            if qualified.endswith("fullmatch") and len(args) > 1
                            else args[0]
                            if args
                            else _checked_keyword(keywords)
                        )
                        if isinstance(subject, ast.Name):
                            then.append((subject.id, validator.cleans))
                elif (
                    args
                    and qualified not in self.models.neutral
                    and _PREDICATE.match(_called_name(test))
                ):
                    # `if not is_within_directory(base, path): raise`: the application's own
                    # check of these values; the branch where it holds trusts them.
                    then.extend((arg.id, ALL_CWES) for arg in args if isinstance(arg, ast.Name))
        if whole is None:
            # `if not s.startswith("'") or not s.endswith("'") or "'" in s[1:-1]: reject`:
            # past it `s` is one quoted string literal, which eval() can only turn into a str.
            for holds, side in ((True, then), (False, orelse)):
                literal = _one_literal(test, holds, self._constant)
                side.extend((name, _CODE_LITERAL) for name in literal)
        return tuple(then), tuple(orelse)

    def _guarded(self, expr: ast.expr, guards: Guards) -> Op:
        """The value of `expr` where `guards` hold (a side of a conditional expression)."""
        op = self.expr(expr)
        if op is None or not isinstance(expr, ast.Name):
            return op
        cwes = frozenset().union(*(g[1] for g in guards if len(g) == 2 and g[0] == expr.id))
        return ("k", op, cwes) if cwes else op

    def _track_condition(self, name: str, stmt: ast.AST) -> None:
        """`ok = is_safe(url)`: a later `if ok:` checks `url`, until either is assigned again."""
        conditions = self.conditions
        if conditions:
            conditions.pop(name, None)
            for kept, (then, orelse) in list(conditions.items()):
                if any(g[0] == name for g in (*then, *orelse)):
                    del conditions[kept]
        value = getattr(stmt, "value", None)
        if isinstance(stmt, ast.Assign) and isinstance(
            value, ast.Call | ast.Compare | ast.BoolOp | ast.UnaryOp
        ):
            then, orelse = self.guards(value)
            then = tuple(g for g in then if g[0] != name)
            orelse = tuple(g for g in orelse if g[0] != name)
            if then or orelse:
                conditions[name] = (then, orelse)

    def _fixed_point(self, value: ast.expr, made: ast.expr) -> tuple[str, frozenset[int]] | None:
        """`value` compared with `sanitizer(value)`: the name and what the sanitizer cleans."""
        if not (
            isinstance(value, ast.Name)
            and isinstance(made, ast.Call)
            and len(made.args) == 1
            and not made.keywords
            and isinstance(made.args[0], ast.Name)
            and made.args[0].id == value.id
        ):
            return None
        sanitizer = self.models.sanitizer_for(self.names.qualname(made.func), None)
        return (value.id, sanitizer.cleans) if sanitizer is not None else None

    def _track_path(self, name: str, stmt: ast.AST) -> None:
        """`path = Path(base) / name`: the methods of `path` are those of `pathlib.Path`."""
        value = getattr(stmt, "value", None)
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and self._path_object(value):
            self.opened[name] = PATH_CLASS
        elif self.opened.get(name) == PATH_CLASS:
            del self.opened[name]

    def _path_object(self, expr: ast.expr | None) -> bool:
        """Whether `expr` is a `pathlib.Path`: made by its class, joined with `/`, or returned by
        one of its methods (`.resolve()`, `.with_suffix(".txt")`) or `.parent`."""
        match expr:
            case ast.Name(id=name) if self._is_local(name):
                return self.opened.get(name) == PATH_CLASS
            case ast.Name(id=name):  # `MEDIA = Path("/srv/media")` at module level
                binding = self.names.lookup(name)
                return (
                    binding is not None
                    and binding.kind is BindingKind.INSTANCE
                    and binding.value in _PATH_CLASSES
                )
            case ast.BinOp(op=ast.Div(), left=left):
                return self._path_object(left)
            case ast.Attribute(attr="parent", value=value):
                return self._path_object(value)
            case ast.Call(func=ast.Attribute(attr=attr, value=value)) if attr in _PATH_METHODS:
                return self._path_object(value)
            case ast.Call(func=func):
                return self.names.qualname(func) in _PATH_CLASSES
        return False

    def _checked_part(self, expr: ast.expr) -> list[tuple[str, frozenset[int]]]:
        """`urlparse(url).hostname` or `parts.hostname` after `parts = urlsplit(url)`: the
        guards a check of this part gives (validators with `attributes` in the models)."""
        if not isinstance(expr, ast.Attribute):
            return []
        value = expr.value
        if isinstance(value, ast.Name) and value.id in self.parsed:
            subject, validator = self.parsed[value.id]
            if expr.attr in validator.attributes:
                return [(subject, validator.cleans), (value.id, validator.cleans)]
            return []
        if isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.Name):
            validator = self.models.validators.get(self.names.qualname(value.func) or "")
            if validator is not None and expr.attr in validator.attributes:
                return [(value.args[0].id, validator.cleans)]
        return []

    def _trusted_container(self, expr: ast.expr) -> bool:
        if self.names.is_constant(expr):
            return True
        if isinstance(expr, ast.Set | ast.List | ast.Tuple | ast.Dict):
            return True
        if isinstance(expr, ast.Name):
            return not self._is_local(expr.id) or expr.id.isupper()
        if isinstance(expr, ast.Attribute):
            return _root_name(expr) != self.self_name or expr.attr.isupper()
        return False

    def _static(self, expr: ast.expr) -> Any:
        """The constant value of `expr`, unless it reads a local (whose binding the walker
        records only as it was last assigned, wherever that is in the function)."""
        if isinstance(expr, ast.Constant):
            return expr.value
        if isinstance(expr, ast.Name):
            return NOT_CONSTANT if self._is_local(expr.id) else self.names.const_value(expr)
        if isinstance(expr, ast.Attribute | ast.Call | ast.Subscript):
            return NOT_CONSTANT if _root_name(expr) else self.names.const_value(expr)
        for node in ast.walk(expr):
            if isinstance(node, ast.Name) and self._is_local(node.id):
                return NOT_CONSTANT
        return self.names.const_value(expr)

    def _constant_name(self, expr: ast.expr) -> str | None:
        """`keys.PORT_GROUP`, `PORT_GROUP`: the name of a constant (upper case, not a local)
        whose value is not known here."""
        if isinstance(expr, ast.Attribute):
            name, root = expr.attr, _root_name(expr)
            if root is None or self._is_local(root):
                return None
        elif isinstance(expr, ast.Name):
            name = expr.id
            if self._is_local(name):
                return None
        else:
            return None
        return name if _CONSTANT_NAME.fullmatch(name) else None

    def _response_typed(self, targets: list[ast.expr], value: ast.expr) -> None:
        """`resp = make_response(body)` remembered; `resp.headers["Content-Type"] = "..."`,
        `resp.mimetype = "..."` or Django's `resp["Content-Type"] = "..."` afterwards give the
        response made its type, as the `content_type` it could have been made with."""
        for target in targets:
            if isinstance(target, ast.Name):
                self.responses.pop(target.id, None)
                if isinstance(value, ast.Call) and self.names.qualname(value.func) in (
                    _RESPONSE_MAKERS
                ):
                    site = next(
                        (
                            c
                            for c in reversed(self.fir.calls)
                            if (c.line, c.col) == (value.lineno, value.col_offset)
                        ),
                        None,
                    )
                    if site is not None:
                        self.responses[target.id] = site
                continue
            owner: ast.expr | None = None
            match target:
                case ast.Subscript(value=ast.Attribute(value=owner, attr="headers"), slice=key) | (
                    ast.Subscript(value=owner, slice=key)
                ):
                    if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                        continue
                    if key.value.lower() != "content-type":
                        continue
                case ast.Attribute(value=owner, attr="content_type" | "mimetype"):
                    pass
                case _:
                    continue
            if not isinstance(owner, ast.Name) or owner.id not in self.responses:
                continue
            media = self._static(value)
            if isinstance(media, str) and "html" not in media.lower():
                self.responses[owner.id].const_kwargs.setdefault("content_type", media)

    def _fixed_table(self, expr: ast.expr) -> bool:
        """A literal or module-level constant container: looking a key up in it picks one of
        its (constant) values, whatever the key."""
        if isinstance(expr, ast.Dict):
            return all(self.names.is_constant(v) for v in expr.values)
        if isinstance(expr, ast.List | ast.Tuple | ast.Set):
            return all(self.names.is_constant(v) for v in expr.elts)
        if isinstance(expr, ast.Name) and not self._is_local(expr.id):
            return self.names.is_constant(expr) or expr.id.isupper()
        return False

    # -- expressions ----------------------------------------------------------------------------
    def expr(self, node: ast.expr) -> Op:
        if self.schema_locals and isinstance(node, ast.Subscript | ast.Call):
            path = self._schema_path(node)
            if path:
                schemas, self.schemas = self.schemas, ()
                locals_, self.schema_locals = self.schema_locals, {}
                try:
                    op = self.expr(node)
                finally:
                    self.schemas, self.schema_locals = schemas, locals_
                return ("k", op, SchemaCheck(schemas, path)) if op is not None else None
        match node:
            case ast.Constant():
                return None
            case ast.Name(id=name):
                return self._name(node, name)
            case ast.Attribute():
                return self._attribute(node)
            case ast.Subscript(value=value, slice=key) if (
                keyed := self._keyed_read(value, key)
            ) is not None:
                return keyed
            case ast.Subscript(value=value, slice=key) if self._set_by_middleware(value, key):
                self.opaque_reads += 1
                return None
            case ast.Subscript(value=ast.Name(id=name), slice=key) if (
                name in self.shapes and (element := self._element(name, key)) is not _NO_ELEMENT
            ):
                return element
            case ast.Subscript(value=ast.Name(id=name), slice=ast.Slice() as part) if (
                isinstance(self.shapes.get(name), ListShape)
                and (kept := self._sliced(name, part)) is not None
            ):
                self.made_from[id(node)] = kept
                items = self.shapes[name].items  # type: ignore[union-attr]
                left = [e.op for e in items if all(e is not k for k in kept.items)]
                return _union([*(e.op for e in kept.items), _set_aside(_union(left))])
            case ast.Subscript(value=value, slice=key):
                named = _NAMES_SECRET.get(self._base_kind(node), True)
                key_op = self.expr(key)
                key_name = self._static(key)
                value_op = self._as_base(value, "key" if isinstance(key_name, str) else "index")
                if key_op is not None and self._fixed_table(value):
                    # SORT_COLUMNS[sort]: a value chosen from a fixed table by the input.
                    return _union([value_op, ("k", key_op, ALL_CWES)])
                if isinstance(key, ast.Slice) and _truncated(key, self._static):
                    return self._secret_clean(value_op)  # token[:6]: a few characters of it
                if key_name == 0 and isinstance(value, ast.Name) and value.id in self.secret_pairs:
                    return self._secret_clean(value_op)  # `pair[0]`: the id of a secret
                if not isinstance(key_name, str):
                    # `settings[keys.PORT_GROUP]`: a key named by a constant whose value this
                    # module cannot see; the constant's name says which field is read.
                    key_name = _entry_name(self._constant_name(key), value)
                if isinstance(key_name, str):
                    secret = self._secret_named(key_name, node) if named else None
                    return _union([self._field(value_op, key_name), secret])
                if value_op is not None and self.secret_cwes:
                    return ("k", value_op, ONE_ENTRY)  # `environ[name]`: one entry
                return value_op
            case ast.Call():
                op = self.call(node)
                if _drops_quote(node):
                    # `name.replace("'", "&apos;")`: no quote is left to end a quoted XPath
                    # literal the value is put in.
                    return ("k", op, _QUOTE_FREE) if op is not None else None
                return op
            case ast.BinOp(op=ast.Add()):
                return self._built_string(_added_parts(node))
            case ast.BinOp(left=left, op=ast.Mod(), right=right) if isinstance(
                self._static(left), str
            ):
                return self._percent_format(self._static(left), right)
            case ast.BinOp(left=left, op=ast.Mod(), right=right) if not isinstance(
                left, ast.Constant | ast.JoinedStr | ast.BinOp
            ):
                # `self.url % kwargs`: a template the program was configured with places the
                # values; whoever wrote it chose the site a URL made from it leads to (a
                # template from the request carries its own taint to the sink).
                values = self.expr(right)
                return _union([self.expr(left), ("k", values, _URL_PART) if values else None])
            case ast.BinOp(left=left, op=ast.Div(), right=right) if self._path_object(left):
                return _union([self.expr(left), _joined(self.expr(right))])
            case ast.BinOp(left=left, right=right):
                return _union([self.expr(left), self.expr(right)])
            case ast.BoolOp(op=op, values=values):
                # `a and b` is the first false operand or the last, `a or b` the first true
                # one: an operand decided by constants is the result, or is not.
                ends = isinstance(op, ast.Or)
                kept: list[Op] = []
                dropped: list[Op] = []
                for position, value in enumerate(values):
                    part = self.expr(value)
                    decided = self._decided(value)
                    if decided is None or decided is ends or position == len(values) - 1:
                        kept.append(part)
                    else:
                        dropped.append(part)
                    if decided is ends:
                        dropped.extend(self.expr(v) for v in values[position + 1 :])
                        break
                return _union([*kept, _set_aside(_union(dropped))])
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                self._tested(operand)
                self.expr(operand)
                return None
            case ast.UnaryOp(operand=operand):
                return self.expr(operand)
            case ast.Compare(left=left, comparators=comparators):
                # `"ip" in filters`, `info is False`: only read
                for operand in (left, *comparators):
                    self._tested(operand)
                    self.expr(operand)
                return None
            case ast.IfExp(test=test, body=body, orelse=orelse):
                self.expr(test)
                decided = self._decided(test)
                if decided is not None:
                    chosen, dropped = (body, orelse) if decided else (orelse, body)
                    return _union([self.expr(chosen), _set_aside(self.expr(dropped))])
                # `url if is_safe(url) else "/"`: each side as the test leaves it.
                then_guards, else_guards = self.guards(test)
                then_op = self._guarded(body, then_guards)
                else_op = self._guarded(orelse, else_guards)
                debug = _debug_branch(test)
                if debug == "then":  # `traceback.format_exc() if settings.DEBUG else "error"`
                    then_op = _debug_only(then_op)
                elif debug == "else":
                    else_op = _debug_only(else_op)
                return _union([then_op, else_op])
            case ast.JoinedStr(values=values):
                return self._built_string(values)
            case ast.FormattedValue(value=value):
                return self.expr(value)
            case ast.Tuple(elts=elts) | ast.List(elts=elts):
                ops = [self.expr(e) for e in elts]
                self.displays[id(node)] = ops
                command = _shell_command(elts, self._static)
                if command is not None and ops[command] is not None:
                    # ["sh", "-c", cmd]: the shell parses `cmd` as a command line.
                    self._pseudo_call(SHELL_COMMAND, elts[command], (ops[command],))
                return _union(ops)
            case ast.Set(elts=elts):
                return _union([self.expr(e) for e in elts])
            case ast.Dict(keys=keys, values=values):
                self._template_setting(node)
                for key, value in zip(keys, values, strict=True):
                    if key is None and isinstance(value, ast.Name) and value.id in self.shapes:
                        self.made_from[id(value)] = self.shapes[value.id].copy()
                # A key named by a constant (`keys.REST_PASSWORD: pw`) names the field the value
                # is stored under; the name is not itself the secret.
                ops = [self.expr(k) for k in keys if k is not None and not self._constant_name(k)]
                for key, value in zip(keys, values, strict=True):
                    op = self.expr(value)
                    name = self._static(key) if key is not None else None
                    if key is not None and not isinstance(name, str):
                        name = self._constant_name(key)
                    if isinstance(name, str):
                        op = self._stored_secret(name, value, op)
                    ops.append(op)
                self.displays[id(node)] = ops[len(ops) - len(values) :]
                return _union(ops)
            case ast.Starred(value=value) | ast.Await(value=value):
                return self.expr(value)
            case ast.NamedExpr(target=target, value=value):
                op = self.expr(value)
                self.assign(target, op, node)
                return op
            case (
                ast.ListComp(elt=elt, generators=generators)
                | ast.SetComp(elt=elt, generators=generators)
                | ast.GeneratorExp(elt=elt, generators=generators)
            ):
                saved = self._generators(generators)
                op = self.expr(elt)
                self.comprehension_names = saved
                return op
            case ast.DictComp(key=key, value=value, generators=generators):
                saved = self._generators(generators)
                op = _union([self.expr(key), self.expr(value)])
                self.comprehension_names = saved
                return op
            case ast.Yield(value=value) | ast.YieldFrom(value=value):
                if value is not None:
                    self.out.append(("ret", self.expr(value), node.lineno, node.col_offset))
                return None
            case ast.Lambda():
                return None
            case ast.Slice(lower=lower, upper=upper, step=step):
                for part in (lower, upper, step):
                    if part is not None:
                        self.expr(part)
                return None
        return None

    # -- built strings --------------------------------------------------------------------------
    def _built_string(self, parts: list[ast.expr]) -> Op:
        """Parts concatenated in order (f-string values, `+` operands), each cleaned for what the
        constant text before it already decides (see _URL_FIXED) or for its numeric format."""
        ops: list[Op] = []
        prefix = ""
        for part in parts:
            op = self.expr(part)
            inner = part.value if isinstance(part, ast.FormattedValue) else part
            value = self._static(inner)
            if value is not NOT_CONSTANT:
                prefix = _grow(prefix, value if isinstance(value, str) else "\0")
                continue
            numeric = (
                isinstance(part, ast.FormattedValue)
                and part.format_spec is not None
                and _NUMERIC_SPEC.match(str(self.names.const_value(part.format_spec)))
            )
            ops.append(self._inserted(op, prefix, bool(numeric)))
            prefix = _grow(prefix, "\0")
        return _union(ops)

    def _percent_format(self, template: str, right: ast.expr) -> Op:
        """`"... %s ..." % values` with a constant template."""
        conversions = [m for m in _PERCENT.finditer(template) if m.group("conv") != "%"]
        prefixes: list[tuple[str, bool]] = []
        position = 0
        text = ""
        for match in conversions:
            text = _grow(text, template[position : match.start()])
            prefixes.append((text, match.group("conv") in _NUMERIC_CONVERSIONS))
            text = _grow(text, "\0")
            position = match.end()
        if isinstance(right, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in right.elts):
            ops = [self.expr(e) for e in right.elts]
            if len(ops) != len(prefixes):
                return _union(ops)
            return _union(
                [self._inserted(op, p, n) for op, (p, n) in zip(ops, prefixes, strict=True)]
            )
        if conversions and all(m.group("key") for m in conversions):
            values = self._mapping_items(right)
            if values is not None:
                # `"… %(name)s …" % {"name": x, "other": y}`: each key where it is placed; a
                # key the template does not name is not in the result.
                placed: dict[str, tuple[str, bool]] = {}
                for (prefix, numeric), match in zip(prefixes, conversions, strict=True):
                    key = match.group("key")
                    placed[key] = (
                        ("\0", placed[key][1] and numeric)
                        if key in placed
                        else (
                            prefix,
                            numeric,
                        )
                    )
                used = [self._inserted(values.get(k), p, n) for k, (p, n) in placed.items()]
                unused = [op for key, op in values.items() if key not in placed]
                return _union([*used, _set_aside(_union(unused))])
        op = self.expr(right)
        if len(prefixes) == 1 and not conversions[0].group("key"):
            return self._inserted(op, *prefixes[0])
        keyed = [p for p, m in zip(prefixes, conversions, strict=True) if m.group("key")]
        if keyed and len(keyed) == len(prefixes) and all(n for _, n in keyed):
            return self._inserted(op, "", True)  # "%(limit)d" % values: numbers only
        return op

    def _mapping_items(self, expr: ast.expr) -> dict[str, Op] | None:
        """What each constant key of a dict display or a followed dict holds (lowering the
        display), or None when the keys cannot all be told."""
        if isinstance(expr, ast.Name):
            shape = self.shapes.get(expr.id)
            if (
                isinstance(shape, DictShape)
                and shape.keyed() is not None
                and all(isinstance(k, str) for k in shape.items)
            ):
                return dict(shape.items)
            return None
        if not isinstance(expr, ast.Dict) or None in expr.keys:
            return None
        keys = [self._static(k) for k in expr.keys if k is not None]
        if not all(isinstance(k, str) for k in keys):
            return None
        self.expr(expr)
        ops = self.displays.get(id(expr))
        if ops is None or len(ops) != len(keys):
            return None
        return dict(zip(keys, ops, strict=True))

    def _format_fields(
        self, template: str, args: list[Op], kwargs: list[tuple[str, Op]]
    ) -> tuple[list[Op], list[tuple[str, Op]]]:
        """`"https://host/{}/{id:d}".format(a, id=b)`: each argument cleaned by its field."""
        try:
            fields = list(string.Formatter().parse(template))
        except ValueError:
            return args, kwargs
        prefix = ""
        seen: dict[int | str, tuple[str, bool]] = {}
        automatic = 0
        for literal, name, spec, _conversion in fields:
            prefix = _grow(prefix, literal)
            if name is None:
                continue
            key: int | str
            head = name.split(".", 1)[0].split("[", 1)[0]
            if head == "":
                key, automatic = automatic, automatic + 1
            elif head.isdigit():
                key = int(head)
            else:
                key = head
            numeric = bool(spec) and bool(_NUMERIC_SPEC.match(spec or "")) and head == name
            if key in seen:  # used twice: the weaker of the two places counts
                seen[key] = ("\0", seen[key][1] and numeric)
            else:
                seen[key] = (prefix, numeric)
            prefix = _grow(prefix, "\0")
        new_args = [self._inserted(op, *seen[i]) if i in seen else op for i, op in enumerate(args)]
        new_kwargs = [
            (name, self._inserted(op, *seen[name]) if name in seen else op) for name, op in kwargs
        ]
        return new_args, new_kwargs

    def _lazy_arguments(self, template: str, args: list[Op]) -> list[Op]:
        """`log.info("user %r, %d tries", name, count)`: the arguments of a constant %-template
        that the callee formats later. `%r` escapes line breaks; `%d` makes a number."""
        conversions = [m for m in _PERCENT.finditer(template) if m.group("conv") != "%"]
        if len(conversions) != len(args) - 1 or any(m.group("key") for m in conversions):
            return args
        out = [args[0]]
        for match, op in zip(conversions, args[1:], strict=True):
            if op is not None and match.group("conv") == "r":
                op = ("k", op, _LINE_BREAKS)
            elif match.group("conv") in _NUMERIC_CONVERSIONS:
                op = self._inserted(op, "", True)
            out.append(op)
        return out

    def _inserted(self, op: Op, prefix: str, numeric: bool) -> Op:
        if op is None:
            return None
        if numeric:  # "%d", "{:.2f}": a number, whatever the value was (int() cleans the same)
            number = self.models.sanitizers.get("int")
            if number is not None:
                return ("k", op, number.cleans)
        cwes: frozenset[int] = frozenset()
        if _URL_FIXED.match(prefix):  # a match within the kept text is a match of the whole
            cwes |= _URL_PART
        if len(prefix) <= PREFIX_LIMIT and _PACKAGE_PREFIX.fullmatch(prefix):
            cwes |= _PACKAGE_PART
        if op is not None and _DIRECTORY_PREFIX.fullmatch(prefix):
            op = ("m", op, _NO_DOT_DOT, _PATH_PART)
        return ("k", op, cwes) if cwes else op

    def _generators(self, generators: list[ast.comprehension]) -> frozenset[str]:
        """Lower the `for … in …` clauses; their targets are locals of the comprehension until
        the caller restores the returned set."""
        saved = self.comprehension_names
        for generator in generators:
            self.comprehension_names = self.comprehension_names | frozenset(
                _target_names(generator.target)
            )
            for bound_target, op in self._iteration(generator.target, generator.iter):
                self.assign(bound_target, op, generator, what="iterated into")
            for condition in generator.ifs:
                self.expr(condition)
        return saved

    def _name(self, node: ast.Name, name: str) -> Op:
        if name in self.shapes and id(node) not in self.shape_reads:
            shape = self.shapes[name]
            self._used_whole(node, name)
            if self._is_local(name) and isinstance(shape, ListShape):
                # What it holds now, not all it ever held (`args.pop()` took one out).
                return _union([*(e.op for e in shape.items), _set_aside(shape.removed)])
        base = self._base_kind(node)
        whole = base is None
        binding = self.names.lookup(name)
        if binding is not None and binding.kind is BindingKind.IMPORT:
            source = self.models.source_for(binding.value)
            if source is not None and source.name == binding.value:
                op = self._model_source(source, source.name, node)
                return self._whole_container(op, node, name, whole)
            self.opaque_reads += 1  # an imported name: whatever the other module made it
            if isinstance(binding.value, str):
                self.imported_reads.append(binding.value)
            return None
        if (
            not self._is_local(name)
            and _NAMES_SECRET.get(base, True)
            and (binding is None or binding.kind is not BindingKind.DEFINITION)
        ):
            # A module-level secret (`API_KEY = os.environ[...]`, `SECRET_KEY = "…"`); locals
            # and parameters are secrets where they are assigned.
            secret = self._secret_named(name, node, name)
            if secret is not None:
                return _union([self._plain_name(node, name, binding), secret])
        return self._plain_name(node, name, binding)

    def _plain_name(self, node: ast.Name, name: str, binding: Any) -> Op:
        if self._is_local(name):
            # Before the constant check: the walker keeps a local's last binding, so
            # `target = request.args["to"]; ...; target = "/"` would make every use constant.
            return ("v", name)
        if binding is not None and binding.kind is BindingKind.CONSTANT:
            return None
        if binding is not None and binding.kind is BindingKind.DEFINITION:
            return None
        if binding is not None or name in self.names.module.bindings:
            return ("g", self.owner.qualify(name))
        self.opaque_reads += 1
        return None

    def _attribute(self, node: ast.Attribute) -> Op:
        base = self._base_kind(node)
        if node.attr == "__dict__":
            return self._fields_of(node.value, node)
        if (
            isinstance(node.value, ast.Name)
            and node.value.id == self.self_name
            and self.self_name
            and self._class_constant(node.attr) is not NOT_CONSTANT
        ):
            return None  # `self.TABLE`, `cls.LIBRARY`: a literal of the class body
        op = self._attribute_value(node, base is None)
        if node.attr in _FINAL_PARTS and op is not None and self._path_object(node.value):
            op = ("k", op, _PATH_PART)  # `Path(name).name`: the last part, with no directory
        if not self.secret_cwes:
            return op
        named = self._secret_named(node.attr, node)
        return _union(
            [op, named if _NAMES_SECRET.get(base, True) else None, self._option_read(node)]
        )

    def _attribute_value(self, node: ast.Attribute, whole: bool) -> Op:
        if node.attr in _EXCEPTION_NUMBERS and _root_name(node) in self.exception_names:
            self.opaque_reads += 1
            return None  # err.returncode, err.response.status_code: a number, not the text
        qualified = self.names.qualname(node)
        if qualified is not None:
            source = self.models.source_for(qualified)
            if self._fixed_path(qualified):
                return None  # `request.path` in a view of `/reports/daily` only
            if source is not None:
                op = self._model_source(source, source.name, node)
                return self._whole_container(op, node, node.attr, whole)
            root = _root_name(node)
            if root is not None and not self._root_is_local(node):
                binding = self.names.lookup(root)
                if binding is not None and binding.kind in (BindingKind.IMPORT, BindingKind.ALIAS):
                    if self.names.const_value(node) is NOT_CONSTANT:
                        self.opaque_reads += 1
                        self.imported_reads.append(qualified)
                    return None  # a module attribute such as os.sep
        value = node.value
        typed = self._typed_attribute(value)
        if typed is not None and node.attr in typed.attributes:
            shown = self._text(node)
            op = ("s", self._source(typed.kind, shown, node.lineno, node.col_offset))
            op = _typed_trust(typed, node.attr, op)
            return self._whole_container(op, node, node.attr, whole)
        if isinstance(value, ast.Name):
            if value.id == self.self_name and self.self_name is not None:
                if node.attr in self.controller_attrs:
                    op = (
                        "s",
                        self._source("remote", f"self.{node.attr}", node.lineno, node.col_offset),
                    )
                    return self._whole_container(op, node, node.attr, whole)
                return ("a", node.attr)
            typed = self.typed.get(value.id)
            if typed is not None and node.attr in typed.attributes:
                op = (
                    "s",
                    self._source(
                        typed.kind, f"{value.id}.{node.attr}", node.lineno, node.col_offset
                    ),
                )
                op = _typed_trust(typed, node.attr, op)
                return self._whole_container(op, node, node.attr, whole)
        op = self._as_base(value, "attr")
        if isinstance(value, ast.Name) and value.id == self.self_name:
            return op
        return self._field(op, node.attr)

    def _typed_attribute(self, value: ast.expr) -> TypedSource | None:
        """`self.request` where the class keeps a request object there (declared
        `request: flask.Request`, or assigned a parameter of that type)."""
        match value:
            case ast.Attribute(value=ast.Name(id=base), attr=attr) if (
                base == self.self_name and self.self_name is not None
            ):
                cls = self.owner.ir.classes.get(self.fir.class_qualname or "")
                held = cls.attr_types.get(attr) if cls is not None else None
                return self.models.typed_sources.get(held or "")
        return None

    def _lambda_qualname(self, node: ast.Lambda) -> str:
        scope = self.names.current.name
        return self.owner.qualify(
            f"{scope + '.' if scope else ''}<lambda:{node.lineno}:{node.col_offset}>"
        )

    # -- calls ----------------------------------------------------------------------------------
    def call(self, node: ast.Call) -> Op:
        func = node.func
        if isinstance(func, ast.Name) and func.id in self.partials:
            # The partial's function called with its stored arguments first, then these.
            made = self.partials[func.id]
            node = ast.copy_location(
                ast.Call(
                    func=made.args[0],
                    args=[*made.args[1:], *node.args],
                    keywords=[*made.keywords, *node.keywords],
                ),
                node,
            )
            func = node.func
        shaped = self._shape_method(node)
        if shaped is not None and shaped[0] == "get":
            return shaped[1]
        qualified = self.names.qualname(func)
        method = func.attr if isinstance(func, ast.Attribute) else None
        if qualified in _BUFFERS and not node.keywords and len(node.args) <= 1:
            return _union([self.expr(arg) for arg in node.args])  # its contents: what it was given
        if (
            method in _BUFFER_READS
            and isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id in self.buffers or self.opened.get(func.value.id) in _BUFFERS)
        ):
            for arg in node.args:
                self.expr(arg)
            return self.expr(func.value)  # `buf.getvalue()`: everything written to it
        receiver: Op = None
        self_method = False
        opened = False
        extra: list[Op] = []
        if isinstance(func, ast.Name) and func.id in self.lambda_refs:
            qualified = self.lambda_refs[func.id]
        elif qualified is None and isinstance(func, ast.Name) and func.id[:1].isupper():
            qualified = func.id  # `Info = namedtuple(...)`; `Info(...)` makes an object
        if (
            qualified == "vars"
            and len(node.args) == 1
            and not node.keywords
            and not isinstance(node.args[0], ast.Starred)
        ):
            return self._fields_of(node.args[0], node)
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("get", "pop")
            and 1 <= len(node.args) <= 2
            and not node.keywords
            and (keyed := self._keyed_read(func.value, node.args[0])) is not None
        ):
            default = self.expr(node.args[1]) if len(node.args) == 2 else None
            return _union([keyed, default])
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "get"
            and node.args
            and self._set_by_middleware(func.value, node.args[0])
        ):
            for arg in node.args[1:]:
                self.expr(arg)
            self.opaque_reads += 1
            return None
        if qualified == "map" and len(node.args) >= 2 and not node.keywords:
            mapped = self._mapped_function(node.args[0])
            if mapped is not None:
                return self._map(node, mapped)
        reads, receiver_start = self.opaque_reads, len(self.imported_reads)
        if isinstance(func, ast.Attribute):
            root_local = self._root_is_local(func.value)
            if (
                isinstance(func.value, ast.Name)
                and func.value.id == self.self_name
                and self.self_name
            ):
                self_method = True
            elif qualified is None or root_local:
                receiver = self._as_base(func.value, "receiver")
                if isinstance(func.value, ast.Name):
                    typed = self.typed.get(func.value.id)
                    if typed is not None and method in typed.methods:
                        made: Op = (
                            "s",
                            self._source(
                                typed.kind,
                                f"{func.value.id}.{method}()",
                                node.lineno,
                                node.col_offset,
                            ),
                        )
                        extra.append(_typed_trust(typed, method or "", made))
            if qualified is not None and root_local and not self._instance_root(func.value):
                qualified = None  # a method of a local value: only its name is known
            if qualified is None and isinstance(func.value, ast.Name):
                made_by = self.opened.get(func.value.id)
                if made_by is not None:
                    qualified, opened = f"{made_by}.{func.attr}", True
            elif qualified is None and self._path_object(func.value):
                # `(base / name).open()`, `Path(base, name).resolve().unlink()`
                qualified, opened = f"{PATH_CLASS}.{func.attr}", True
            elif qualified is None and isinstance(func.value, ast.Call):
                # `LocalBackend().remove_file(...)`: a method of a freshly made instance.
                made_by = self.names.qualname(func.value.func)
                if (
                    made_by is not None
                    and made_by.rpartition(".")[2][:1].isupper()
                    and self.models.source_for(made_by) is None
                ):
                    qualified, opened = f"{made_by}.{func.attr}", True
                elif made_by is not None and (
                    f"{made_by}.{func.attr}" in self.models.template_renders
                ):
                    # `env.get_template("page.html").render(...)`
                    qualified = f"{made_by}.{func.attr}"
        elif not isinstance(func, ast.Name):
            receiver = self.expr(func)
        args: list[Op] = []
        star: list[Op] = []
        spread: list[Op] = []  # `**mapping` arguments
        positional = node.args
        render = self.models.template_renders.get(qualified) if qualified else None
        if (
            render is not None
            and render.legacy_name_pos is not None
            and node.args
            and isinstance(self._static(node.args[0]), str)
        ):
            render = render.legacy()  # Starlette's `TemplateResponse("page.html", {...})`
        # A render call's context held in a followed dict (`ctx = {"x": x}`): taken key by key
        # before the call's use of the whole dict ends the following.
        context = _context_argument(node, render) if render is not None else None
        context_shape = self.shapes.get(context.id) if isinstance(context, ast.Name) else None
        context_items = (
            dict(context_shape.items)
            if isinstance(context_shape, DictShape) and context_shape.keyed() is not None
            else None
        )
        if qualified in _TUPLE_RESPONSES and len(positional) == 1:
            match positional[0]:
                case ast.Tuple(elts=elements) if elements and not any(
                    isinstance(e, ast.Starred) for e in elements
                ):
                    positional = elements  # `make_response((body, headers))` is (body, headers)
        opaque: set[int | str] = set()
        if self.opaque_reads != reads or (
            receiver is None
            and isinstance(func, ast.Attribute)
            and not self._known_receiver(func.value)
        ):
            opaque.add("<receiver>")
        imported: dict[int | str, tuple[str, ...]] = {}
        if "<receiver>" in opaque:  # `settings.QUERY.strip()`
            names = self._imported_since(reads, receiver_start)
            if names == () and receiver is None:
                names = self._imported_receiver(func)
            if names:
                imported["<receiver>"] = names
        passed = self._dicts_passed(node)
        for arg in positional:
            reads, start = self.opaque_reads, len(self.imported_reads)
            if isinstance(arg, ast.Starred):
                star.append(self.expr(arg.value))
                if self.opaque_reads != reads:
                    opaque.add("*")
            else:
                args.append(self.expr(arg))
                if self.opaque_reads != reads:
                    opaque.add(len(args) - 1)
                    names = self._imported_since(reads, start)
                    if names is not None:
                        imported[len(args) - 1] = names
        kwargs: list[tuple[str, Op]] = []
        const_kwargs: dict[str, Any] = {}
        # `dict(password=pw)`, `Credentials(admin_pass=pw)`: fields of the object made.
        fields = qualified == "dict" or _called_name(node)[:1].isupper()
        # `f(**kwargs)`, `render_template("page.html", **context)` with a followed dict: its
        # keys are keyword arguments, each with its own value, so a secret under one key does
        # not reach every parameter.
        unpacked = {
            id(k.value): dict(shape.items)
            for k in node.keywords
            if k.arg is None
            and isinstance(k.value, ast.Name)
            and isinstance(shape := self.shapes.get(k.value.id), DictShape)
            and shape.keyed() is not None
            and all(isinstance(key, str) for key in shape.items)
        }
        for keyword in node.keywords:
            if keyword.arg is None and id(keyword.value) in unpacked:
                # `**kwargs` passes a copy of the dict: it stays followed after the call.
                items = unpacked[id(keyword.value)]
                kwargs.extend((k, v) for k, v in items.items() if isinstance(k, str))
                continue
            reads, start = self.opaque_reads, len(self.imported_reads)
            op = self.expr(keyword.value)
            if self.opaque_reads != reads:
                opaque.add(keyword.arg or "*")
                names = self._imported_since(reads, start)
                if names is not None and keyword.arg:
                    imported[keyword.arg] = names
            if keyword.arg is None and isinstance(keyword.value, ast.Dict):
                items = self._display_items(keyword.value)
                if items is not None:
                    kwargs.extend((k, v) for k, v in items.items() if isinstance(k, str))
                    continue
            if keyword.arg is None:
                spread.append(op)
                if isinstance(keyword.value, ast.Name):
                    self._intact_kwargs(keyword.value.id)  # marks the IR for _Forwarded
                continue
            if fields:
                op = self._stored_secret(keyword.arg, keyword.value, op)
            kwargs.append((keyword.arg, op))
            value = self.names.const_value(keyword.value)
            if value is NOT_CONSTANT:
                value = self.names.qualname(keyword.value) or UNKNOWN
            const_kwargs[keyword.arg] = value
        if (
            qualified in _JSON_FOR_CONTAINERS
            and node.args
            and isinstance(node.args[0], ast.Dict | ast.List | ast.DictComp | ast.ListComp)
        ):
            # Flask serialises a dict or list body as JSON.
            const_kwargs.setdefault("content_type", "application/json")
        if qualified == "dict" and not node.args and all(k.arg for k in node.keywords):
            self.displays[id(node)] = [op for _, op in kwargs]  # followed key by key when assigned
        self._option_declared(node, qualified, const_kwargs)
        folder = self.models.template_folders.get(qualified) if qualified else None
        if folder is not None:
            self._template_folder(node, folder.pos, folder.kwarg, folder.base)
        if context is not None:
            kwargs.extend(self._context_keys(context, context_items))
        if qualified in _PATH_JOINS and len(args) > 1:
            args = [args[0], *(_joined(op) for op in args[1:])]  # `os.path.join(BASE, name)`
        elif qualified == f"{PATH_CLASS}.joinpath":
            args = [_joined(op) for op in args]  # `base.joinpath(name)`
        if method == "format" and not star and not spread and isinstance(func, ast.Attribute):
            template = self._static(func.value)
            if isinstance(template, str):
                args, kwargs = self._format_fields(template, args, kwargs)
        elif len(args) > 1 and not star and not spread and len(args) == len(node.args):
            template = self._static(node.args[0])
            if isinstance(template, str) and "%" in template:
                args = self._lazy_arguments(template, args)
        bound = (
            self_method
            or opened
            or (isinstance(func, ast.Attribute) and self._instance_root(func.value))
        )
        if node.args and (
            render is not None
            or self.models.sinks_for(
                qualified,
                method if qualified is None or bound else None,
                False,
                self._owners(func),
            )
        ):
            for position, arg in enumerate(positional):  # "#1": a positional argument
                value = self._static(arg)
                if value is NOT_CONSTANT:
                    value = self.names.qualname(arg) or UNKNOWN
                const_kwargs[f"#{position}"] = value
        if render is not None and render.name_from_receiver and isinstance(func, ast.Attribute):
            name = self._receiver_template(func.value, render)
            if name is not None:
                raw = self._unescaping_environment(func.value)
                const_kwargs[TEMPLATE_RAW_KEY if raw else TEMPLATE_NAME_KEY] = name
        receiver_attr = None
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Attribute)
            and isinstance(func.value.value, ast.Name)
            and func.value.value.id == self.self_name
            and self.self_name
        ):
            receiver_attr = func.value.attr
        site = self._site(
            node,
            qualified,
            method,
            receiver,
            tuple(args),
            tuple(kwargs),
            _union([*star, *spread]),
            const_kwargs,
            self_method,
            bound,
        )
        site.receiver_attr = receiver_attr
        variants = self.owner.variants
        if variants is not None and variants.by_call:
            site.variant = variants.by_call.get(id(node), "")
        # Most calls have neither: one shared empty value each instead of one per call site.
        site.opaque = frozenset(opaque) if opaque else _NOTHING_OPAQUE
        site.imported = imported if imported else _NOTHING_IMPORTED
        if qualified in ("setattr", "delattr") and node.args:
            target = self.names.qualname(node.args[0])
            if target is not None and not self._root_is_local(node.args[0]):
                attr = self.names.const_value(node.args[1]) if len(node.args) > 1 else None
                # `setattr(settings, name, value)`: any value of that module may change.
                self.fir.module_writes.add(f"{target}.{attr if isinstance(attr, str) else '*'}")
        if shaped is not None:
            self._reshape(node, args, kwargs)
        if passed:
            self._stored_by_callee(node, passed, args, kwargs, star, spread, receiver)
        if spread:
            site.star_kwargs = _union(spread)
            site.star_args = _union(star)
        if self.response is not None and (receiver_attr is not None or self_method):
            called = f"{receiver_attr}.{method}" if receiver_attr is not None else method
            self._response_call(self.response, node, called or "", args)
        if method == "get" and args and self._fixed_table(func.value):  # type: ignore[union-attr]
            extra.append(("k", args[0], ALL_CWES))  # SORT_COLUMNS.get(sort, "name")
        if (
            method in ("write", "writelines")
            and isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id in self.buffers or self.opened.get(func.value.id) in _BUFFERS)
        ):
            self._mutated(func.value, _union(args), node)
        if method in _MUTATORS and qualified is None and isinstance(func, ast.Attribute):
            everything = _union([*args, *(op for _, op in kwargs), *star, *spread])
            self._mutated(func.value, everything, node)
        if qualified is not None:
            source = self.models.source_for(qualified)
            if source is not None and not self._fixed_path(qualified):
                if source.seeded_kind and self._seeded(node, source.name):
                    source = replace(source, kind=source.seeded_kind)
                extra.append(self._model_source(source, f"{qualified}()", node))
        if len(node.args) + len(node.keywords) > 1 and not star and not spread:
            self._callbacks(node, args, kwargs)
        result: Op = ("c", site.index)
        if self._keeps_only_word_characters(qualified, node):
            result = ("k", result, ALL_CWES)  # re.sub(r"[^A-Za-z0-9_]", "", name)
        if method == "replace" and node.args:
            old = self._static(node.args[0])
            if isinstance(old, str) and "\n" in old:
                result = ("k", result, _LINE_BREAKS)  # value.replace("\n", " "): one log line
        if self.secret_cwes:
            extra.append(self._looked_up_secret(node, qualified, method))
            if receiver is None and not self_method and isinstance(func, ast.Attribute):
                extra.append(self._secret_receiver(func.value))
            if method in _LOOKUPS and node.args:
                key = self._static(node.args[0])
                if isinstance(key, str):
                    result = self._field(result, key)
                elif method != "getenv":
                    result = ("k", result, ONE_ENTRY)  # `container.get(name)`: one entry
            short = (qualified or "").rpartition(".")[2] or _called_name(node)
            if (
                self.secret_names.is_masker(short)  # mask_password(...), redact(...)
                or (qualified in _KEY_VIEWS and node.args and self._keys_of_dict(node.args[0]))
                or (method == "keys" and self._keys_of_dict(func.value))  # type: ignore[attr-defined]
                or (method == "join" and node.args and self._keys_of_dict(node.args[0]))
            ):
                result = self._secret_clean(result)
        return _union([result, *extra])

    def _template_folder(
        self, node: ast.Call, pos: int | None, kwarg: str | None, base: str
    ) -> None:
        """`Flask(__name__, template_folder="views")`, `FileSystemLoader("tpl")`: a template
        directory with a constant path, kept for discovery."""
        value: ast.expr | None = None
        if kwarg is not None:
            value = next((k.value for k in node.keywords if k.arg == kwarg), None)
        if value is None and pos is not None and pos < len(node.args):
            value = node.args[pos]
        if value is not None:
            self._template_paths(value, base)

    def _template_setting(self, node: ast.Dict) -> None:
        """Django's `TEMPLATES = [{"BACKEND": ..., "DIRS": [BASE_DIR / "views"]}]`."""
        found = {self._static(k): v for k, v in zip(node.keys, node.values, strict=True) if k}
        dirs = found.get("DIRS")
        if "BACKEND" in found and dirs is not None:
            self._template_paths(dirs, "project")

    def _template_paths(self, value: ast.expr, base: str) -> None:
        items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
        known = self.owner.ir.template_dirs
        for item in items[:16]:
            path = self._static(item)
            where = base
            if not isinstance(path, str):
                # `BASE_DIR / "views"`, `os.path.join(BASE_DIR, "views")`: the constant tail,
                # under the project.
                tail: ast.expr | None = None
                if isinstance(item, ast.BinOp) and isinstance(item.op, ast.Div):
                    tail = item.right
                elif (
                    isinstance(item, ast.Call)
                    and item.args
                    and not item.keywords
                    and self.names.qualname(item.func) in {"os.path.join", "posixpath.join"}
                ):
                    tail = item.args[-1]
                path = self._static(tail) if tail is not None else None
                where = "project"
            if isinstance(path, str) and path and len(known) < 64:
                known.append((path, where))

    def _display_items(self, node: ast.expr) -> dict[Any, Op] | None:
        """A lowered dict display's values by constant key; None if a key is not constant."""
        if not isinstance(node, ast.Dict):
            return None
        ops = self.displays.get(id(node))
        keys = [self._static(k) if k is not None else NOT_CONSTANT for k in node.keys]
        if ops is None or len(ops) != len(keys) or any(not isinstance(k, str) for k in keys):
            return None
        return dict(zip(keys, ops, strict=True))

    def _template_context(self, value: ast.expr) -> Op:
        """`return {"q": q}` of a handler whose decorator renders a template with what it
        returns: a call of the render, with the name and the dict's keys as the context."""
        assert self.template_returns is not None
        call, name = self.template_returns
        shape = self.shapes.get(value.id) if isinstance(value, ast.Name) else None
        items = shape.keyed() if isinstance(shape, DictShape) else None
        op = self.expr(value)
        site = self._site(
            value,
            call,
            None,
            None,
            (op,),
            tuple(self._context_keys(value, items)),
            None,
            {TEMPLATE_NAME_KEY: name},
            False,
            False,
        )
        site.text = f"returned to @{call.rpartition('.')[2]}({name!r}): {site.text}"
        return op

    def _track_environment(self, name: str, value: Any) -> None:
        """`env = jinja2.Environment(loader=..., autoescape=...)`: whether it escapes."""
        store = self.owner.environments if self.module_level else self.environments
        func = value.func if isinstance(value, ast.Call) else None
        leaf = getattr(func, "attr", None) or getattr(func, "id", None)
        made = self.names.qualname(func) if func is not None and leaf in _ENVIRONMENTS else None
        escaping = self.owner.environment_classes.get(made or "")
        if escaping is None:
            store.pop(name, None)
            return
        keyword, default = escaping
        given = next((k.value for k in value.keywords if k.arg == keyword), None)
        if given is None:
            escapes: bool | None = default if not value.args else None
        else:
            folded = self._static(given)
            # select_autoescape(), a function, a setting: decided at run time
            escapes = bool(folded) if isinstance(folded, bool | int | str | None) else None
        store[name] = escapes

    def _unescaping_environment(self, receiver: ast.expr) -> bool:
        """Whether the template `receiver` is (or was loaded into) comes from an environment
        this module made with escaping off."""
        made: ast.expr | None = receiver
        if isinstance(receiver, ast.Name):
            made = self.loaded_templates.get(receiver.id)
        if not isinstance(made, ast.Call) or not isinstance(made.func, ast.Attribute):
            return False
        owner = made.func.value
        if not isinstance(owner, ast.Name):
            return False
        if owner.id in self.environments:
            return self.environments[owner.id] is False
        return self.owner.environments.get(owner.id) is False

    def _receiver_template(self, receiver: ast.expr, render: Any) -> str | None:
        """The constant template name of `env.get_template("page.html")`, called in place or
        assigned to the local the render method is called on."""
        made: ast.expr | None = receiver
        if isinstance(receiver, ast.Name):
            made = self.loaded_templates.get(receiver.id)
        if not isinstance(made, ast.Call):
            return None
        position = render.name_pos if render.name_pos is not None else 0
        argument = made.args[position] if position < len(made.args) else None
        if argument is None or any(isinstance(a, ast.Starred) for a in made.args[:position]):
            argument = next((k.value for k in made.keywords if k.arg == "name"), None)
        value = self._static(argument) if argument is not None else NOT_CONSTANT
        return value if isinstance(value, str) else None

    def _context_keys(self, context: ast.expr, items: dict[Any, Op] | None) -> list[tuple[str, Op]]:
        """The values of a render call's context by key, as keywords `<context>.key` of the
        call site: a display `{"x": x}`, `dict(x=x)`, or a followed local dict."""
        if items is None:
            items = self._display_items(context)
        if (
            items is None
            and isinstance(context, ast.Call)
            and not context.args
            and self.names.qualname(context.func) == "dict"
        ):
            where = (context.lineno, context.col_offset)
            site = next((c for c in reversed(self.fir.calls) if (c.line, c.col) == where), None)
            if site is not None and site.star is None:
                items = dict(site.kwargs)
        if items is None:
            return []
        return [(f"{CONTEXT_KEY}{key}", op) for key, op in items.items() if isinstance(key, str)]

    def _raised(self, node: ast.Raise, exc: ast.expr) -> None:
        """`raise X(message)`: a call of `raise` with the exception's arguments, for models that
        make the message of a raised exception a sink."""
        op = self.expr(exc)
        if not self.models.sinks_for("raise", None):
            return
        message = op
        calls = self.fir.calls
        site = calls[-1] if isinstance(exc, ast.Call) and calls else None
        if site is not None and (site.line, site.col) == (exc.lineno, exc.col_offset):
            # The arguments themselves: what a library's exception class does with them (its
            # message) is out of sight.
            message = _union([*site.args, *(o for _, o in site.kwargs), site.star])
            shown = _MESSAGE_ARGUMENTS.get(site.callee or "")
            if shown is not None and not site.kwargs and site.star is None:
                message = _union([site.args[i] for i in shown if i < len(site.args)])
        if message is not None:
            self._pseudo_call("raise", node, (message,))

    def _parsed_from(self, call: ast.Call) -> tuple[str, SanitizerModel] | None:
        if not call.args or not isinstance(call.args[0], ast.Name):
            return None
        validator = self.models.validators.get(self.names.qualname(call.func) or "")
        if validator is None or not validator.attributes:
            return None
        return call.args[0].id, validator

    def _schema_decorator(self, decorator: ast.Call, validated: Any, fir: FunctionIR) -> None:
        position = validated.pos if validated.pos is not None else 0
        argument = decorator.args[position] if position < len(decorator.args) else None
        if argument is None:
            argument = next((k.value for k in decorator.keywords if k.arg == validated.kwarg), None)
        if argument is None or validated.param not in fir.params:
            return
        schema = fold_constant(argument, self.names, self.owner.module_name)
        self.schemas = (*self.schemas, schema)
        self.schema_locals[validated.param] = ()
        fir.schema_checked = True

    def _schema_path(self, node: ast.expr) -> tuple[str, ...] | None:
        """The key path of a read of the validated parameter (`body["server"]["name"]`,
        `server.get("name")` with `server = body["server"]`), or None."""
        keys: list[str] = []
        for _ in range(8):
            match node:
                case ast.Subscript(value=value, slice=key):
                    name = self._static(key)
                case ast.Call(
                    func=ast.Attribute(value=value, attr="get"), args=[key, *rest], keywords=[]
                ) if len(rest) <= 1 and all(isinstance(r, ast.Constant) for r in rest):
                    name = self._static(key)
                case ast.Name(id=local) if local in self.schema_locals:
                    return (*self.schema_locals[local], *reversed(keys))
                case _:
                    return None
            if not isinstance(name, str):
                return None
            keys.append(name)
            node = value
        return None

    def _template_decorator(self, decorator: ast.Call, render: Any) -> None:
        position = render.name_pos if render.name_pos is not None else 0
        argument = decorator.args[position] if position < len(decorator.args) else None
        if argument is None:
            argument = next(
                (k.value for k in decorator.keywords if k.arg == render.name_kwarg), None
            )
        name = self._static(argument) if argument is not None else NOT_CONSTANT
        if isinstance(name, str):
            self.template_returns = (render.call, name)

    def _returned(self, value: ast.expr) -> Op:
        """The value of a `return`; in a routed view also what the framework sends back."""
        if self.template_returns is not None:
            return self._template_context(value)
        if self.view_returns is None:
            return self.expr(value)
        first = value.elts[0] if isinstance(value, ast.Tuple) and value.elts else value
        if isinstance(value, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in value.elts):
            parts = [self.expr(e) for e in value.elts]  # (body, status, headers)
            op, body = _union(parts), parts[0]
        else:
            op = body = self.expr(value)
        text = body if self._is_text(first) else None
        self._site(
            value,
            self.view_returns,
            None,
            None,
            (text, op),
            (),
            None,
            self.view_kwargs,
            False,
            False,
        )
        return op

    def _returned_positions(self, value: ast.expr | None) -> tuple[Op, ...] | None:
        """`return info` of a list followed by position: what each position holds."""
        shape = self.shapes.get(value.id) if isinstance(value, ast.Name) else None
        if isinstance(shape, Positions) and shape.items:  # else: what the call returned
            return tuple(shape.at(i) for i in range(MAX_RETURN_ITEMS))
        if (
            isinstance(shape, ListShape)
            and 1 <= len(shape.items) <= MAX_RETURN_ITEMS
            and self._is_local(value.id)  # type: ignore[union-attr]
        ):
            return tuple(e.op for e in shape.items)
        return None

    def _returned_items(self, value: ast.expr | None) -> tuple[Op, ...] | None:
        """`return path, info`: the value of each position, as lowered with the tuple."""
        if not isinstance(value, ast.Tuple) or not 1 < len(value.elts) <= MAX_RETURN_ITEMS:
            return None
        if any(isinstance(e, ast.Starred) for e in value.elts):
            return None
        items = self.displays.get(id(value))
        return tuple(items) if items is not None and len(items) == len(value.elts) else None

    def _is_text(self, expr: ast.expr) -> bool:
        """A string the function builds: a literal, an f-string, `+` / `%` / `.format()` /
        `.join()` on literal text, or a local last assigned one of these."""
        if isinstance(expr, ast.Name):
            return expr.id in self.texts
        if isinstance(expr, ast.JoinedStr):
            return True
        if isinstance(expr, ast.Constant):
            return isinstance(expr.value, str)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod):
            return self._is_text(expr.left) or (
                isinstance(expr.op, ast.Add) and self._is_text(expr.right)
            )
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
            return expr.func.attr in ("format", "join") and self._is_text(expr.func.value)
        return False

    def _mutated(self, container: ast.expr, op: Op, node: ast.Call) -> None:
        """`clauses.append(x)`, `self.rules.extend(xs)`: the container now holds what was added."""
        if op is None:
            return
        root = _root_name(container)
        line, col = node.lineno, node.col_offset
        if root is not None and root != self.self_name and self._is_local(root):
            what = f"added to `{self._text(container)}`"
            self.out.append(("add", root, op, line, col, what))
        elif root is not None and root == self.self_name and isinstance(container, ast.Attribute):
            attr = _first_attr(container)
            self.out.append(("aset", attr, _union([("a", attr), op]), line, col))

    def _mapped_function(self, func: ast.expr) -> str | None:
        """The function `map(func, …)` applies, when the analysis knows what it does: a model's
        sanitizer or sink (`shlex.quote`, `html.escape`, `os.remove`), or a function of this
        module (the solver follows its summary). Others keep `map` a plain pass-through."""
        if isinstance(func, ast.Name) and func.id in self.lambda_refs:
            return self.lambda_refs[func.id]
        if not isinstance(func, ast.Name | ast.Attribute):
            return None
        qualified = self.names.qualname(func)
        if qualified is None:
            return None
        if self.models.sanitizer_for(qualified, None) is not None:
            return qualified
        if self.models.sinks_for(qualified, None, True):
            return qualified
        binding = self.names.lookup(func.id) if isinstance(func, ast.Name) else None
        if binding is not None and binding.kind is BindingKind.DEFINITION:
            return qualified
        package = self.owner.module_name.partition(".")[0]
        if (
            binding is not None
            and binding.kind is BindingKind.IMPORT
            and "." in self.owner.module_name
            and qualified.partition(".")[0] == package
        ):
            return qualified  # `from app.escaping import quoted` in `app.views`: the project's
        return None

    def _callbacks(self, node: ast.Call, args: list[Op], kwargs: list[tuple[str, Op]]) -> None:
        """A project function or bound method handed to a call together with the arguments
        to call it with is called with them: first positional argument and the rest after it
        (`executor.submit(self.resize, path)`, `spawn(run, cmd)`), the items of a tuple given
        as the only other argument (`sys.call_tracing(p.run, (cmd,))`), or `target=` and
        `args=` of a thread or process (`Thread(target=run, args=(cmd,))`), when it is a
        function of the module, a method through `self`, or a method of an instance of a
        known class. Other callbacks are not followed: what a function that takes one passes
        to it is not known here."""
        target: ast.expr | None = None
        data: tuple[Op, ...] = ()
        if (
            len(node.args) == 2
            and isinstance(node.args[1], ast.Tuple)
            and id(node.args[1]) in self.displays
        ):
            # `sys.call_tracing(p.run, (arg, env))`, `pool.apply_async(f, (x,))`: the tuple
            # holds the arguments.
            target, data = node.args[0], tuple(self.displays[id(node.args[1])])
        elif node.args and len(args) > 1 and not isinstance(node.args[0], ast.Starred):
            target, data = node.args[0], tuple(args[1:])
        else:
            given = {k.arg: k.value for k in node.keywords}
            passed = given.get("args")
            if "target" in given and isinstance(passed, ast.Tuple | ast.List):
                target = given["target"]
                data = tuple(self.displays.get(id(passed), ()))
        if target is None or not any(op is not None for op in data):
            return
        if isinstance(target, ast.Name | ast.Attribute):
            self._callback_site(node, target, data)

    def _callback_site(self, node: ast.Call, expr: ast.expr, data: tuple[Op, ...]) -> None:
        if isinstance(expr, ast.Name):
            callee = self.lambda_refs.get(expr.id)
            binding = self.names.lookup(expr.id)
            if callee is None and binding is not None and binding.kind is BindingKind.DEFINITION:
                callee = self.names.qualname(expr)
            if callee is not None:
                self._site(node, callee, None, None, data, (), None, {}, False, False)
            return
        if not isinstance(expr, ast.Attribute) or not isinstance(expr.value, ast.Name):
            return
        if (
            expr.value.id == self.self_name
            and self.self_name
            and self._class_constant(expr.attr) is NOT_CONSTANT  # a literal is no callback
        ):
            self._site(node, None, expr.attr, None, data, (), None, {}, True, True)
            return
        # A method of an instance of a known class (`jobs = Jobs(); submit(jobs.run, path)`):
        # called on that instance with the data.
        binding = self.names.lookup(expr.value.id)
        if binding is None or binding.kind is not BindingKind.INSTANCE:
            return
        callee = self.names.qualname(expr)
        if callee is not None:
            receiver = self.expr(expr.value)
            self._site(node, callee, expr.attr, receiver, data, (), None, {}, False, True)

    def _map(self, node: ast.Call, function: str) -> Op:
        """`map(f, items)`: `f` called on each element, so its model or summary applies."""
        items = [
            self.expr(arg.value if isinstance(arg, ast.Starred) else arg) for arg in node.args[1:]
        ]
        site = self._site(node, function, None, None, (_union(items),), (), None, {}, False, False)
        return ("c", site.index)

    def _response_call(
        self, controller: ControllerClass, node: ast.Call, called: str, args: list[Op]
    ) -> None:
        """`self.send_header("Content-Type", "text/html")`, `self.wfile.write(page)` in a
        controller that writes its own response (an `http.server` handler)."""
        if called == controller.response_headers and len(node.args) == 2:
            name, value = (self._static(arg) for arg in node.args)
            if isinstance(name, str) and name.lower() == "content-type":
                self.content_type = value.lower() if isinstance(value, str) else UNKNOWN
        elif called == controller.response_writer and len(args) == 1 and args[0] is not None:
            self._site(
                node,
                controller.response,
                None,
                None,
                (args[0],),
                (),
                None,
                {"content_type": self.content_type},
                False,
                False,
            )

    def _pseudo_call(self, callee: str, node: ast.AST, args: tuple[Op, ...]) -> None:
        self._site(node, callee, None, None, args, (), None, {}, False, False)

    def _site(
        self,
        node: ast.AST,
        callee: str | None,
        method: str | None,
        receiver: Op,
        args: tuple[Op, ...],
        kwargs: tuple[tuple[str, Op], ...],
        star: Op,
        const_kwargs: dict[str, Any],
        self_method: bool,
        bound: bool,
    ) -> CallSite:
        site = CallSite(
            index=len(self.fir.calls),
            line=node.lineno,  # type: ignore[attr-defined]
            col=node.col_offset,  # type: ignore[attr-defined]
            end_line=node.end_lineno or node.lineno,  # type: ignore[attr-defined]
            end_col=node.end_col_offset or 0,  # type: ignore[attr-defined]
            # Only sinks are ever shown; unparsing every call would cost a tenth of the scan.
            text=self._text(node)
            if (callee is not None and callee in self.models.template_renders)
            or self.models.sinks_for(
                callee,
                method if callee is None or bound else None,
                False,
                # (a receiver named as an owner counts when its type is unknown, which the
                # solver tells: `conn = get_connection()` of the project's own helper)
                self._owners(node.func) if isinstance(node, ast.Call) else None,
            )
            else "",
            callee=callee,
            method=method,
            receiver=receiver,
            args=args,
            kwargs=kwargs,
            star=star,
            const_kwargs=const_kwargs,
            self_method=self_method,
            bound=bound,
            statement=self.statement,
        )
        self.fir.calls.append(site)
        self.out.append(("call", site.index))
        return site

    # -- helpers --------------------------------------------------------------------------------
    def _keeps_only_word_characters(self, qualified: str | None, node: ast.Call) -> bool:
        """`re.sub(r"[^A-Za-z0-9_]", "", v)`, `re.sub(r"\\W+", "-", v)`: every character but
        letters, digits and `_` replaced by such characters, so the result is one word, as
        `isalnum()` checks. (A pattern compiled elsewhere is not followed.)"""
        if node.keywords:
            return False
        if qualified in ("re.sub", "regex.sub") and len(node.args) >= 3:
            pattern, replacement = (self._static(e) for e in node.args[:2])
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "sub"
            and len(node.args) >= 2
            and (compiled := self._compiled(node.func.value)) is not None
        ):
            pattern, replacement = compiled, self._static(node.args[0])  # NAME.sub("", value)
        else:
            return False
        return (
            isinstance(pattern, str)
            and isinstance(replacement, str)
            and _NOT_WORD_CLASS.fullmatch(pattern) is not None
            and all(c.isalnum() or c in "_-" for c in replacement)
        )

    def _compiled(self, receiver: ast.expr) -> str | None:
        """The pattern text of `SAFE_NAME` / `self.SAFE_NAME` when the module compiled a literal
        into that module or class constant (and no local shadows it)."""
        patterns = self.owner.patterns
        if not patterns:
            return None
        if isinstance(receiver, ast.Name) and not self._is_local(receiver.id):
            return patterns.get(receiver.id)
        if (
            isinstance(receiver, ast.Attribute)
            and isinstance(receiver.value, ast.Name)
            and receiver.value.id == self.self_name
            and self.fir.class_qualname
        ):
            local = self.fir.class_qualname.removeprefix(self.owner.module_name + ".")
            return patterns.get(f"{local}.{receiver.attr}")
        return None

    def _compiled_check(self, method: str, receiver: ast.expr) -> frozenset[int] | None:
        """What `SAFE_NAME.fullmatch(v)` (or an anchored `.match`/`.search`) of a compiled
        constant checks, as the same call of the `re` module would."""
        text = self._compiled(receiver)
        if text is None:
            return None
        if method == "fullmatch":
            full = self.models.validators.get("re.fullmatch")
            return full.cleans if full is not None else None
        if method in ("match", "search"):
            return self._anchored_text(f"re.{method}", text)
        return None

    def _anchored(self, qualified: str, pattern: ast.expr) -> frozenset[int] | None:
        """What `re.match`/`re.search` with a constant pattern anchored at both ends checks,
        as `re.fullmatch` does; `$` also lets one newline end the value, so it does not clean
        CWE-117 (a log line)."""
        return self._anchored_text(qualified, self._static(pattern))

    def _anchored_text(self, qualified: str, text: Any) -> frozenset[int] | None:
        full = self.models.validators.get(qualified.rpartition(".")[0] + ".fullmatch")
        if not isinstance(text, str) or full is None or "|" in text:
            return None
        if not (qualified.endswith(".match") or text.startswith(("^", "\\A"))):
            return None
        if text.endswith("\\Z") and not text.endswith("\\\\Z"):
            return full.cleans
        if text.endswith("$") and not text.endswith("\\$"):
            return full.cleans - {117}
        return None

    def _class_constant(self, attr: str) -> Any:
        """The literal the enclosing class body binds `attr` to, when it is named as a constant
        (`TABLE`, `_APP_CRED`) and no method of the class assigns `self.<attr>` (a subclass may
        still override it: not followed); or that a property of the class returns, read
        through `self` (`@property def table(self): return "users"`)."""
        cls = self.fir.class_qualname
        if cls is None or len(self.names.stack) < 2:
            return NOT_CONSTANT
        if not attr.strip("_").isupper():
            # A default such as `timeout = 30` is often set per instance; a property is not.
            return NOT_CONSTANT if self.fir.classmethod else self._constant_property(cls, attr)
        key = (cls, attr)
        cache = self.owner.class_constants
        if key not in cache:
            cache[key] = NOT_CONSTANT
            scope = self.names.stack[-2]
            binding = scope.bindings.get(attr) if scope.kind == "class" else None
            if (
                binding is not None
                and binding.kind is BindingKind.CONSTANT
                and isinstance(binding.value, _FOLDABLE)
                and attr not in scope.changed
                and isinstance(scope.node, ast.ClassDef)
                and not any(
                    isinstance(inner, ast.Attribute)
                    and inner.attr == attr
                    and not isinstance(inner.ctx, ast.Load)
                    for inner in ast.walk(scope.node)
                )
            ):
                cache[key] = binding.value
        return cache[key]

    def _constant_property(self, cls: str, attr: str) -> Any:
        """The literal a property of the enclosing class returns: its body is one `return` of a
        literal (after a docstring), with no setter and no other binding of the name."""
        key = (cls, f"@{attr}")
        cache = self.owner.class_constants
        if key not in cache:
            cache[key] = NOT_CONSTANT
            scope = self.names.stack[-2]
            binding = scope.bindings.get(attr) if scope.kind == "class" else None
            node = binding.node if binding is not None else None
            if (
                binding is not None
                and binding.kind is BindingKind.DEFINITION
                and isinstance(node, ast.FunctionDef)
                and len(node.decorator_list) == 1
                and isinstance(node.decorator_list[0], ast.Name)
                and node.decorator_list[0].id == "property"
                and attr not in scope.changed
                and isinstance(scope.node, ast.ClassDef)
                and sum(
                    isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.Assign)
                    and attr
                    in (
                        [stmt.name]
                        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
                        else [getattr(t, "id", None) for t in stmt.targets]
                    )
                    for stmt in scope.node.body
                )
                == 1
            ):
                body = node.body
                if (
                    len(body) == 2
                    and isinstance(body[0], ast.Expr)
                    and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)
                ):
                    body = body[1:]  # a docstring
                if (
                    len(body) == 1
                    and isinstance(body[0], ast.Return)
                    and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, _FOLDABLE)
                    and not isinstance(body[0].value.value, tuple)
                ):
                    cache[key] = body[0].value.value
        return cache[key]

    def _is_local(self, name: str) -> bool:
        if name in self.comprehension_names:
            return True
        if self.module_level:
            return False
        binding = self.scope.bindings.get(name)
        # A module imported inside the function (`import flask` in a view) names the module,
        # as at module level: `flask.redirect(...)` is the library's call, not a method.
        if binding is None or binding.kind is BindingKind.IMPORT:
            return False
        return name not in self.scope.globals_declared

    def _root_is_local(self, expr: ast.expr) -> bool:
        root = _root_name(expr)
        return root is not None and (self._is_local(root) or root == self.self_name)

    def _instance_root(self, expr: ast.expr) -> bool:
        root = _root_name(expr)
        if root is None:
            return False
        binding = self.names.lookup(root)
        return binding is not None and binding.kind is BindingKind.INSTANCE

    def _text(self, node: ast.AST) -> str:
        try:
            text = ast.unparse(node)
        except (ValueError, RecursionError):
            return "…"
        text = " ".join(text.split())
        return text if len(text) <= 80 else text[:79] + "…"


# Whether a name says what an expression holds, by how it is used: `token.expires_at` and
# `creds["user"]` are named by the attribute or the key, `password.encode()` and `keys[0]` by it.
_NAMES_SECRET = {
    "attr": False,
    "key": False,
    "index": True,
    "receiver": True,
    "iter": True,
    None: True,
}
_SECRET_OPTION = "<secret option {}>"
_LOOKUPS = frozenset({"get", "pop", "getlist", "setdefault", "getenv"})
_KEY_VIEWS = frozenset({"sorted", "list", "set", "frozenset", "tuple", "iter"})
_TRUNCATED = 8  # at most this many characters of a secret: a prefix or suffix to recognise it by


# WSGI environ keys the client's request fills: the CGI variables (PEP 3333) and their
# server-specific kin; `HTTP_*` headers and `wsgi.*` (the body) are told apart by prefix.
_CLIENT_ENVIRON_PREFIXES = (
    "HTTP_",
    "wsgi.",
    "QUERY_",
    "PATH_",
    "REQUEST_",
    "CONTENT_",
    "REMOTE_",
    "SERVER_",
    "SCRIPT_",
    "SSL_",
    "RAW_",
    "AUTH_",
    "HTTPS",
)


def _middleware_key(name: str) -> bool:
    """A key a middleware or the server sets in the environ: a dotted name outside `wsgi.`
    (`nova.context`, `keystone.token_info`) or a capitalised one no CGI variable or header
    has (`CSRF_COOKIE`)."""
    if not name or name.startswith(_CLIENT_ENVIRON_PREFIXES):
        return False
    if "." in name:
        return True
    return name.isupper() and name.replace("_", "").isalnum()


_MAPPING_METHODS = frozenset({"items", "keys", "values"})
_SPLITTERS = frozenset({"split", "rsplit", "partition", "rpartition"})


def _split_part(value: ast.expr | None) -> bool:
    """`encoded.split("$", 1)[0]`, `header.partition(" ")[2]`: one part of a split string."""
    return (
        isinstance(value, ast.Subscript)
        and isinstance(value.slice, ast.Constant)
        and isinstance(value.slice.value, int)
        and isinstance(value.value, ast.Call)
        and isinstance(value.value.func, ast.Attribute)
        and value.value.func.attr in _SPLITTERS
    )


def _entry_name(key: str | None, container: ast.expr) -> str | None:
    """`request.session[BACKEND_SESSION_KEY]`: a constant named as the key of an entry of this
    very mapping (`<entry>_SESSION_KEY` on a session, `<entry>_CACHE_KEY` on a cache) names the
    entry read (`BACKEND`), not a session key or a cache key."""
    if key is None:
        return None
    last = container.attr if isinstance(container, ast.Attribute) else getattr(container, "id", "")
    words = key.split("_")
    if len(words) >= 2 and words[-1] == "KEY" and last and words[-2].lower() == last.lower():
        return "_".join(words[:-2]) or "ENTRY"
    return key


def _used_as_mapping(node: ast.AST, names: tuple[str, ...]) -> set[str]:
    """Those of `names` whose `.items()`, `.keys()` or `.values()` the function calls."""
    wanted = set(names)
    found: set[str] = set()
    if not wanted:
        return found
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Call)
            and isinstance(child.func, ast.Attribute)
            and child.func.attr in _MAPPING_METHODS
            and isinstance(child.func.value, ast.Name)
            and child.func.value.id in wanted
        ):
            found.add(child.func.value.id)
    return found


def _common_guards(parts: list[Guards]) -> list[tuple[str, frozenset[int]]]:
    """The guards every one of `parts` gives, each for the CWEs all of them clean."""
    common: dict[str, frozenset[int]] | None = None
    for part in parts:
        found: dict[str, frozenset[int]] = {}
        for guard in part:
            if len(guard) == 2:
                found[guard[0]] = found.get(guard[0], frozenset()) | guard[1]
        if common is None:
            common = found
        else:
            common = {
                n: both for n, c in common.items() if n in found and (both := _meet(c, found[n]))
            }
        if not common:
            return []
    return list((common or {}).items())


def _meet(a: frozenset[int], b: frozenset[int]) -> frozenset[int]:
    """The CWEs cleaned by both sets (ALL_CWES stands for every CWE)."""
    if a == ALL_CWES:
        return b
    if b == ALL_CWES:
        return a
    return a & b


def _checked_keyword(keywords: list[ast.keyword]) -> ast.expr | None:
    """The value a check called with keywords only is about (`url=`, else the first)."""
    named = [k for k in keywords if k.arg is not None]
    for keyword in named:
        if keyword.arg in ("url", "value", "path", "name", "text", "s"):
            return keyword.value
    return named[0].value if named else None


def _truncated(key: ast.Slice, static: Any) -> bool:
    """`token[:6]`, `key[-4:]`: a few characters, not the secret (`header[7:]` is the rest)."""
    if key.step is not None:
        return False
    lower = static(key.lower) if key.lower is not None else 0
    upper = static(key.upper) if key.upper is not None else None
    if lower == 0 and isinstance(upper, int) and 0 <= upper <= _TRUNCATED:
        return True
    return upper is None and isinstance(lower, int) and -_TRUNCATED <= lower < 0


# What a value without quote characters is safe for: a quoted XPath string literal.
_QUOTE_FREE = frozenset({643})
# Checked to be one quoted string literal: evaluated, it is a str and runs nothing.
_CODE_LITERAL = frozenset({94, 95})


def _one_literal(test: ast.expr, holds: bool, constant: Callable[[ast.expr], Any]) -> list[str]:
    """The names `test` proves to be exactly one quoted Python string literal where it
    evaluates to `holds`: opened and closed by the same quote, which appears nowhere between
    (`s.startswith("'") and s.endswith("'") and "'" not in s[1:-1]`, in any and/or/not form)."""
    facts = _literal_facts(test, holds, constant)
    return [
        name
        for name, known in facts.items()
        if any({("start", q), ("end", q), ("inner", q)} <= known for q in ("'", '"'))
    ]


def _literal_facts(
    test: ast.expr, holds: bool, constant: Callable[[ast.expr], Any]
) -> dict[str, set[tuple[str, str]]]:
    """What `test` evaluating to `holds` says of the quotes at the ends and inside of names."""
    match test:
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return _literal_facts(operand, not holds, constant)
        case ast.BoolOp(op=op, values=values):
            parts = [_literal_facts(value, holds, constant) for value in values]
            if isinstance(op, ast.And) is holds:  # every part took this value
                facts: dict[str, set[tuple[str, str]]] = {}
                for part in parts:
                    for name, known in part.items():
                        facts.setdefault(name, set()).update(known)
                return facts
            # some part took it: only what each of them says holds
            common = set(parts[0]).intersection(*parts[1:]) if parts else set()
            return {name: set.intersection(*(part[name] for part in parts)) for name in common}
        case ast.Call(
            func=ast.Attribute(attr="startswith" | "endswith" as method, value=ast.Name(id=name)),
            args=[ast.Constant(value="'" | '"' as quote)],
            keywords=[],
        ) if holds:
            return {name: {("start" if method == "startswith" else "end", quote)}}
        case ast.Compare(
            left=ast.Constant(value="'" | '"' as quote),
            ops=[ast.In() | ast.NotIn() as op],
            comparators=[ast.Subscript(value=ast.Name(id=name), slice=ast.Slice() as inner)],
        ) if isinstance(op, ast.NotIn) is holds and inner.step is None:
            lower = constant(inner.lower) if inner.lower is not None else 0
            upper = constant(inner.upper) if inner.upper is not None else None
            if lower == 1 and upper == -1 and not isinstance(lower, bool):
                return {name: {("inner", quote)}}
    return {}


def _drops_quote(call: ast.Call) -> bool:
    """`value.replace("'", "&apos;")`: a quote replaced by text without that quote."""
    match call:
        case ast.Call(
            func=ast.Attribute(attr="replace"),
            args=[ast.Constant(value="'" | '"' as quote), ast.Constant(value=str() as by)],
            keywords=[],
        ):
            return quote not in by
    return False


def _tests_scheme(test: ast.expr, parsed: ast.expr) -> bool:
    """Does `test` also look at the scheme of the same parsed URL (`parts.scheme`)?"""
    shape = ast.dump(parsed)
    return any(
        isinstance(node, ast.Attribute) and node.attr == "scheme" and ast.dump(node.value) == shape
        for node in ast.walk(test)
    )


def _typed_trust(typed: TypedSource, member: str, op: Op) -> Op:
    """A member of a request object the models trust for some CWEs, clean for those."""
    if member in typed.trusted_members and typed.trusted_for:
        return ("k", op, typed.trusted_for)
    return op


def _secret_noun(noun: str) -> str:
    """How a message names a secret: `api key` is an API key, `db pwd` a password."""
    head = noun.rpartition(" ")[2]
    if head in ("pass", "pwd", "passwd", "password", "passphrase", "passcode"):
        return "password"
    if head in ("sig", "signature"):
        return "signature"
    if head in ("auth", "credential"):
        return "credentials"
    if head == "authorization":
        return "Authorization header"
    if head == "hmac":
        return "HMAC"
    if head == "key":
        return noun.replace("api ", "API ").replace("hmac ", "HMAC ").replace("jwt ", "JWT ")
    return head


_ARITHMETIC: dict[type, Any] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARISONS: dict[type, Any] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: operator.contains(b, a),
    ast.NotIn: lambda a, b: not operator.contains(b, a),
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}
_FOLDABLE = (str, bytes, int, float, bool, tuple, type(None))
# A test of another module's constant the solver decides (see `_imported_test`):
# (qualified name, operator, literal, negated).
ImportedTest = tuple[str, str, Any, bool]
_DEFERRED_COMPARISONS: dict[type, str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}


def _project_prefix(module_name: str) -> str:
    """The top-level package of a module: constants are looked up in the project only."""
    return module_name.partition(".")[0] + "." if "." in module_name else ""


# Shared empty values of call sites (never changed after lowering: see CallSite).
_NOTHING_OPAQUE: frozenset[int | str] = frozenset()
_NOTHING_IMPORTED: dict[int | str, tuple[str, ...]] = {}

# Methods of a followed dict that only read it.
_DICT_READS = frozenset({"keys", "values", "items", "copy"})
_LOOPING = (ast.For, ast.AsyncFor, ast.While)
_REPEATED = (*_LOOPING, ast.Try, ast.TryStar)  # a handler may run after any statement of the body
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Delete)
_REPEATED_OR_NESTED = (*_REPEATED, *_NESTED)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPOUND = (*_LOOPING, ast.Try, ast.TryStar, ast.With, ast.AsyncWith, ast.Match)


_NO_ELEMENT = object()  # a subscript the followed container cannot answer


def _first_of(expr: ast.expr, name: str, static: Any) -> bool:
    """Whether `expr` is `name[0]`."""
    return (
        isinstance(expr, ast.Subscript)
        and isinstance(expr.value, ast.Name)
        and expr.value.id == name
        and static(expr.slice) == 0
    )


# Objects that store values under a (section, option) key, followed like a dict.
_OPTION_STORES = frozenset(
    {"configparser.ConfigParser", "configparser.RawConfigParser", "configparser.SafeConfigParser"}
)
_OPTION_GETTERS = frozenset({"get", "getint", "getfloat", "getboolean"})


# The name of a debug switch: `settings.DEBUG`, `app.debug`, `config["DEBUG"]`, `debug_mode`.
_DEBUG_SWITCH = re.compile(r"(?:is_|in_)?debug(?:_mode|_enabled)?", re.IGNORECASE)


def _debug_switch(test: ast.expr) -> bool:
    """Whether `test` is true exactly where a debug setting is on."""
    name: object = None
    match test:
        case ast.Name(id=name) | ast.Attribute(attr=name):
            pass
        case ast.Subscript(slice=ast.Constant(value=name)):
            pass
        case ast.Call(func=ast.Attribute(attr="get"), args=[ast.Constant(value=name), *_]):
            pass  # config.get("DEBUG"), os.environ.get("DEBUG")
        case ast.Call(func=ast.Name(id="getattr"), args=[_, ast.Constant(value=name), *_]):
            pass
        case ast.Compare(
            left=left, ops=[ast.Is() | ast.Eq()], comparators=[ast.Constant(value=True)]
        ):
            return _debug_switch(left)
    return isinstance(name, str) and bool(_DEBUG_SWITCH.fullmatch(name))


def _debug_branch(test: ast.expr) -> str | None:
    """Which branch of a test runs only where a debug setting is on: "then", "else" or None."""
    match test:
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return {"then": "else", "else": "then"}.get(_debug_branch(operand) or "")
        case ast.BoolOp(op=ast.And(), values=values):
            # `if settings.DEBUG and request.user.is_staff:`
            return "then" if any(_debug_branch(v) == "then" for v in values) else None
        case ast.BoolOp(op=ast.Or(), values=values):
            branches = [_debug_branch(v) for v in values]
            if "else" in branches:
                return "else"  # `if not settings.DEBUG or quiet: return ...`
            return "then" if all(b == "then" for b in branches) else None
    return "then" if _debug_switch(test) else None


def _debug_only(op: Op) -> Op:
    """A value used only where a debug setting is on (see DEBUG_ONLY)."""
    return None if op is None else ("k", op, DEBUG_ONLY)


def _set_aside(op: Op) -> Op:
    """What the program could have read but does not (the other elements of a container, the
    branch a constant test rules out): cleaned for every CWE, so a sink it would have reached
    counts as followed to constants rather than as data the analysis lost track of."""
    return None if op is None else ("k", op, ALL_CWES)


def _set_aside_block(block: Block) -> Block:
    """A branch that never runs, as its assignments to locals with their values set aside;
    its calls, returns and writes elsewhere are left out (their results are nothing)."""
    kept: list[Instr] = []
    for instr in block:
        match instr:
            case ("set" | "add", name, op, line, col, what):
                kept.append((instr[0], name, _set_aside(op), line, col, what))
            case ("if", _, _, then_block, else_block):
                kept.append(
                    ("if", (), (), _set_aside_block(then_block), _set_aside_block(else_block))
                )
            case ("loop", body):
                kept.append(("loop", _set_aside_block(body)))
            case ("try", body, handlers, orelse, final):
                kept.append(
                    (
                        "try",
                        _set_aside_block(body),
                        tuple(_set_aside_block(h) for h in handlers),
                        _set_aside_block(orelse),
                        _set_aside_block(final),
                    )
                )
    return tuple(kept)


def _joined(op: Op) -> Op:
    """A part of a path join: clean for CWE-22 where checked for `..` and a leading separator."""
    return None if op is None else ("m", op, _JOINED_MARKS, _PATH_PART)


def _separators(prefix: ast.expr) -> bool:
    """`"/"`, `os.sep` or `("/", "\\")`: what starts an absolute path."""
    parts = prefix.elts if isinstance(prefix, ast.Tuple) else [prefix]
    return bool(parts) and all(
        (isinstance(part, ast.Constant) and part.value in ("/", "\\"))
        or (isinstance(part, ast.Attribute) and part.attr == "sep")
        for part in parts
    )


def _ends(block: Block) -> bool:
    """Whether control never leaves `block` at its end (a return, raise, break…)."""
    return bool(block) and block[-1][0] == "end"


def _folded(function: Any, lhs: Any, rhs: Any) -> Any:
    """`function(lhs, rhs)` on constants; NOT_CONSTANT where it fails or grows too big."""
    if any(isinstance(v, str | bytes | tuple) and len(v) > 10_000 for v in (lhs, rhs)):
        return NOT_CONSTANT
    if any(isinstance(v, int) and abs(v) > 1 << 64 for v in (lhs, rhs)):
        return NOT_CONSTANT
    try:
        return function(lhs, rhs)
    except Exception:  # a type error or a division by zero of the analysed code
        return NOT_CONSTANT


# The path of the request being served: in a view whose every route is a fixed URL rule it
# is that rule's path.
_ROUTED_PATHS = frozenset({"flask.request.path"})
# Calls whose result is a file system path.
PATH_BUILDERS = frozenset(
    {
        "os.path.join",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.expanduser",
        "os.path.normpath",
        "os.path.dirname",
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
    }
)
# `pathlib.Path` and the classes and methods that make one (see _path_object).
PATH_CLASS = "pathlib.Path"
# Attributes of a path that hold its last part only (like os.path.basename()).
_FINAL_PARTS = frozenset({"name", "stem", "suffix"})
_PATH_METHODS = frozenset(
    {
        "resolve",
        "absolute",
        "expanduser",
        "joinpath",
        "with_name",
        "with_suffix",
        "with_stem",
        "relative_to",
        "readlink",
    }
)
# Response makers that answer a dict or list body with JSON.
_JSON_FOR_CONTAINERS = frozenset({"flask.make_response", "flask.helpers.make_response"})
# Responses whose Content-Type may be set after they are made.
_RESPONSE_MAKERS = frozenset(
    {
        "flask.make_response",
        "flask.helpers.make_response",
        "flask.Response",
        "werkzeug.wrappers.Response",
        "werkzeug.Response",
        "django.http.HttpResponse",
        "django.http.response.HttpResponse",
    }
)
# Response constructors that take Flask's return forms: one tuple is (body, status, headers).
_TUPLE_RESPONSES = frozenset({"flask.make_response", "flask.helpers.make_response"})
_ROUTE_CONVERTER = re.compile(r"<(int|float|uuid)(?:\([^)]*\))?:(\w+)>")
_SCALAR_TYPES = frozenset(
    {
        "int",
        "float",
        "bool",
        "uuid.UUID",
        "decimal.Decimal",
        "datetime.date",
        "datetime.datetime",
        "pydantic.UUID4",
        "pydantic.PositiveInt",
        "pydantic.NonNegativeInt",
    }
)


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _added_parts(node: ast.BinOp) -> list[ast.expr]:
    """`a + b + c` (parsed as `(a + b) + c`) as [a, b, c]."""
    parts: list[ast.expr] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts.append(node.right)
        node = node.left  # type: ignore[assignment]
    parts.append(node)
    return parts[::-1]


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [name for element in target.elts for name in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _root_name(expr: ast.expr) -> str | None:
    while isinstance(expr, ast.Attribute | ast.Subscript):
        expr = expr.value
    return expr.id if isinstance(expr, ast.Name) else None


def _first_attr(expr: ast.expr) -> str:
    """`self.a.b[c]` -> "a"."""
    attr = ""
    while isinstance(expr, ast.Attribute | ast.Subscript):
        if isinstance(expr, ast.Attribute):
            attr = expr.attr
        expr = expr.value
    return attr


def _names_in(expr: ast.expr) -> list[str]:
    """Variables a containment check is about: the receiver and the arguments of its call."""
    if isinstance(expr, ast.Name):
        return [expr.id]
    if isinstance(expr, ast.Call):
        found: list[str] = []
        for arg in expr.args:
            found.extend(_names_in(arg))
        if isinstance(expr.func, ast.Attribute):
            found.extend(_names_in(expr.func.value))
        return found
    return []


def _pattern_names(pattern: ast.pattern) -> list[str]:
    found: list[str] = []
    stack: list[ast.AST] = [pattern]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
            found.append(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            found.append(node.rest)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _parameter_defaults(args: ast.arguments) -> dict[str, ast.expr]:
    positional = [*args.posonlyargs, *args.args]
    defaults = dict(
        zip(
            [a.arg for a in positional[len(positional) - len(args.defaults) :]],
            args.defaults,
            strict=True,
        )
    )
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if default is not None:
            defaults[arg.arg] = default
    return defaults


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _grow(prefix: str, piece: str) -> str:
    """The constant text before the next part of a built string, kept to PREFIX_LIMIT + 1
    characters; once longer, the same string is returned, so parts after it share it."""
    if len(prefix) > PREFIX_LIMIT:
        return prefix
    return (prefix + piece)[: PREFIX_LIMIT + 1]


def _context_argument(node: ast.Call, render: Any) -> ast.expr | None:
    """The context mapping passed to a modelled template render call, if any."""
    if render.context_kwarg is not None:
        for keyword in node.keywords:
            if keyword.arg == render.context_kwarg:
                return keyword.value
    position = render.context_pos
    if (
        position is not None
        and position < len(node.args)
        and not any(isinstance(a, ast.Starred) for a in node.args[: position + 1])
    ):
        return node.args[position]
    return None
