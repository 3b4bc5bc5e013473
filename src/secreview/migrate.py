"""`secreview migrate`: a Bandit or Ruff configuration, as a `[tool.secreview]` table.

Sources: `.bandit` (INI), `[tool.bandit]` in pyproject.toml, Bandit's YAML files (`bandit -c`),
and Ruff's `[tool.ruff.lint]` (pyproject.toml) or `[lint]` (ruff.toml). Each is read as the set
of checks (rows of `secreview.equivalents`) that ran, plus globs where some did not, then
translated once. The result is printed; a file is written only when `-o FILE` names a new one.

A rule is selected when any check it covers was chosen, and ignored only when every check it
covers was skipped: skipping B603 must not turn off SR901, which also covers B602.
"""

from __future__ import annotations

import argparse
import configparser
import json
import re
import sys
import textwrap
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secreview.config import ConfigError
from secreview.equivalents import CHECKS, Check, ids_of_rule, lookup

BANDIT_CHECKS = frozenset(c for c in CHECKS if c.bandit and not c.retired)
RUFF_CHECKS = frozenset(c for c in CHECKS if c.ruff)
# What Ruff runs when `select` is not set: no S rule among them.
RUFF_DEFAULT_SELECT = ("E4", "E7", "E9", "F")
# Bandit settings that shape which checks run; anything else in its files is reported as not
# carried over (formatters, targets, plugin options).
_BANDIT_KEYS = {"tests", "skips", "exclude", "exclude_dirs"}
_EVERY_RULE = "SR*"


@dataclass
class Source:
    """What one configuration file says, in checks of the equivalence table."""

    label: str
    universe: frozenset[Check]  # the checks this tool has
    enabled: set[Check] | None = None  # None: says nothing about which checks run
    narrowed: bool = False  # chose checks explicitly (Bandit `tests`, a partial Ruff select)
    named: dict[str, Check] = field(default_factory=dict)  # ids written in the file
    per_file: dict[str, set[Check]] = field(default_factory=dict)  # glob -> checks off there
    per_file_all: set[str] = field(default_factory=set)  # globs where every check is off
    exclude: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------------
def read_sources(paths: list[Path]) -> list[Source]:
    """The sources in `paths`, or those found in the current directory."""
    if not paths:
        found = [
            p for p in (".bandit", "pyproject.toml", "ruff.toml", ".ruff.toml") if Path(p).is_file()
        ]
        sources = [s for p in found for s in _read(Path(p), explicit=False)]
        if not sources:
            raise ConfigError(
                "no Bandit or Ruff configuration here (.bandit, [tool.bandit] or [tool.ruff] in "
                "pyproject.toml, ruff.toml); name the file, e.g. `secreview migrate bandit.yaml`"
            )
        return sources
    return [s for p in paths for s in _read(p, explicit=True)]


