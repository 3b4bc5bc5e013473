"""Framework and library models as data: sources, sinks, sanitizers, propagation.

Each `*.toml` file in this package describes one library or framework; users add their own in
`[tool.secreview.models]` with the same shape (docs/models.md). The engine never names a library.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

SOURCE_KINDS = ("remote", "local", "cli", "secret", "exception", "predictable", "seeded")
# A secret and a predictable value (from `random`) matter only where a sink names their kind.
# Exception text counts only at sinks that name it (an error page): elsewhere no rule reports
# it, and a flow of it must not take the place of one a rule does report.
DEFAULT_SINK_KINDS = frozenset(SOURCE_KINDS) - {"secret", "predictable", "seeded", "exception"}


class ModelError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class SourceModel:
    name: str  # qualified attribute or call: "flask.request.args", "os.environ"
    kind: str
    description: str = ""
    # CWEs for which the value is not untrusted: the response of a server the code chose to
    # call (a service catalog, an OpenID discovery document) may say where the next request
    # goes (CWE-918), but not what a shell runs.
    trusted_for: frozenset[int] = frozenset()
    # The kind of the value when the code gives the call its own seed (`random.Random(seed)`,
    # and the methods of a generator so made): reproducible on purpose.
    seeded_kind: str = ""


@dataclass(frozen=True, slots=True)
class TypedSource:
    """Attributes and methods of an object known by its type that return untrusted data."""

    type: str
    kind: str
    attributes: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()
    # Members whose value is not untrusted for `trusted_for`: the path or URL of the request
    # itself (`request.get_full_path()`) leads back to the same site (CWE-601).
    trusted_members: frozenset[str] = frozenset()
    trusted_for: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class ParameterType:
    """A parameter that is an instance of `type` when the module imports `when_imported`."""

    type: str
    names: frozenset[str]
    when_imported: str
    siblings_kind: str | None = None  # the function's other parameters are sources of this kind


@dataclass(frozen=True, slots=True)
class RouteDecorator:
    """A decorator whose function's parameters are request data."""

    decorator: str  # qualified name of the decorator callable, e.g. "flask.Flask.route"
    kind: str = "remote"
    skip_params: frozenset[str] = frozenset()  # parameters that are not request data
    # A name for what the view returns (the framework sends it to the client): every `return`
    # of the view is a call of it, with the value as argument 1 and, when the value is text
    # (which the framework sends as HTML), also as argument 0. Models give it sinks.
    returns: str | None = None


@dataclass(frozen=True, slots=True)
class ControllerClass:
    """Classes deriving from `base`: the named parameters of their methods are request data."""

    base: str
    params: frozenset[str]
    kind: str = "remote"
    self_attributes: frozenset[str] = frozenset()  # self.<attr> that are request data
    # `self.<writer>(body)` sends a response body (`wfile.write`), as a call of `response` whose
    # `content_type` keyword is what `self.<headers>("Content-Type", …)` declared before it.
    response: str | None = None
    response_writer: str | None = None
    response_headers: str | None = None


@dataclass(frozen=True, slots=True)
class SinkModel:
    call: str  # qualified name, or "*.method" for a method of any receiver
    cwe: int
    concept: str
    positions: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()
    receiver: bool = False  # the object the method is called on is the sink (`tpl.render()`)
    when_kwarg: str | None = None  # only when this keyword is truthy…
    when_truthy: bool = True
    when_values: tuple[str, ...] = ()  # …or only when it is (or starts with) one of these
    unless_kwarg: str | None = None  # …or unless this keyword is given (a safe loader, a filter)
    unless_kwargs: tuple[str, ...] = ()  # all the keywords that count, when there are several
    unless_values: tuple[str, ...] = ()  # …with one of these (qualified or constant) values
    unless_pos: int | None = None  # the same argument when passed by position
    when_exact: bool = False  # `when_values` must match whole, not as a prefix
    # Where the sink's effect shows, when not at the call: a template's `{{ x|safe }}`, as
    # (path, line, col, end_line, end_col, text). The call becomes a step of the trace.
    at: tuple[str, int, int, int, int, str] | None = None
    # A `*.method` entry that matches only receivers of unknown type: `f.read(n)` on a stream,
    # not `ZipFile.read(name)` on an object whose type the analysis knows.
    untyped_only: bool = False
    description: str = ""
    # The kinds of source that count at this sink; empty: every kind but "secret" (a secret is
    # harmful only where it is written down or shown: logs, error messages).
    kinds: frozenset[str] = frozenset()

    @property
    def source_kinds(self) -> frozenset[str]:
        return self.kinds or DEFAULT_SINK_KINDS


