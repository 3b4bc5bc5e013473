"""Configuration: `[tool.secreview]` in pyproject.toml, or secreview.toml, found by walking up.

Every value remembers where it came from, so `secreview config` can say so. Unknown keys and
bad values are errors that name the key and suggest the nearest valid one.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import cached_property
from pathlib import Path
from typing import Any

from secreview import equivalents
from secreview.cwe import parse_cwe
from secreview.findings import Confidence, Severity
from secreview.models import ModelError, ModelSet, builtin_models, parse_models
from secreview.parsing.source import DEFAULT_MAX_FILE_SIZE
from secreview.rules import all_rules
from secreview.rules.base import Rule


class ConfigError(Exception):
    """A configuration problem; the message is one line and names the key."""


@dataclass(slots=True)
class Override:
    paths: list[str]
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: Severity | None = None
    test_code: bool | None = None


@dataclass
class Config:
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: Severity = Severity.LOW
    confidence: Confidence = Confidence.LOW
    fail_on: Severity | None = Severity.LOW  # None: findings never fail the run (`none`)
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    respect_gitignore: bool = True
    test_code: list[str] = field(default_factory=list)
    # Findings in test code are left out of reports (and counted) unless this is set.
    include_tests: bool = False
    review_cwes: list[int] = field(default_factory=list)  # the review's checklist categories
    docs_url: str | None = None  # where the rule pages are: secreview.doc_links
    dataflow: bool = True
    propagate_unknown_calls: bool = True
    models: dict[str, Any] = field(default_factory=dict)  # user models, same shape as the files
    cache: bool = True  # keep results for the next scan (docs/configuration.md, "Cache")
    cache_dir: Path | None = None  # the cache folder, if not .secreview_cache at the root
    root: Path = field(default_factory=Path.cwd)
    file: Path | None = None
    origins: dict[str, str] = field(default_factory=dict)

    def model_set(self) -> ModelSet:
        """Built-in models plus the user's, built once per configuration."""
        cached = self.__dict__.get("_model_set")
        if cached is None:
            cached = ModelSet()
            cached.merge(builtin_models())
            if self.models:
                cached.merge(parse_models(self.models, str(self.file or "configuration")))
            self.__dict__["_model_set"] = cached
        return cached

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_model_set", None)  # rebuilt in each worker
        state.pop("_selection_cache", None)
        return state

    def cache_directory(self) -> Path:
        """The cache folder: `cache-dir` (relative to the configuration root), else
        `.secreview_cache` at the root."""
        return self.root / (self.cache_dir or ".secreview_cache")

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")

    # -- rule selection ---------------------------------------------------------------------
    def rules_for(self, relpath: str) -> tuple[type[Rule], ...]:
        select = self.select
        ignore = list(self.ignore)
        for pattern, ids in self.per_file_ignores.items():
            if _path_matches(relpath, pattern):
                ignore.extend(ids)
        for override in self.overrides:
            if any(_path_matches(relpath, p) for p in override.paths):
                if override.select is not None:
                    select = override.select
                ignore.extend(override.ignore)
        return self._selection(tuple(select) if select is not None else None, tuple(ignore))

    def severity_for(self, relpath: str) -> Severity:
        threshold = self.severity
        for override in self.overrides:
            if override.severity is not None and any(
                _path_matches(relpath, p) for p in override.paths
            ):
                threshold = override.severity
        return threshold

    def forced_test_code(self, relpath: str) -> bool | None:
        if any(_path_matches(relpath, p) for p in self.test_code):
            return True
        for override in self.overrides:
            if override.test_code is not None and any(
                _path_matches(relpath, p) for p in override.paths
            ):
                return override.test_code
        return None

    @cached_property
    def _selection_cache(self) -> dict[tuple[Any, ...], tuple[type[Rule], ...]]:
        return {}

    def _selection(
        self, select: tuple[str, ...] | None, ignore: tuple[str, ...]
    ) -> tuple[type[Rule], ...]:
        key = (select, ignore)
        cached = self._selection_cache.get(key)
        if cached is None:
            rules = all_rules()
            if select is not None:
                rules = tuple(r for r in rules if any(_selector_matches(r, s) for s in select))
            cached = tuple(r for r in rules if not any(_selector_matches(r, s) for s in ignore))
            self._selection_cache[key] = cached
        return cached


