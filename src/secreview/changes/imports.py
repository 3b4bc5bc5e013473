"""A cheap import graph of the project: which modules a file imports, found by scanning its
import statements with a regular expression rather than parsing the whole file.

Diff mode analyses the changed files plus the modules data flow needs: those they import (a
tainted value may reach a sink there) and those that import them (a caller may pass one in).
The scan over-approximates (an import inside a string counts), which only costs a little time.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Mapping

_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<module>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^#\n;]+)"
    r"|import[ \t]+(?P<plain>[^#\n;]+))",
    re.MULTILINE,
)
_IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*")

# How far diff mode follows imports from the changed files.
FORWARD_DEPTH = 2  # modules the changed files import, and the modules those import
REVERSE_DEPTH = 2  # modules that import the changed files, and their importers
CALLER_DEPTH = 1  # modules imported by those importers (where their inputs come from)
MAX_CONTEXT_FILES = 400  # beyond this many unchanged files, the nearest ones are kept


def module_names(paths: Iterable[str]) -> dict[str, tuple[str, bool]]:
    """Each Python file's dotted module name (from the __init__.py files above it, as the
    scanner names modules) and whether it is a package's __init__.py."""
    paths = list(paths)
    inits = {p.rsplit("/", 1)[0] if "/" in p else "" for p in paths if _is_init(p)}
    names: dict[str, tuple[str, bool]] = {}
    for path in paths:
        parts = path.split("/")
        is_package = _is_init(path)
        dotted = parts[:-1] if is_package else [*parts[:-1], _stem(parts[-1])]
        directories = parts[:-1]
        depth = len(directories)  # climb while the directory above is a package
        while depth > 0 and "/".join(directories[:depth]) in inits:
            depth -= 1
        keep = len(dotted) - depth
        names[path] = (".".join(dotted[len(dotted) - keep :]), is_package)
    return names


def _is_init(path: str) -> bool:
    return path.rsplit("/", 1)[-1] in ("__init__.py", "__init__.pyw")


def _stem(name: str) -> str:
    if name.endswith(".ipynb"):
        return name  # as the scanner names a notebook's module: no import can name it
    return name.rsplit(".", 1)[0]


def imported_modules(text: str, module: str, is_package: bool) -> set[str]:
    """Every dotted name the imports of `text` could refer to (modules and module.attribute)."""
    found: set[str] = set()
    if "import" not in text:
        return found
    for match in _IMPORT.finditer(text):
        plain = match.group("plain")
        if plain is not None:
            for item in plain.split(","):
                name = _IDENTIFIER.match(item.strip().removesuffix("\\").strip())
                if name:
                    found.add(name.group(0))
            continue
        base = _absolute(match.group("module"), module, is_package)
        if base is None:
            continue
        if base:
            found.add(base)
        for item in match.group("names").strip("()").split(","):
            name = _IDENTIFIER.match(item.strip().removesuffix("\\").strip())
            if name and name.group(0) != "*":
                found.add(f"{base}.{name.group(0)}" if base else name.group(0))
    return found


def _absolute(module: str, current: str, is_package: bool) -> str | None:
    level = len(module) - len(module.lstrip("."))
    rest = module[level:]
    if level == 0:
        return rest
    package = current.split(".") if current else []
    if not is_package:
        package = package[:-1]
    if level - 1 > len(package):
        return None
    package = package[: len(package) - (level - 1)]
    return ".".join([*package, rest] if rest else package)


class ImportGraph:
    """Edges between the project's Python files, built from their import statements."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.names = module_names(texts)
        by_module: dict[str, str] = {}
        for path, (name, _) in sorted(self.names.items()):
            if name:
                by_module.setdefault(name, path)
            # the path itself, dotted, for code that imports through a directory without an
            # __init__.py (namespace packages, src/ layouts run from the repository root)
            dotted = _stem(path).replace("/", ".").removesuffix(".__init__")
            by_module.setdefault(dotted, path)
        self.imports: dict[str, set[str]] = {}
        self.importers: dict[str, set[str]] = {path: set() for path in texts}
        for path, text in texts.items():
            name, is_package = self.names[path]
            targets: set[str] = set()
            for dotted in imported_modules(text, name, is_package):
                target = _resolve(dotted, by_module)
                if target is not None and target != path:
                    targets.add(target)
            self.imports[path] = targets
            for target in targets:
                self.importers[target].add(path)

    def select(
        self,
        changed: Iterable[str],
        forward: int = FORWARD_DEPTH,
        reverse: int = REVERSE_DEPTH,
        callers: int = CALLER_DEPTH,
        limit: int = MAX_CONTEXT_FILES,
    ) -> list[str]:
        """The changed files plus the files data flow needs around them, nearest first."""
        changed = [p for p in changed if p in self.imports]
        order: list[str] = list(dict.fromkeys(changed))
        seen = set(order)

        def walk(starts: list[str], edges: dict[str, set[str]], depth: int) -> list[str]:
            reached: list[str] = []
            queue = deque((p, 0) for p in starts)
            visited = set(starts)
            while queue:
                path, distance = queue.popleft()
                if distance >= depth:
                    continue
                for nxt in sorted(edges.get(path, ())):
                    if nxt in visited:
                        continue
                    visited.add(nxt)
                    reached.append(nxt)
                    queue.append((nxt, distance + 1))
            return reached

        def add(paths: list[str]) -> None:
            for path in paths:
                if path not in seen and len(order) - len(changed) < limit:
                    seen.add(path)
                    order.append(path)

        add(walk(changed, self.imports, forward))
        callers_found = walk(changed, self.importers, reverse)
        add(callers_found)
        add(walk(callers_found, self.imports, callers))
        return order


def _resolve(dotted: str, by_module: Mapping[str, str]) -> str | None:
    """The file a dotted import name refers to: the longest prefix that is a module."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        path = by_module.get(".".join(parts[:end]))
        if path is not None:
            return path
    return None