@dataclass(frozen=True, slots=True)
class TemplateRender:
    """A call that renders a template file by name with a context (`render_template("t.html",
    x=...)`, `render(request, "t.html", {"x": ...})`). The template's unescaped outputs are
    sinks for the context values they print (see secreview/templates.py)."""

    call: str
    name_pos: int | None = 0  # where the template's name is passed
    name_kwarg: str | None = None
    context_pos: int | None = None  # the context mapping, by position or keyword
    context_kwarg: str | None = None
    context_kwargs: bool = False  # the call's own keyword arguments are the context
    description: str = ""
    # `env.get_template("t.html").render(...)`: the name is argument `name_pos` of the call that
    # made the receiver (`call` is that call's name and the method, "...get_template.render").
    name_from_receiver: bool = False
    # With `name_from_receiver`: the keyword of the call that made the environment
    # (`jinja2.Environment(autoescape=...)`) that decides whether every output is escaped, and
    # what it is when not given. A constant false there prints every `{{ x }}` raw.
    autoescape_kwarg: str | None = None
    autoescape_default: bool = True
    # Starlette's older form `TemplateResponse("t.html", {...})`: when argument 0 is a string,
    # the name and the context are at these positions instead.
    legacy_name_pos: int | None = None
    legacy_context_pos: int | None = None
    # A decorator (`@aiohttp_jinja2.template("t.html")`): what the function returns is the
    # context; each `return` is a call of `call` with the name as the keyword `name_kwarg`.
    returns: bool = False

    def name_keys(self) -> tuple[str, ...]:
        """The constant keywords of a call site (`#0` for a position) that may hold the name."""
        if self.name_from_receiver or self.returns:
            return (TEMPLATE_NAME_KEY,)  # (TEMPLATE_RAW_KEY when escaping is off)
        keys = [f"#{p}" for p in (self.name_pos, self.legacy_name_pos) if p is not None]
        return (*keys, *([self.name_kwarg] if self.name_kwarg else []))

    def context_keywords(self, variable: str) -> tuple[str, ...]:
        """The keywords of a call site that carry context variable `variable`: the call's own
        keyword, the key of its context dict, or both (Jinja2's `render(x=1)`, `render({"x": 1})`)."""
        keyed = f"{CONTEXT_KEY}{variable}"
        if not self.context_kwargs:
            return (keyed,)
        if self.context_pos is None and self.context_kwarg is None:
            return (variable,)
        return (variable, keyed)

    def legacy(self) -> TemplateRender:
        """The render in Starlette's older argument order."""
        return replace(
            self,
            name_pos=self.legacy_name_pos,
            context_pos=self.legacy_context_pos,
            legacy_name_pos=None,
            legacy_context_pos=None,
        )


@dataclass(frozen=True, slots=True)
class RequestSchema:
    """A decorator that validates a parameter of the function it decorates against a JSON
    schema before the call (`@validation.schema(schema.create)` on an OpenStack controller
    action validates `body`): a key of the parameter whose schema allows only numbers, booleans,
    UUIDs, a fixed set of values or a pattern of safe characters is clean of the injection CWEs
    (engine/schemas.py)."""

    call: str
    param: str
    pos: int | None = 0  # where the schema is passed
    kwarg: str | None = None


@dataclass(frozen=True, slots=True)
class TemplateFolder:
    """A call that names a directory templates are loaded from (`Flask(template_folder=...)`,
    `FileSystemLoader("...")`): a constant path there is read like a `templates` directory,
    relative to the directory of the module (`base = "module"`) or above its package
    (`base = "project"`, as Django's `BASE_DIR`)."""

    call: str
    pos: int | None = None
    kwarg: str | None = None
    base: str = "module"


# A context key of a render call, as the lowering passes it to the call site as a keyword.
CONTEXT_KEY = "<context>."
# Where the lowering puts a template name it found elsewhere than in the render call's own
# arguments (the call that made the receiver, a decorator), among the call's constant keywords.
TEMPLATE_NAME_KEY = "<template>"
# The same, for a render by an environment that escapes nothing (`Environment()` of Jinja2).
TEMPLATE_RAW_KEY = "<raw template>"


@dataclass(frozen=True, slots=True)
class SanitizerModel:
    call: str
    cleans: frozenset[int]
    caveat: str = ""
    # Validators only: the check is of these attributes of the call's result
    # (`urlsplit(url).hostname in ALLOWED`), not of the call's truth.
    attributes: frozenset[str] = frozenset()
    # Validators only: the check covers every value in the arguments, nested calls included
    # (`hmac.compare_digest(mac, hmac.new(KEY, data, sha256).digest())` authenticates `data`).
    covers_arguments: bool = False


_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


# Words that stand for no value in a name of alternatives (`token_or_none`).
ABSENT_WORDS = frozenset({"none", "null", "nil", "empty", "blank", "nothing", "unset", "default"})