def _selector_matches(rule: type[Rule], selector: str) -> bool:
    cwe = parse_cwe(selector)
    if cwe is not None:
        return cwe in rule.all_cwes()
    if equivalents.is_foreign_id(selector):  # Bandit's B602, Ruff's S608: the rules covering it
        return rule.id in equivalents.rules_for(selector)
    wanted = selector.lower()
    return (
        rule.id.lower() == wanted
        or rule.slug == wanted
        or (wanted.endswith("*") and rule.id.lower().startswith(wanted[:-1]))
    )


def _path_matches(relpath: str, pattern: str) -> bool:
    pattern = pattern.rstrip("/")
    if fnmatch(relpath, pattern) or fnmatch(relpath, pattern + "/*"):
        return True
    parts = relpath.split("/")
    return any(fnmatch(part, pattern) for part in parts) if "/" not in pattern else False


# -- loading ---------------------------------------------------------------------------------
CONFIG_KEYS = (
    "select",
    "ignore",
    "severity",
    "confidence",
    "fail-on",
    "exclude",
    "per-file-ignores",
    "overrides",
    "max-file-size",
    "respect-gitignore",
    "include-tests",
    "test-code",
    "dataflow",
    "propagate-unknown-calls",
    "models",
    "review-cwes",
    "docs-url",
    "cache",
    "cache-dir",
)
MODEL_SECTIONS = (
    "source",
    "typed_source",
    "parameter_type",
    "route",
    "controller",
    "sink",
    "sanitizer",
    "validator",
    "neutral",
    "noreturn",
    "exception_source",
    "secret_names",
    "secret_options",
)
OVERRIDE_KEYS = ("paths", "select", "ignore", "severity", "test-code")


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest secreview.toml, or pyproject.toml with a [tool.secreview] table, upwards."""
    directory = start if os.path.isdir(start) else start.parent
    directory = directory.resolve()
    for candidate_dir in (directory, *directory.parents):
        own = candidate_dir / "secreview.toml"
        if _is_file(own):
            data = _read_toml(own)
            return own, _tool_table(data, own).get("secreview", data)
        pyproject = candidate_dir / "pyproject.toml"
        if _is_file(pyproject):
            data = _read_toml(pyproject)
            table = _tool_table(data, pyproject).get("secreview")
            if table is not None:
                return pyproject, table
    return None


def _tool_table(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """The `[tool]` table of a TOML document (`tool = 5` is valid TOML, and not a table)."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: tool must be a table ([tool.secreview]), not {_shown(tool)}")
    return tool


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to read") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load_config(start: Path, explicit: Path | None = None) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: configuration file not found")
        data = _read_toml(explicit)
        table = _tool_table(data, explicit).get(
            "secreview", data if explicit.name != "pyproject.toml" else {}
        )
        return config_from_table(table, explicit)
    found = find_config_file(start)
    if found is None:
        return Config(root=(start if os.path.isdir(start) else start.parent).resolve())
    path, table = found
    return config_from_table(table, path)


def config_from_table(table: dict[str, Any], path: Path | None) -> Config:
    where = f"{path}" if path else "configuration"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [tool.secreview] must be a table")
    config = Config(root=path.parent.resolve() if path else Path.cwd(), file=path)
    for key, value in table.items():
        if key not in CONFIG_KEYS:
            raise ConfigError(
                f"{where}: unknown key {key!r} in [tool.secreview]{_suggest(key, CONFIG_KEYS)}"
            )
        _apply_checked(config, key, value, where)
        config.origins[key] = str(path) if path else "configuration"
    return config


def apply_cli(config: Config, key: str, value: Any) -> None:
    """Set a value given on the command line (already parsed), validating it like the file's."""
    _apply_checked(config, key, value, "command line")
    config.origins[key] = "command line"