def _read(path: Path, explicit: bool) -> list[Source]:
    if not path.is_file():
        raise ConfigError(f"{path}: {'not a file' if path.exists() else 'file not found'}")
    name = path.name.lower()
    if name.endswith((".yaml", ".yml")):
        return [_bandit_source(f"{path}", _read_yaml(path))]
    if name.endswith(".toml"):
        data = _read_toml(path)
        if name in ("ruff.toml", ".ruff.toml"):
            return [_ruff_source(f"{path}", data, data.get("lint", {}), path)]
        tool = data.get("tool", {})
        sources = []
        if isinstance(tool.get("bandit"), dict):
            sources.append(_bandit_source(f"{path} [tool.bandit]", tool["bandit"]))
        if isinstance(tool.get("ruff"), dict):
            ruff = tool["ruff"]
            sources.append(_ruff_source(f"{path} [tool.ruff]", ruff, ruff.get("lint", {}), path))
        if not sources and explicit:
            raise ConfigError(f"{path}: no [tool.bandit] or [tool.ruff] table")
        return sources
    return [_bandit_source(f"{path}", _read_ini(path))]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"{path}: cannot read: {reason or exc}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _read_ini(path: Path) -> dict[str, Any]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_read_text(path), source=str(path))
    except configparser.Error as exc:
        first = str(exc).splitlines()[0]
        raise ConfigError(f"{path}: not a valid INI file: {first}") from None
    if not parser.has_section("bandit"):
        raise ConfigError(f"{path}: no [bandit] section")
    # Bandit's .bandit values are comma-separated strings.
    return {
        key: [part.strip() for part in value.split(",") if part.strip()]
        if key in _BANDIT_KEYS
        else value
        for key, value in parser.items("bandit")
    }


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        import yaml
    except ImportError:
        raise ConfigError(
            f"{path}: reading Bandit's YAML needs PyYAML (pip install 'secreview[migrate]')"
        ) from None
    try:
        data = yaml.safe_load(_read_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}: not valid YAML: {where}{problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a Bandit configuration is a mapping, not {type(data).__name__}")
    return data


def _id_list(value: Any, where: str, key: str) -> list[str]:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings, not {value!r}")
    return value


def _bandit_source(label: str, table: dict[str, Any]) -> Source:
    source = Source(label, BANDIT_CHECKS)
    tests = _checks(source, _id_list(table.get("tests", []), label, "tests"), "tests")
    skips = _checks(source, _id_list(table.get("skips", []), label, "skips"), "skips")
    source.narrowed = bool(tests)
    source.enabled = set(tests or BANDIT_CHECKS) - set(skips)
    for key in ("exclude_dirs", "exclude"):
        if key in table:
            source.exclude += [_glob(p) for p in _id_list(table[key], label, key)]
    assert_used = table.get("assert_used")
    if isinstance(assert_used, dict) and "skips" in assert_used:
        b101 = lookup("B101")
        assert b101 is not None
        for glob in _id_list(assert_used["skips"], label, "assert_used.skips"):
            source.per_file.setdefault(_glob(glob), set()).add(b101)
        rest = sorted(set(assert_used) - {"skips"})
        if rest:
            source.notes.append(f"{label}: assert_used.{', '.join(rest)} not carried over")
    for key in sorted(set(table) - _BANDIT_KEYS - {"assert_used"}):
        check = lookup(key)
        what = f"the options of {check.label(check.bandit)}" if check else f"{key!r}"
        source.notes.append(f"{label}: {what} not carried over (no secreview counterpart)")
    return source


def _checks(source: Source, ids: list[str], key: str) -> list[Check]:
    found = []
    for item in ids:
        check = lookup(item)
        if check is None or not check.bandit:
            source.notes.append(f"{source.label}: {key}: {item!r} is not a Bandit test; left out")
            continue
        source.named[check.bandit] = check
        found.append(check)
    return found


def _ruff_source(label: str, top: dict[str, Any], lint: Any, path: Path) -> Source:
    source = Source(label, RUFF_CHECKS)
    if not isinstance(lint, dict):
        raise ConfigError(f"{path}: [lint] must be a table")

    def setting(key: str, default: Any) -> Any:
        return lint.get(key, top.get(key, default))  # the `lint` table wins, as in Ruff

    select = _id_list(setting("select", list(RUFF_DEFAULT_SELECT)), label, "select")
    select += _id_list(setting("extend-select", []), label, "extend-select")
    ignore = _id_list(setting("ignore", []), label, "ignore")
    ignore += _id_list(setting("extend-ignore", []), label, "extend-ignore")
    for selector in [*select, *ignore]:
        _note_ruff_selector(source, selector)
    enabled = _ruff_enabled(select, ignore)
    mentions_s = any(_ruff_specificity(s) is not None and s.upper() != "ALL" for s in select)
    if enabled or mentions_s:
        source.enabled = enabled
        source.narrowed = not _ruff_enabled(select, []) >= RUFF_CHECKS
    else:
        source.notes.append(f"{label}: selects no S rule; nothing to carry over from select")
    per_file: dict[str, Any] = {}
    for key in ("per-file-ignores", "extend-per-file-ignores"):
        value = setting(key, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: {key} must be a table of glob = [codes]")
        for glob, codes in value.items():
            per_file.setdefault(str(glob), []).extend(_id_list(codes, label, f"{key}.{glob}"))
    for glob, codes in per_file.items():
        off: set[Check] = set()
        for code in codes:
            _note_ruff_selector(source, code)
            if code.upper() in ("ALL", "S"):
                source.per_file_all.add(_glob(glob))
            off |= {c for c in RUFF_CHECKS if _ruff_matches(code, c.ruff)}
        if off and _glob(glob) not in source.per_file_all:
            source.per_file.setdefault(_glob(glob), set()).update(off)
    if "extend" in top:
        source.notes.append(f"{label}: extend = {top['extend']!r} is not followed")
    return source


def _note_ruff_selector(source: Source, selector: str) -> None:
    check = lookup(selector) if re.fullmatch(r"[Ss]\d{3}", selector) else None
    if check is not None:
        source.named[check.ruff] = check


def _ruff_specificity(selector: str) -> int | None:
    """Ruff's order: ALL, then the linter (`S`), then longer prefixes; None: not flake8-bandit."""
    selector = selector.strip().upper()
    if selector == "ALL":
        return 0
    match = re.fullmatch(r"S(\d{0,3})", selector)
    return 1 + len(match.group(1)) if match else None


def _ruff_matches(selector: str, code: str) -> bool:
    specificity = _ruff_specificity(selector)
    return specificity is not None and (specificity == 0 or code.startswith(selector.upper()))


def _ruff_enabled(select: list[str], ignore: list[str]) -> set[Check]:
    """Ruff's resolution: selectors from least to most specific; at a tie, ignore wins."""
    ordered = sorted(
        [(s, True) for s in select] + [(s, False) for s in ignore],
        key=lambda item: (_ruff_specificity(item[0]) or 0, not item[1]),
    )
    enabled: set[Check] = set()
    for selector, on in ordered:
        if _ruff_specificity(selector) is None:
            continue  # another linter's codes
        matched = {c for c in RUFF_CHECKS if _ruff_matches(selector, c.ruff)}
        enabled = enabled | matched if on else enabled - matched
    return enabled


def _glob(pattern: str) -> str:
    """A Bandit or Ruff path pattern as a secreview glob: `./tests/` -> `tests`; `**/` dropped
    and `**` made `*`, since secreview's `*` already crosses directories."""
    pattern = pattern.strip().replace("\\", "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.replace("**/", "").replace("**", "*")
    return pattern.rstrip("/") or "."


# -- translating -----------------------------------------------------------------------------
@dataclass
class Migrated:
    sources: list[str]
    select: dict[str, list[str]] | None = None  # rule -> the ids it stands for
    ignore: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    unselected: list[str] = field(default_factory=list)  # rules left out by `select`
    comments: list[str] = field(default_factory=list)


def translate(sources: list[Source], all_rule_ids: Iterable[str]) -> Migrated:
    result = Migrated([s.label for s in sources])
    deciding = [s for s in sources if s.enabled is not None]
    universe = frozenset().union(*(s.universe for s in deciding)) if deciding else frozenset()
    enabled: set[Check] = set().union(*(s.enabled or set() for s in deciding))
    disabled = set(universe) - enabled

    def ids(checks: Iterable[Check]) -> list[str]:
        return sorted({i for c in checks for i in c.ids if _in_sources(i, sources)})

    if deciding and all(s.narrowed for s in deciding):
        chosen: dict[str, set[Check]] = {}
        for check in enabled:
            for rule in check.rules:
                chosen.setdefault(rule, set()).add(check)
        result.select = {rule: ids(chosen[rule]) for rule in sorted(chosen)}
        result.unselected = [r for r in all_rule_ids if ids_of_rule(r) == ((), ())]
    else:
        for rule, covered in sorted(_rule_checks(universe).items()):
            if covered <= disabled:
                result.ignore[rule] = ids(covered)
        for check in sorted(disabled, key=_order):
            kept = [r for r in check.rules if r not in result.ignore]
            if kept:
                others = ids(_rule_checks(universe)[kept[0]] - disabled)
                result.comments.append(
                    f"{_name(check, sources)} is skipped, but {_stays(kept)}: {', '.join(others)}"
                )
    for source in sources:
        for foreign_id, check in sorted(source.named.items()):
            if not check.rules:
                text = f"{check.label(foreign_id)}: no secreview equivalent"
                note = (
                    f"{check.note}; nearest: {', '.join(check.nearest)}"
                    if check.nearest
                    else check.note
                )
                result.comments.append(f"{text} ({note})" if note else text)
        result.comments += source.notes
        result.exclude += [p for p in source.exclude if p not in result.exclude]
        others = [o for o in deciding if o is not source]
        for glob in sorted(source.per_file_all):
            if all(_off_at(o, glob) >= frozenset(CHECKS) for o in others):
                result.per_file_ignores.setdefault(glob, {})[_EVERY_RULE] = ["every S rule"]
            else:
                result.comments.append(
                    f"per-file-ignores {glob!r} of {source.label}: the other tools still check "
                    "those files; not carried over"
                )
        for glob, wanted_off in source.per_file.items():
            off = set(wanted_off)
            for other in others:
                off &= _off_at(other, glob)
            if off != wanted_off:
                still = ", ".join(i for c in sorted(wanted_off - off, key=_order) for i in c.ids)
                result.comments.append(
                    f"per-file-ignores {glob!r} of {source.label}: {still} still run there under "
                    "another tool; not carried over"
                )
            table = result.per_file_ignores.setdefault(glob, {})
            for rule, covered in _rule_checks(source.universe).items():
                if covered & off and covered <= off | disabled and rule not in result.ignore:
                    table[rule] = ids(covered & off)
            for check in sorted(off, key=_order):
                kept = [r for r in check.rules if r not in table and r not in result.ignore]
                if kept:
                    result.comments.append(
                        f"per-file-ignores {glob!r}: {_name(check, sources)} is off there, but "
                        f"{_stays(kept)}"
                    )
            if table:
                result.per_file_ignores[glob] = dict(sorted(table.items()))
            else:
                del result.per_file_ignores[glob]
    result.comments = list(dict.fromkeys(result.comments))
    return result


def _off_at(source: Source, glob: str) -> frozenset[Check]:
    """The checks a source does not run on files of `glob`: those it skips everywhere, those it
    turns off there, and those it does not have."""
    if glob in source.per_file_all:
        return frozenset(CHECKS)
    running = source.enabled if source.enabled is not None else set(source.universe)
    return frozenset(CHECKS) - (running - source.per_file.get(glob, set()))


def _rule_checks(universe: Iterable[Check]) -> dict[str, set[Check]]:
    covered: dict[str, set[Check]] = {}
    for check in universe:
        for rule in check.rules:
            covered.setdefault(rule, set()).add(check)
    return covered


def _stays(rules: list[str]) -> str:
    if len(rules) == 1:
        return f"{rules[0]} stays on, as it also covers other checks"
    return f"{', '.join(rules)} stay on, as they also cover other checks"


def _order(check: Check) -> str:
    return check.bandit or check.ruff


def _in_sources(foreign_id: str, sources: list[Source]) -> bool:
    """Name a check by the ids of the tools being migrated from: B602 for Bandit, S602 for Ruff."""
    return any(
        (foreign_id.startswith("B") and s.universe is BANDIT_CHECKS)
        or (foreign_id.startswith("S") and s.universe is RUFF_CHECKS)
        for s in sources
    )


def _name(check: Check, sources: list[Source]) -> str:
    return " / ".join(check.label(i) for i in check.ids if _in_sources(i, sources)) or check.label(
        _order(check)
    )


# -- writing ---------------------------------------------------------------------------------
def render(migrated: Migrated) -> str:
    out = [
        f"# Generated by `secreview migrate` from {', '.join(migrated.sources)}.",
        "# Review it, then add it to pyproject.toml or save it as secreview.toml.",
        "[tool.secreview]",
    ]
    if migrated.select is not None:
        out += _array("select", migrated.select)
        if migrated.unselected:
            out += _comment(
                "Only the rules of the chosen checks run. These have no Bandit or Ruff "
                f"counterpart and run only without `select`: {', '.join(migrated.unselected)}"
            )
    if migrated.ignore:
        out += _array("ignore", migrated.ignore)
    if migrated.exclude:
        out.append(f"exclude = [{', '.join(_string(p) for p in migrated.exclude)}]")
    if migrated.select is None and not migrated.ignore and not migrated.exclude:
        out.append("# Nothing to narrow: every secreview rule runs, as every check did.")
    for comment in migrated.comments:
        out += _comment(comment)
    if migrated.per_file_ignores:
        out += ["", "[tool.secreview.per-file-ignores]"]
        for glob, rules in migrated.per_file_ignores.items():
            items = ", ".join(_string(r) for r in rules)
            why = sorted({i for ids in rules.values() for i in ids})
            out.append(f"{_string(glob)} = [{items}]  # {', '.join(why)}")
    return "\n".join(out) + "\n"


def _comment(text: str) -> list[str]:
    """A comment line, wrapped to the width of the project's files."""
    lines = textwrap.wrap(text, width=96, break_on_hyphens=False)
    return [f"# {lines[0]}", *(f"#   {line}" for line in lines[1:])]


def _array(key: str, entries: dict[str, list[str]]) -> list[str]:
    lines = [f"{key} = ["]
    lines += [f"    {_string(rule)},  # {', '.join(ids)}" for rule, ids in entries.items()]
    return [*lines, "]"]


def _string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


# -- the command -----------------------------------------------------------------------------
def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    text = "print a Bandit or Ruff configuration as a [tool.secreview] table"
    parser = commands.add_parser("migrate", help=text, description=text)
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        help=".bandit, pyproject.toml, ruff.toml or a Bandit YAML file "
        "(default: .bandit, pyproject.toml, ruff.toml and .ruff.toml in this directory)",
    )
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write to FILE, which must not exist"
    )


def cmd_migrate(args: argparse.Namespace) -> int:
    from secreview.rules import all_rules

    text = render(translate(read_sources(args.files), [r.id for r in all_rules()]))
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        with args.output.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ConfigError(f"{args.output}: already exists; not overwritten") from None
    except OSError as exc:
        raise ConfigError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    print(f"secreview: wrote {args.output}", file=sys.stderr)
    return 0