def name_alternatives(words: Sequence[str]) -> list[list[str]]:
    """`path_or_token` -> [path], [token]: the parts of a name joined by "or"."""
    parts: list[list[str]] = [[]]
    for word in words:
        if word == "or":
            parts.append([])
        else:
            parts[-1].append(word)
    return [p for p in parts if p]


@dataclass
class SecretNames:
    """Which names hold a secret: `[secret_names]` of the models.

    A name is split into lower-case words (`resetToken`, `RESET_TOKEN`, `X-Reset-Token` give
    reset, token; digits are dropped; `fused` words are split, `fused_suffixes` too:
    `dbpassword`). Trailing `transparent` words are dropped (`password_value`). The last word,
    made singular by `plurals`, then decides: one of `nouns` is a secret, unless the word before
    it is one of `hashed` (`hashed_password`); a key of `qualified` is a secret when the word
    before it is one of its qualifiers (`api_key`, `admin_pass`; "" stands for no word: `auth`
    alone); a key of `unless_after` is a secret when a word comes before it and that word is not
    one of its list (`access_token`, not `next_token`, not `token` alone). A first word among
    `prefixes`, or one right before the last word, makes the name a flag, a count, an action or
    a mode (`is_password_set`, `max_tokens`, `get_secret_value`, `permit_create_token`,
    `collection_by_token`) and no secret; so does one of `negations` anywhere before the last word
    (`url_without_auth`, `no_password`). A name of alternatives joined by "or" holds a secret
    only if each alternative does (`password_or_token`, `token_or_none`; not `path_or_token`).
    """

    nouns: frozenset[str] = frozenset()
    qualified: dict[str, frozenset[str]] = field(default_factory=dict)
    unless_after: dict[str, frozenset[str]] = field(default_factory=dict)
    transparent: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    negations: frozenset[str] = frozenset()
    hashed: frozenset[str] = frozenset()
    plurals: dict[str, str] = field(default_factory=dict)
    fused: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fused_suffixes: tuple[str, ...] = ()
    # First words of functions that mask what they are given (`mask_password`, `redact()`).
    maskers: frozenset[str] = frozenset()
    # Attributes of request data (and `os.environ`) that, taken whole, hold credentials: the
    # Authorization and Cookie headers, the WSGI environ's HTTP_AUTHORIZATION.
    containers: frozenset[str] = frozenset()
    _cache: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    def merged(self, other: SecretNames) -> SecretNames:
        def joined(a: dict[str, frozenset[str]], b: dict[str, frozenset[str]]):
            return {k: a.get(k, frozenset()) | b.get(k, frozenset()) for k in {*a, *b}}

        return SecretNames(
            self.nouns | other.nouns,
            joined(self.qualified, other.qualified),
            joined(self.unless_after, other.unless_after),
            self.transparent | other.transparent,
            self.prefixes | other.prefixes,
            self.negations | other.negations,
            self.hashed | other.hashed,
            {**self.plurals, **other.plurals},
            {**self.fused, **other.fused},
            tuple(dict.fromkeys((*self.fused_suffixes, *other.fused_suffixes))),
            self.maskers | other.maskers,
            self.containers | other.containers,
        )

    def words(self, name: str) -> list[str]:
        words: list[str] = []
        for raw in _WORD.findall(name):
            if raw.isdigit():
                continue
            word = raw.lower()
            if word in self.fused:
                words.extend(self.fused[word])
                continue
            for suffix in self.fused_suffixes:
                if word.endswith(suffix) and len(word) > len(suffix) + 1:
                    words.extend((word[: -len(suffix)], suffix))
                    break
            else:
                words.append(word)
        return words

    def classify(self, name: str) -> str | None:
        """What the secret a name holds is called ("password", "api key"), or None."""
        cache = self._cache
        if name in cache:
            return cache[name]
        found = self._classify(name)
        if len(cache) < 65536:
            cache[name] = found
        return found

    def _classify(self, name: str) -> str | None:
        words = self.words(name)
        if "or" in words[1:-1]:
            # `path_or_token`, `token_or_none`: the name says what else the value may be. It is
            # a secret only if every alternative that holds a value is one.
            alternatives = [a for a in name_alternatives(words) if not set(a) <= ABSENT_WORDS]
            found = [self._classify_words(a) for a in alternatives]
            if not found or None in found:
                return None
            return found[-1]
        return self._classify_words(words)

    def _classify_words(self, words: list[str]) -> str | None:
        words = list(words)
        while len(words) > 1 and words[-1] in self.transparent:
            words.pop()
        if not words or (len(words) > 1 and words[0] in self.prefixes):
            return None
        if len(words) > 2 and words[-2] in self.prefixes:
            # `permit_create_token`, `collection_by_token`: what is done with one, a mode.
            return None
        if self.negations.intersection(words[:-1]):
            return None
        head = self.plurals.get(words[-1], words[-1])
        before = words[-2] if len(words) > 1 else None
        if head in self.nouns:
            return None if before in self.hashed else head
        qualifiers = self.qualified.get(head)
        if qualifiers is not None:
            if (before or "") not in qualifiers:
                return None
            return f"{before} {head}" if before else head
        excluded = self.unless_after.get(head)
        if excluded is not None and before is not None and before not in excluded:
            return f"{before} {head}"
        return None

    def collection_of_secrets(self, name: str) -> bool:
        """`vault_secrets`, `passwords`: a plural name that holds secrets, one per entry."""
        words = self.words(name)
        return bool(words) and words[-1] in self.plurals and self.classify(name) is not None

    def head_noun(self, name: str) -> bool:
        """Does the name end in a secret's noun, however plain (`token`, `key`, `secret`)?"""
        words = self.words(name)
        if not words:
            return False
        head = self.plurals.get(words[-1], words[-1])
        return head in self.nouns or head in self.qualified or head in self.unless_after

    def named_by_function(self, function: str, name: str) -> bool:
        """`def sync(self, old_token)`, `def page(token_a)`: a function named by the kind of
        token it takes (a sync token, a page token: a word of `unless_after`) says its
        parameter is not a secret."""
        words = self.words(name)
        if not words:
            return False
        excluded = self.unless_after.get(self.plurals.get(words[-1], words[-1]))
        called = self.words(function.rpartition(".")[2])
        return bool(excluded and called and called[-1] in excluded)

    def names_a_hash(self, name: str) -> bool:
        """`hashed`, `password_hash`, `hashed_password`: a name that says it holds a hash."""
        words = self.words(name)
        return bool(words) and (words[-1] in self.hashed or words[0] in self.hashed)

    def other_field(self, name: str) -> bool:
        """Is `name` a field that is not the secret itself (`image`, `target_portal`, `host`),
        as opposed to a secret's name or a form of the same value (`data`, `value`)?"""
        key = "\0" + name
        cache = self._cache
        if key in cache:
            return cache[key] is not None
        words = self.words(name)
        other = (
            bool(words)
            and not all(w in self.transparent for w in words)
            and self.classify(name) is None
        )
        if len(cache) < 65536:
            cache[key] = "" if other else None
        return other

    def is_masker(self, function: str) -> bool:
        """`mask_password`, `_redact`, `strutils.mask_dict_password`: a function that masks."""
        key = "\1" + function
        cache = self._cache
        if key in cache:
            return cache[key] is not None
        words = self.words(function.rpartition(".")[2])
        masker = bool(words) and words[0] in self.maskers
        if len(cache) < 65536:
            cache[key] = "" if masker else None
        return masker

    def container(self, attr: str) -> bool:
        return attr in self.containers