def _apply_checked(config: Config, key: str, value: Any, where: str) -> None:
    """Set one key, then check that the rule selection still runs something: an empty
    selection would report "0 findings" and exit 0, a pass nobody earned."""
    try:
        _apply(config, key, value, where)
    except RecursionError:
        raise ConfigError(f"{where}: {key} is nested too deeply to be a value of it") from None
    if key not in ("select", "ignore"):
        return
    if config.select is not None:
        if not config.select:
            raise ConfigError(
                f"{where}: select is empty, so no rule would run; name rules or CWEs "
                "(`secreview rules` lists them), or leave select out to run every rule"
            )
        for selector in config.select:
            if not any(_selector_matches(rule, selector) for rule in all_rules()):
                raise ConfigError(
                    f"{where}: select: {_shown(selector)} matches no rule "
                    "(`secreview rules` lists them)"
                )
    select = tuple(config.select) if config.select is not None else None
    if not config._selection(select, tuple(config.ignore)):
        raise ConfigError(f"{where}: select and ignore together leave no rule to run")


def _shown(value: Any, limit: int = 60) -> str:
    """A value as an error message quotes it: its repr (which escapes control characters),
    cut short, and never a crash on a value nested too deeply to print."""
    try:
        text = repr(value)
    except RecursionError:
        return f"a {type(value).__name__} nested too deeply"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_file(path: Path) -> bool:
    """Path.is_file, but False (not an error) in a directory that cannot be entered."""
    try:
        return path.is_file()
    except OSError:
        return False


def _apply(config: Config, key: str, value: Any, where: str) -> None:
    match key:
        case "select":
            config.select = _rule_list(value, key, where)
        case "ignore":
            config.ignore = _rule_list(value, key, where)
        case "severity":
            config.severity = _enum(Severity, value, key, where)
        case "confidence":
            config.confidence = _enum(Confidence, value, key, where)
        case "fail-on":
            if isinstance(value, str) and value.strip().lower() == "none":
                config.fail_on = None  # like --exit-zero
            else:
                config.fail_on = _enum(Severity, value, key, where, extra=("none",))
        case "docs-url":
            from secreview.doc_links import template_error

            error = template_error(value)
            if error:
                raise ConfigError(f"{where}: {key} {error}")
            config.docs_url = value
        case "exclude":
            config.exclude = _str_list(value, key, where)
        case "test-code":
            config.test_code = _str_list(value, key, where)
        case "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: {key} must be a table of glob = [rule ids]")
            config.per_file_ignores = {
                str(glob): _rule_list(ids, f"{key}.{glob}", where) for glob, ids in value.items()
            }
        case "overrides":
            config.overrides = _overrides(value, where)
        case "max-file-size":
            config.max_file_size = _size(value, key, where)
        case "cache-dir":
            # A checkout's own configuration may not make secreview write outside the tree.
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{where}: {key} must be a path, not {value!r}")
            if Path(value).is_absolute() or ".." in Path(value).parts or value.startswith("~"):
                raise ConfigError(
                    f"{where}: {key} must be a folder inside the project, relative to the "
                    f"configuration file's directory, not {value!r}"
                )
            config.cache_dir = Path(value)
        case (
            "respect-gitignore" | "include-tests" | "dataflow" | "propagate-unknown-calls" | "cache"
        ):
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: {key} must be true or false, not {value!r}")
            setattr(config, key.replace("-", "_"), value)
        case "models":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: models must be a table ([tool.secreview.models])")
            unknown = set(value) - set(MODEL_SECTIONS)
            if unknown:
                name = sorted(unknown)[0]
                raise ConfigError(
                    f"{where}: unknown key {name!r} in [tool.secreview.models]"
                    f"{_suggest(name, MODEL_SECTIONS)}"
                )
            try:
                parse_models(value, where)
            except ModelError as exc:
                raise ConfigError(str(exc)) from None
            config.models = value
        case "review-cwes":
            items = _str_list(
                [str(v) for v in value] if isinstance(value, list) else value, key, where
            )
            cwes = []
            for item in items:
                cwe = parse_cwe(item if not item.isdigit() else f"CWE-{item}")
                if cwe is None:
                    raise ConfigError(
                        f"{where}: {key} entries must look like 'CWE-89', not {item!r}"
                    )
                cwes.append(cwe)
            setattr(config, key.replace("-", "_"), cwes)


