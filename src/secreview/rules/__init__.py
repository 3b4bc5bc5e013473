"""Rules, one module per rule, grouped in packages by CWE family.

The registry imports every module below this package and collects the `Rule` subclasses that
have an id, so adding a rule is adding a file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from secreview.equivalents import CHECKS
from secreview.rules.base import Rule


@cache
def all_rules() -> tuple[type[Rule], ...]:
    found: dict[str, type[Rule]] = {}
    for info in pkgutil.walk_packages(__path__, prefix=__name__ + "."):
        module = importlib.import_module(info.name)  # secreview: ignore[SR207] -- own modules
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value.id
                and value.__module__ == module.__name__
            ):
                if value.id in found and found[value.id] is not value:
                    raise RuntimeError(f"duplicate rule id {value.id}")
                found[value.id] = value
    return tuple(sorted(found.values(), key=lambda r: r.id))


def find_rule(key: str) -> type[Rule] | None:
    """A rule by id (`SR201`) or slug (`subprocess-shell-injection`), case-insensitive."""
    wanted = key.strip().lower()
    for rule in all_rules():
        if rule.id.lower() == wanted or rule.slug == wanted:
            return rule
    return None


def rules_for_cwe(cwe: int) -> list[type[Rule]]:
    return [r for r in all_rules() if cwe in r.all_cwes() or r.checklist_family() == cwe]


@cache
def foreign_id_map() -> Mapping[str, tuple[str, ...]]:
    """Bandit test id (B602) or Ruff code (S602) -> our rule ids, for `# nosec` and `# noqa`.

    The table itself is `secreview.equivalents`; ids that nothing here covers are left out.
    """
    mapping: dict[str, tuple[str, ...]] = {}
    for check in CHECKS:
        if check.rules:
            for foreign_id in check.ids:
                mapping[foreign_id] = check.rules
    return MappingProxyType(mapping)