@dataclass(frozen=True, slots=True)
class SecretOptions:
    """Configuration options declared secret (`cfg.StrOpt("connection", secret=True)`): calls of
    `declare` with the keyword `flag` true, read back by name as an attribute of one of `objects`
    (`CONF.database.connection`, `self.conf.connection`)."""

    declare: frozenset[str] = frozenset()
    flag: str = "secret"
    objects: frozenset[str] = frozenset()


@dataclass
class ModelSet:
    sources: dict[str, SourceModel] = field(default_factory=dict)
    typed_sources: dict[str, TypedSource] = field(default_factory=dict)
    parameter_types: list[ParameterType] = field(default_factory=list)
    routes: dict[str, RouteDecorator] = field(default_factory=dict)
    controllers: dict[str, ControllerClass] = field(default_factory=dict)
    sinks: dict[str, list[SinkModel]] = field(default_factory=dict)
    sanitizers: dict[str, SanitizerModel] = field(default_factory=dict)
    validators: dict[str, SanitizerModel] = field(default_factory=dict)
    template_renders: dict[str, TemplateRender] = field(default_factory=dict)
    template_folders: dict[str, TemplateFolder] = field(default_factory=dict)
    request_schemas: dict[str, RequestSchema] = field(default_factory=dict)
    neutral: frozenset[str] = frozenset()
    # Calls that never return (`flask.abort`, `sys.exit`): a branch ends there, like `raise`.
    noreturn: frozenset[str] = frozenset()
    # Exception types whose caught instance (`except OSError as e`) carries internal details;
    # "module.*" names every exception of a module.
    exception_sources: frozenset[str] = frozenset()
    secret_names: SecretNames = field(default_factory=SecretNames)
    secret_options: SecretOptions = field(default_factory=SecretOptions)
    files: list[str] = field(default_factory=list)

    def source_for(self, qualname: str) -> SourceModel | None:
        """The source model of `qualname` or of a prefix of it (`flask.request.args.get`)."""
        sources = self.sources
        name = qualname
        while True:
            found = sources.get(name)
            if found is not None:
                return found
            name, dot, _ = name.rpartition(".")
            if not dot:
                return None

    def sinks_for(
        self,
        qualname: str | None,
        method: str | None,
        typed: bool | None = None,
        owner: str | tuple[str, ...] | None = None,
    ) -> list[SinkModel]:
        """Sinks of `qualname`, of `*.owner.method` (its last two names), and of `*.method`.

        `typed`: whether the receiver's type is known (default: whether `qualname` is), which
        `untyped_only` entries exclude. `owner`: for a method of a value with no type the models
        know (no qualified name, or the result of a project function),
        the name the receiver goes by (`log` of `log.info(...)`, `logger` of
        `self.logger.info(...)`; several names may be given), matched against `*.owner.method`
        entries.
        """
        if typed is None:
            typed = qualname is not None
        found: list[SinkModel] = []
        sinks = self.sinks
        if qualname:
            found.extend(sinks.get(qualname, ()))
            parts = qualname.rsplit(".", 2)
            if len(parts) == 3:
                found.extend(sinks.get(f"*.{parts[1]}.{parts[2]}", ()))
        if owner and method:
            for name in (owner,) if isinstance(owner, str) else owner:
                for sink in sinks.get(f"*.{name}.{method}", ()):
                    if sink not in found:
                        found.append(sink)
        if method:
            for sink in sinks.get("*." + method, ()):
                if not (sink.untyped_only and typed):
                    found.append(sink)
        return found

    def sanitizer_for(self, qualname: str | None, method: str | None) -> SanitizerModel | None:
        """The sanitizer of `qualname`, of `*.owner.method`, or of `*.method` for a method."""
        sanitizers = self.sanitizers
        found = sanitizers.get(qualname) if qualname else None
        if found is None and qualname:
            parts = qualname.rsplit(".", 2)
            if len(parts) == 3:
                found = sanitizers.get(f"*.{parts[1]}.{parts[2]}")
        if found is None and method:
            found = sanitizers.get("*." + method)
        return found

    def is_exception_source(self, qualname: str) -> bool:
        names = self.exception_sources
        return qualname in names or qualname.rpartition(".")[0] + ".*" in names

    def merge(self, other: ModelSet) -> None:
        self.sources.update(other.sources)
        self.typed_sources.update(other.typed_sources)
        self.parameter_types.extend(other.parameter_types)
        self.routes.update(other.routes)
        self.controllers.update(other.controllers)
        for key, sinks in other.sinks.items():
            self.sinks.setdefault(key, []).extend(sinks)
        self.sanitizers.update(other.sanitizers)
        self.validators.update(other.validators)
        self.template_renders.update(other.template_renders)
        self.template_folders.update(other.template_folders)
        self.request_schemas.update(other.request_schemas)
        self.neutral = self.neutral | other.neutral
        self.noreturn = self.noreturn | other.noreturn
        self.exception_sources = self.exception_sources | other.exception_sources
        self.secret_names = self.secret_names.merged(other.secret_names)
        options = other.secret_options
        self.secret_options = SecretOptions(
            self.secret_options.declare | options.declare,
            options.flag if options.declare else self.secret_options.flag,
            self.secret_options.objects | options.objects,
        )
        self.files.extend(other.files)
        self.__dict__.pop("_secret_cwes", None)

    @property
    def secret_cwes(self) -> frozenset[int]:
        """The CWEs a secret is reported for: those of the sinks that count secrets."""
        cached = self.__dict__.get("_secret_cwes")
        if cached is None:
            cached = frozenset(
                sink.cwe
                for sinks in self.sinks.values()
                for sink in sinks
                if "secret" in sink.source_kinds
            )
            self.__dict__["_secret_cwes"] = cached
        return cached


