"""Framework and library models as data: sources, sinks, sanitizers, propagation.

Each `*.toml` file in this package describes one library or framework; users add their own in
`[tool.secreview.models]` with the same shape (docs/models.md). The engine never names a library.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

SOURCE_KINDS = ("remote", "local", "cli", "secret", "exception")


class ModelError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class SourceModel:
    name: str  # qualified attribute or call: "flask.request.args", "os.environ"
    kind: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class TypedSource:
    """Attributes and methods of an object known by its type that return untrusted data."""

    type: str
    kind: str
    attributes: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()


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
    # A `*.method` entry that matches only receivers of unknown type: `f.read(n)` on a stream,
    # not `ZipFile.read(name)` on an object whose type the analysis knows.
    untyped_only: bool = False
    description: str = ""


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
    neutral: frozenset[str] = frozenset()
    # Calls that never return (`flask.abort`, `sys.exit`): a branch ends there, like `raise`.
    noreturn: frozenset[str] = frozenset()
    # Exception types whose caught instance (`except OSError as e`) carries internal details;
    # "module.*" names every exception of a module.
    exception_sources: frozenset[str] = frozenset()
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
        self, qualname: str | None, method: str | None, typed: bool | None = None
    ) -> list[SinkModel]:
        """Sinks of `qualname`, of `*.owner.method` (its last two names), and of `*.method`.

        `typed`: whether the receiver's type is known (default: whether `qualname` is), which
        `untyped_only` entries exclude.
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
        self.neutral = self.neutral | other.neutral
        self.noreturn = self.noreturn | other.noreturn
        self.exception_sources = self.exception_sources | other.exception_sources
        self.files.extend(other.files)


def _strs(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    return frozenset(value or ())


def parse_models(data: dict[str, Any], origin: str) -> ModelSet:
    """Build a ModelSet from one TOML document; errors name the file and the entry."""
    models = ModelSet(files=[origin])
    try:
        for entry in data.get("source", ()):
            kind = entry.get("kind", "remote")
            _check_kind(kind, origin)
            for name in _strs(entry["name"]):
                models.sources[name] = SourceModel(name, kind, entry.get("description", ""))
        for entry in data.get("typed_source", ()):
            kind = entry.get("kind", "remote")
            _check_kind(kind, origin)
            models.typed_sources[entry["type"]] = TypedSource(
                entry["type"], kind, _strs(entry.get("attributes")), _strs(entry.get("methods"))
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
            for base in _strs(entry["base"]):
                models.controllers[base] = ControllerClass(
                    base,
                    _strs(entry.get("params")),
                    entry.get("kind", "remote"),
                    _strs(entry.get("self_attributes")),
                )
        for entry in data.get("sink", ()):
            arg = entry.get("arg", {})
            positions = arg.get("pos", ())
            keywords = arg.get("name", ())
            when = entry.get("when", {})
            unless = entry.get("unless", {})
            unless_kwargs = tuple(sorted(_strs(unless.get("kwarg"))))
            for call in _strs(entry["call"]):
                sink = SinkModel(
                    call=call,
                    cwe=int(entry["cwe"]),
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
                )
                models.sinks.setdefault(call, []).append(sink)
        for entry in data.get("sanitizer", ()):
            for call in _strs(entry["call"]):
                models.sanitizers[call] = SanitizerModel(
                    call, frozenset(int(c) for c in entry["cleans"]), entry.get("caveat", "")
                )
        for entry in data.get("validator", ()):
            for call in _strs(entry["call"]):
                models.validators[call] = SanitizerModel(
                    call,
                    frozenset(int(c) for c in entry["cleans"]),
                    entry.get("caveat", ""),
                    _strs(entry.get("attributes")),
                    bool(entry.get("covers_arguments", False)),
                )
        neutral = data.get("neutral", {})
        models.neutral = _strs(neutral.get("calls"))
        models.noreturn = _strs(data.get("noreturn", {}).get("calls"))
        models.exception_sources = _strs(data.get("exception_source", {}).get("types"))
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{origin}: bad model entry ({type(exc).__name__}: {exc})") from None
    return models


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