def _overrides(value: Any, where: str) -> list[Override]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(
            f"{where}: overrides must be an array of tables ([[tool.secreview.overrides]])"
        )
    result = []
    for index, table in enumerate(value):
        label = f"overrides[{index}]"
        for key in table:
            if key not in OVERRIDE_KEYS:
                raise ConfigError(
                    f"{where}: unknown key {key!r} in {label}{_suggest(key, OVERRIDE_KEYS)}"
                )
        if "paths" not in table:
            raise ConfigError(f"{where}: {label} needs a 'paths' list of globs")
        override = Override(paths=_str_list(table["paths"], f"{label}.paths", where))
        if "select" in table:
            override.select = _rule_list(table["select"], f"{label}.select", where)
            if not override.select:
                raise ConfigError(
                    f"{where}: {label}.select is empty, so no rule would run on its paths; "
                    "use exclude to skip files"
                )
        if "ignore" in table:
            override.ignore = _rule_list(table["ignore"], f"{label}.ignore", where)
        if "severity" in table:
            override.severity = _enum(Severity, table["severity"], f"{label}.severity", where)
        if "test-code" in table:
            if not isinstance(table["test-code"], bool):
                raise ConfigError(f"{where}: {label}.test-code must be true or false")
            override.test_code = table["test-code"]
        result.append(override)
    return result


def _str_list(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings, not {_shown(value)}")
    return value


def _rule_list(value: Any, key: str, where: str) -> list[str]:
    items = _str_list(value, key, where)
    known_ids = [r.id for r in all_rules()] + [r.slug for r in all_rules()]
    for item in items:
        if parse_cwe(item) is not None:
            continue
        if equivalents.is_foreign_id(item):
            if not equivalents.rules_for(item):
                raise ConfigError(f"{where}: {key}: {equivalents.no_equivalent_message(item)}")
            continue
        lowered = item.lower()
        if lowered.endswith("*") or any(k.lower() == lowered for k in known_ids):
            continue
        raise ConfigError(f"{where}: {key}: unknown rule {item!r}{_suggest(item, known_ids)}")
    return items


def _enum(
    kind: type[Severity] | type[Confidence],
    value: Any,
    key: str,
    where: str,
    extra: tuple[str, ...] = (),
) -> Any:
    names = [m.name.lower() for m in kind]
    if not isinstance(value, str) or value.lower() not in names:
        allowed = [*names, *extra]
        raise ConfigError(
            f"{where}: {key} must be one of {', '.join(allowed)}, not {value!r}"
            f"{_suggest(str(value), allowed)}"
        )
    return kind.parse(value)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*$", re.ASCII)


def _size(value: Any, key: str, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str):
        match = _SIZE.match(value)
        if match:
            factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
            size = int(float(match.group(1)) * factor)
            if size >= 1:  # a limit of 0 would skip every file and pass
                return size
    raise ConfigError(
        f"{where}: {key} must be a size of at least 1 byte, in bytes or like '5MB', "
        f"not {_shown(value)}"
    )


def closest(word: str, options: list[str] | tuple[str, ...]) -> list[str]:
    """The options close to `word`, best first. Rule ids often tie on difflib's score (SR201
    and SR921 for "SR2O1"): among them, the one that differs in the fewest places, as one
    mistyped character does, comes first."""
    close = difflib.get_close_matches(word, list(options), n=5, cutoff=0.6)
    close.sort(
        key=lambda name: (
            sum(a != b for a, b in zip(word.upper(), name.upper(), strict=False))
            + abs(len(word) - len(name))
        )
    )
    return close


def _suggest(word: str, options: list[str] | tuple[str, ...]) -> str:
    close = closest(word, options)
    if not close:
        close = closest(word.lower(), [o.lower() for o in options])
    return f"; did you mean {close[0]!r}?" if close else ""