def _strs(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    return frozenset(value or ())


# What each field of a model entry holds; a trailing "!" marks a field the entry needs.
# "names" is a string or a list of strings; a dict is a table with its own fields.
_TABLE_OF_NAMES = "table of names"
_MODEL_SCHEMA: dict[str, dict[str, Any]] = {
    "source": {
        "name": "names!",
        "kind": "str",
        "description": "str",
        "trusted_for": "cwes",
        "seeded_kind": "str",
    },
    "typed_source": {
        "type": "str!",
        "kind": "str",
        "attributes": "names",
        "methods": "names",
        "trusted_members": "names",
        "trusted_for": "cwes",
    },
    "parameter_type": {
        "type": "str!",
        "names": "names!",
        "when_imported": "str!",
        "siblings_kind": "str",
    },
    "route": {"decorator": "names!", "kind": "str", "skip_params": "names", "returns": "str"},
    "controller": {
        "base": "names!",
        "params": "names",
        "kind": "str",
        "self_attributes": "names",
        "response": {"call": "str", "writer": "str", "headers": "str"},
    },
    "sink": {
        "call": "names!",
        "cwe": "cwe!",
        "concept": "str",
        "arg": {"pos": "ints", "name": "names", "receiver": "bool"},
        "when": {"pos": "int", "kwarg": "str", "truthy": "bool", "values": "constants"},
        "unless": {"kwarg": "names", "values": "constants", "pos": "int"},
        "untyped_only": "bool",
        "description": "str",
        "kinds": "names",
    },
    "sanitizer": {"call": "names!", "cleans": "cwes!", "caveat": "str"},
    "template_render": {
        "call": "names!",
        "name": {"pos": "int", "kwarg": "str", "receiver": "bool"},
        "context": {"pos": "int", "kwarg": "str", "kwargs": "bool"},
        "legacy": {"name": "int", "context": "int"},
        "autoescape": {"kwarg": "str", "default": "bool"},
        "returns": "bool",
        "description": "str",
    },
    "request_schema": {
        "call": "names!",
        "param": "str",
        "arg": {"pos": "int", "name": "str"},
    },
    "template_folder": {
        "call": "names!",
        "arg": {"pos": "int", "name": "str"},
        "base": "str",
    },
    "validator": {
        "call": "names!",
        "cleans": "cwes!",
        "caveat": "str",
        "attributes": "names",
        "covers_arguments": "bool",
    },
}
_MODEL_TABLES: dict[str, dict[str, Any]] = {
    "neutral": {"calls": "names"},
    "noreturn": {"calls": "names"},
    "exception_source": {"types": "names"},
    "secret_options": {"declare": "names", "flag": "str", "objects": "names"},
    "secret_names": {
        "nouns": "names",
        "qualified": _TABLE_OF_NAMES,
        "unless_after": _TABLE_OF_NAMES,
        "transparent": "names",
        "prefixes": "names",
        "negations": "names",
        "hashed": "names",
        "plurals": "table of str",
        "fused": _TABLE_OF_NAMES,
        "fused_suffixes": "names",
        "maskers": "names",
        "containers": "names",
    },
}
_EXPECTED = {
    "str": "a string",
    "names": "a string or a list of strings",
    "int": "a whole number",
    "ints": "a whole number or a list of them",
    "bool": "true or false",
    "cwe": "a CWE number such as 918",
    "cwes": "a list of CWE numbers",
    "constants": "a list of names or constants (strings, numbers, true, false)",
    _TABLE_OF_NAMES: "a table of strings or lists of strings",
    "table of str": "a table of strings",
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_cwe(value: Any) -> bool:
    if isinstance(value, str):
        return value.isascii() and value.isdecimal() and len(value) <= 9
    return _is_int(value) and 0 <= value < 10**9


def _is_names(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    )


_CHECKS: dict[str, Callable[[Any], bool]] = {
    "str": lambda v: isinstance(v, str),
    "names": _is_names,
    "int": _is_int,
    "ints": lambda v: _is_int(v) or (isinstance(v, list) and all(_is_int(i) for i in v)),
    "bool": lambda v: isinstance(v, bool),
    "cwe": _is_cwe,
    "cwes": lambda v: isinstance(v, list) and all(_is_cwe(i) for i in v),
    "constants": lambda v: isinstance(v, list) and all(isinstance(i, str | int | float) for i in v),
    _TABLE_OF_NAMES: lambda v: isinstance(v, dict) and all(_is_names(i) for i in v.values()),
    "table of str": lambda v: isinstance(v, dict) and all(isinstance(i, str) for i in v.values()),
}


def check_models(data: Any, origin: str) -> None:
    """Every section, entry and field of a models document has the shape parse_models reads:
    a wrong type is one ModelError naming the field, the value and what it takes, never a
    crash later in the analysis (a sink named by a number, a position given as text)."""
    if not isinstance(data, dict):
        raise ModelError(f"{origin}: models must be a table")
    for section, value in data.items():
        if section in _MODEL_SCHEMA:
            if not isinstance(value, list):
                raise ModelError(
                    f"{origin}: models.{section} must be an array of tables "
                    f"([[models.{section}]]), not {_shown(value)}"
                )
            for index, entry in enumerate(value):
                _check_table(entry, _MODEL_SCHEMA[section], f"models.{section}[{index}]", origin)
        elif section in _MODEL_TABLES:
            _check_table(value, _MODEL_TABLES[section], f"models.{section}", origin)


def _check_table(table: Any, schema: dict[str, Any], label: str, origin: str) -> None:
    if not isinstance(table, dict):
        raise ModelError(f"{origin}: {label} must be a table, not {_shown(table)}")
    for key, spec in schema.items():
        if isinstance(spec, str) and spec.endswith("!") and key not in table:
            raise ModelError(f"{origin}: {label} needs `{key}` ({_EXPECTED[spec[:-1]]})")
    for key, value in table.items():
        spec = schema.get(key)
        if spec is None:
            known = ", ".join(schema)
            raise ModelError(f"{origin}: {label}: unknown field `{key}` (fields: {known})")
        if isinstance(spec, dict):
            _check_table(value, spec, f"{label}.{key}", origin)
            continue
        kind = spec.rstrip("!")
        if kind == "cwes" and isinstance(value, list):
            value = next((item for item in value if not _is_cwe(item)), 0)
            kind = "cwe"
        if kind == "cwe" and not _is_cwe(value):
            raise ModelError(
                f"{origin}: {label}: `{key}` takes CWE numbers such as 918, not {_shown(value)}"
            )
        if not _CHECKS[kind](value):
            raise ModelError(
                f"{origin}: {label}.{key} must be {_EXPECTED[kind]}, not {_shown(value)}"
            )


def _shown(value: Any, limit: int = 60) -> str:
    try:
        text = repr(value)
    except RecursionError:
        return f"a {type(value).__name__} nested too deeply"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parse_models(data: dict[str, Any], origin: str) -> ModelSet:
    """Build a ModelSet from one TOML document; errors name the file and the entry."""
    check_models(data, origin)
    models = ModelSet(files=[origin])
    try:
        for entry in data.get("source", ()):
            kind = entry.get("kind", "remote")
            _check_kind(kind, origin)
            trusted_for = _cwes(entry.get("trusted_for", ()), "trusted_for", origin)
            seeded_kind = entry.get("seeded_kind", "")
            if seeded_kind:
                _check_kind(seeded_kind, origin)
            for name in _strs(entry["name"]):
                models.sources[name] = SourceModel(
                    name, kind, entry.get("description", ""), trusted_for, seeded_kind
                )
        for entry in data.get("typed_source", ()):
            kind = entry.get("kind", "remote")
            _check_kind(kind, origin)
            models.typed_sources[entry["type"]] = TypedSource(
                entry["type"],
                kind,
                _strs(entry.get("attributes")),
                _strs(entry.get("methods")),
                _strs(entry.get("trusted_members")),
                _cwes(entry.get("trusted_for", ()), "trusted_for", origin),
            )
        for entry in data.get("parameter_type", ()):
            models.parameter_types.append(
                ParameterType(
                    entry["type"],
                    _strs(entry["names"]),
                    entry["when_imported"],
                    entry.get("siblings_kind"),
                )
            )
        for entry in data.get("route", ()):
            for decorator in _strs(entry["decorator"]):
                models.routes[decorator] = RouteDecorator(
                    decorator,
                    entry.get("kind", "remote"),
                    _strs(entry.get("skip_params")),
                    entry.get("returns"),
                )
        for entry in data.get("controller", ()):
            response = entry.get("response", {})
            for base in _strs(entry["base"]):
                models.controllers[base] = ControllerClass(
                    base,
                    _strs(entry.get("params")),
                    entry.get("kind", "remote"),
                    _strs(entry.get("self_attributes")),
                    response.get("call"),
                    response.get("writer"),
                    response.get("headers"),
                )
        for entry in data.get("sink", ()):
            arg = entry.get("arg", {})
            positions = arg.get("pos", ())
            keywords = arg.get("name", ())
            when = entry.get("when", {})
            unless = entry.get("unless", {})
            unless_kwargs = tuple(sorted(_strs(unless.get("kwarg"))))
            kinds = _strs(entry.get("kinds"))
            for kind in kinds:
                _check_kind(kind, origin)
            for call in _strs(entry["call"]):
                sink = SinkModel(
                    call=call,
                    cwe=_cwe(entry["cwe"], "cwe", origin),
                    concept=entry.get("concept", ""),
                    positions=tuple([positions] if isinstance(positions, int) else positions),
                    keywords=tuple([keywords] if isinstance(keywords, str) else keywords),
                    receiver=bool(arg.get("receiver", False)),
                    when_kwarg=f"#{when['pos']}" if "pos" in when else when.get("kwarg"),
                    when_truthy=bool(when.get("truthy", True)),
                    when_values=tuple(when.get("values", ())),
                    unless_kwarg=unless_kwargs[0] if unless_kwargs else None,
                    unless_kwargs=unless_kwargs,
                    unless_values=tuple(unless.get("values", ())),
                    unless_pos=unless.get("pos"),
                    untyped_only=bool(entry.get("untyped_only", False)),
                    description=entry.get("description", ""),
                    kinds=kinds,
                )
                models.sinks.setdefault(call, []).append(sink)
        for entry in data.get("sanitizer", ()):
            for call in _strs(entry["call"]):
                models.sanitizers[call] = SanitizerModel(
                    call, _cwes(entry["cleans"], "cleans", origin), entry.get("caveat", "")
                )
        for entry in data.get("template_render", ()):
            name = entry.get("name", {"pos": 0})
            context = entry.get("context", {})
            legacy = entry.get("legacy", {})
            escaping = entry.get("autoescape", {})
            for call in _strs(entry["call"]):
                models.template_renders[call] = TemplateRender(
                    call,
                    name.get("pos"),
                    name.get("kwarg"),
                    context.get("pos"),
                    context.get("kwarg"),
                    bool(context.get("kwargs", False)),
                    entry.get("description", ""),
                    name_from_receiver=bool(name.get("receiver", False)),
                    legacy_name_pos=legacy.get("name"),
                    legacy_context_pos=legacy.get("context"),
                    returns=bool(entry.get("returns", False)),
                    autoescape_kwarg=escaping.get("kwarg"),
                    autoescape_default=bool(escaping.get("default", True)),
                )
        for entry in data.get("template_folder", ()):
            arg = entry.get("arg", {"pos": 0})
            base = entry.get("base", "module")
            if base not in ("module", "project"):
                raise ModelError(
                    f'{origin}: models.template_folder: `base` is "module" or "project", '
                    f"not {_shown(base)}"
                )
            for call in _strs(entry["call"]):
                models.template_folders[call] = TemplateFolder(
                    call, arg.get("pos"), arg.get("name"), base
                )
        for entry in data.get("request_schema", ()):
            arg = entry.get("arg", {"pos": 0})
            for call in _strs(entry["call"]):
                models.request_schemas[call] = RequestSchema(
                    call, entry.get("param", "body"), arg.get("pos"), arg.get("name")
                )
        for entry in data.get("validator", ()):
            for call in _strs(entry["call"]):
                models.validators[call] = SanitizerModel(
                    call,
                    _cwes(entry["cleans"], "cleans", origin),
                    entry.get("caveat", ""),
                    _strs(entry.get("attributes")),
                    bool(entry.get("covers_arguments", False)),
                )
        neutral = data.get("neutral", {})
        models.neutral = _strs(neutral.get("calls"))
        models.noreturn = _strs(data.get("noreturn", {}).get("calls"))
        models.exception_sources = _strs(data.get("exception_source", {}).get("types"))
        names = data.get("secret_names")
        if names is not None:
            models.secret_names = _secret_names(names)
        options = data.get("secret_options")
        if options is not None:
            models.secret_options = SecretOptions(
                _strs(options.get("declare")),
                str(options.get("flag", "secret")),
                _strs(options.get("objects")),
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{origin}: bad model entry ({type(exc).__name__}: {exc})") from None
    return models


def _secret_names(table: dict[str, Any]) -> SecretNames:
    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in _strs(table.get(key)))

    def lists(key: str) -> dict[str, frozenset[str]]:
        return {
            k.lower(): frozenset(w.lower() for w in _strs(v)) for k, v in table.get(key, {}).items()
        }

    unknown = set(table) - {
        "nouns",
        "qualified",
        "unless_after",
        "transparent",
        "prefixes",
        "negations",
        "hashed",
        "plurals",
        "fused",
        "fused_suffixes",
        "maskers",
        "containers",
    }
    if unknown:
        raise ValueError(f"unknown key {sorted(unknown)[0]!r} in [secret_names]")
    return SecretNames(
        nouns=words("nouns"),
        qualified=lists("qualified"),
        unless_after=lists("unless_after"),
        transparent=words("transparent"),
        prefixes=words("prefixes"),
        negations=words("negations"),
        hashed=words("hashed"),
        plurals={str(k).lower(): str(v).lower() for k, v in table.get("plurals", {}).items()},
        fused={
            str(k).lower(): tuple(str(w).lower() for w in v)
            for k, v in table.get("fused", {}).items()
        },
        fused_suffixes=tuple(str(w).lower() for w in table.get("fused_suffixes", ())),
        maskers=words("maskers"),
        containers=frozenset(_strs(table.get("containers"))),
    )


def _cwe(value: Any, key: str, origin: str) -> int:
    """A CWE number as the models give it (918, or "918"); anything else names the key."""
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise ModelError(f"{origin}: `{key}` takes CWE numbers such as 918, not {value!r}")
    return int(value)


def _cwes(values: Any, key: str, origin: str) -> frozenset[int]:
    if not isinstance(values, list | tuple):
        raise ModelError(f"{origin}: `{key}` takes a list of CWE numbers, not {values!r}")
    return frozenset(_cwe(value, key, origin) for value in values)


def _check_kind(kind: str, origin: str) -> None:
    if kind not in SOURCE_KINDS:
        raise ModelError(
            f"{origin}: unknown source kind {kind!r} (one of {', '.join(SOURCE_KINDS)})"
        )


@cache
def builtin_models() -> ModelSet:
    models = ModelSet()
    for item in sorted(resources.files(__name__).iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            models.merge(parse_models(tomllib.loads(item.read_text(encoding="utf-8")), item.name))
    return models
