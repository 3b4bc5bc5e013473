"""Reviewing a change: analyse what it touches, report what it introduces, say what it fixes.

The changed files are analysed whole, together with the modules data flow needs around them
(see imports.py). A finding is reported when its location, or any step of its trace, is on a
line the change adds or modifies, and it was not already there before the change (same
fingerprint in the base revision: code that only moved is not new). Findings of the base
revision that touched the changed files and are gone afterwards are listed as resolved.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO

from secreview.analysis import (
    ScanOptions,
    ScanResult,
    _apply_thresholds,
    analyze_parsed,
    cached_text_analysis,
    open_cache,
    solve_flows,
    without_cyclic_gc,
)
from secreview.changes.diffs import DiffFile, is_python, mismatch, parse_diff, splice
from secreview.changes.git import Git
from secreview.changes.imports import ImportGraph, module_names
from secreview.changes.model import ChangeError, ChangeSet, FileChange
from secreview.changes.trees import (
    CommitTree,
    Contents,
    Excluder,
    OverlayTree,
    Tree,
    WorkTree,
    inside,
)
from secreview.config import Config
from secreview.findings import Diagnostic, FileResult, Finding
from secreview.fingerprint import fingerprints
from secreview.parsing.notebook import parse_file_text
from secreview.parsing.source import ParsedSource, decode_source, read_bytes
from secreview.rules import all_rules


@dataclass
class DiffResult(ScanResult):
    """A ScanResult holding only what the change introduced, plus what it resolved."""

    resolved: list[Finding] = field(default_factory=list)  # as found in the base revision
    # Findings of the changed files that were there before the change too: context for a
    # review, never reported as new.
    preexisting: list[Finding] = field(default_factory=list)
    change: ChangeSet = field(default_factory=ChangeSet)
    analysed_for_context: int = 0  # unchanged files analysed because data flow needs them

    def changed_lines(self, path: str) -> frozenset[int]:
        change = self.change.by_new_path.get(path)
        return change.added if change is not None else frozenset()

    def anchor(self, finding: Finding) -> tuple[str, int, int]:
        """Where to attach a comment about `finding` so it sits on the change: its own
        location when that is on a changed line, else the first trace step that is (a flow
        whose sink is in an unchanged file, fed through a line the change added)."""
        own = self.changed_lines(finding.path)
        if any(line in own for line in range(finding.line, finding.end_line + 1)):
            return finding.path, finding.line, finding.end_line
        for step in finding.trace:
            if step.line in self.changed_lines(step.path):
                return step.path, step.line, step.line
        return finding.path, finding.line, finding.end_line


def resolved_line(finding: Finding) -> str:
    return f"resolved: CWE-{finding.cwe} at {finding.path}:{finding.line} ({finding.rule_id})"


# -- reading the change ------------------------------------------------------------------------
@dataclass(slots=True)
class _Sides:
    change: ChangeSet
    base: Tree
    head: Tree
    root: Path


def read_change(
    rev: str | None, patch: str | None, cwd: Path | None = None, stdin: IO[bytes] | None = None
) -> _Sides:
    if patch is not None:
        return _from_patch(patch, cwd or Path.cwd(), stdin)
    return _from_git(rev, cwd)


def _from_git(rev: str | None, cwd: Path | None) -> _Sides:
    git = Git(cwd)
    work = WorkTree(git.root, git)
    name = f"{rev or 'HEAD'}..working tree" if not rev or ".." not in rev else rev
    if rev is None or rev == "":
        base = git.resolve("HEAD")
        head_tree: Tree = work
        text = git.diff(base)
        base_label = f"HEAD ({git.short(base)})"
    elif "..." in rev:
        left, right = rev.split("...", 1)
        left, right = left or "HEAD", right or "HEAD"
        base = git.merge_base(left, right)
        head = git.resolve(right)
        head_tree = CommitTree(git, head, f"{right} ({git.short(head)})")
        text = git.diff(base, head)
        base_label = f"{git.short(base)} (merge base of {left} and {right})"
    elif ".." in rev:
        left, right = rev.split("..", 1)
        left, right = left or "HEAD", right or "HEAD"
        base = git.resolve(left)
        head = git.resolve(right)
        head_tree = CommitTree(git, head, f"{right} ({git.short(head)})")
        text = git.diff(base, head)
        base_label = f"{left} ({git.short(base)})"
    else:
        base = git.resolve(rev)
        head_tree = work
        text = git.diff(base)
        base_label = f"{rev} ({git.short(base)})"
    files = [d.change for d in parse_diff(text, "git diff")]
    for index, change in enumerate(files):
        if change.binary and is_python(change.path):  # git shows no lines: all of it changed
            files[index] = replace(change, added=_all_lines(head_tree, change.path))
    if head_tree is work:  # new files not yet added to git are part of the working tree too
        known = {f.path for f in files}
        for path in git.untracked():
            if is_python(path) and path not in known:
                files.append(FileChange(path, None, _all_lines(work, path)))
    change = ChangeSet(files, base_label, head_tree.label, name)
    return _Sides(change, CommitTree(git, base, base_label), head_tree, git.root)


def _all_lines(tree: Tree, path: str) -> frozenset[int]:
    data = tree.read([path], PATCH_LIMIT).get(path)
    if not isinstance(data, bytes):
        return frozenset()
    count = data.count(b"\n") + (not data.endswith(b"\n")) if data else 0
    return frozenset(range(1, count + 1))


PATCH_LIMIT = 64 * 1024 * 1024  # a patch, or a file in one, larger than this is refused


def _read_patch(name: str, stdin: IO[bytes] | None) -> bytes:
    """The patch's bytes, at most PATCH_LIMIT of them: it may come from a pipe (`-`,
    `<(git diff)`), so it is not required to be a regular file, only to end."""
    try:
        if name == "-":
            data = (stdin or sys.stdin.buffer).read(PATCH_LIMIT + 1)
        else:
            with open(name, "rb") as handle:
                data = handle.read(PATCH_LIMIT + 1)
    except OSError as exc:
        raise ChangeError(f"{name}: cannot read the patch: {exc.strerror or exc}") from None
    if len(data) > PATCH_LIMIT:
        raise ChangeError(f"{name}: the patch is over {PATCH_LIMIT // 1_048_576} MB; not read")
    return data


def _check_patch_paths(diff: list[DiffFile], root: Path, source: str) -> None:
    """A patch names the files it changes; none of them may lead out of the repository (an
    `a/../../etc/passwd` would be read and quoted in the report)."""
    resolved_root = root.resolve()
    for item in diff:
        for path in (item.change.old_path, item.change.path):
            if path is None:
                continue
            parts = PurePosixPath(path).parts
            if (
                not parts
                or PurePosixPath(path).is_absolute()
                or ".." in parts
                or "\0" in path
                or not inside(root / path, resolved_root)
            ):
                raise ChangeError(
                    f"{source}: the path {path!r} leads outside the repository at {root}"
                )


def _from_patch(name: str, cwd: Path, stdin: IO[bytes] | None) -> _Sides:
    source = "the patch on standard input" if name == "-" else name
    data = _read_patch(name, stdin)
    diff = parse_diff(data.decode("utf-8", "surrogateescape"), source)
    try:
        git: Git | None = Git(cwd)
        root = git.root  # type: ignore[union-attr]
    except ChangeError:
        git, root = None, cwd.resolve()
    _check_patch_paths(diff, root, source)
    binary = [d for d in diff if d.change.binary]
    for item in binary:
        path = item.change.path or item.change.old_path
        if is_python(path):
            raise ChangeError(
                f"{source}: binary diff for {path}; secreview reviews text diffs only "
                "(make the diff without --binary, or run secreview diff REV in the repository)"
            )
    if diff and len(binary) == len(diff):
        raise ChangeError(f"{source} holds only binary diffs; there is no text to review")
    python = [d for d in diff if is_python(d.change.path) or is_python(d.change.old_path)]
    work = WorkTree(root, git)
    applied = _patch_state(python, root, forward=False)
    if isinstance(applied, dict):
        base = OverlayTree(work, applied, "before the patch")
        return _Sides(
            ChangeSet(
                [d.change for d in diff],
                "before the patch",
                "working tree (patch applied)",
                _patch_name(name),
            ),
            base,
            work,
            root,
        )
    unapplied = _patch_state(python, root, forward=True)
    if isinstance(unapplied, dict):
        head = OverlayTree(work, unapplied, "the patch applied in memory")
        return _Sides(
            ChangeSet(
                [d.change for d in diff],
                "working tree",
                "the patch applied in memory",
                _patch_name(name),
            ),
            work,
            head,
            root,
        )
    raise ChangeError(
        f"{source} does not apply to the working tree at {root}: {applied} "
        "(run secreview in the checkout the patch was made from)"
    )


def _patch_name(name: str) -> str:
    return "the patch on standard input" if name == "-" else Path(name).name


def _patch_state(files: list[DiffFile], root: Path, forward: bool) -> dict[str, bytes | None] | str:
    """With forward=False: check the working tree has the patch applied, and return the files
    as they were before it. With forward=True: check the working tree is the patch's old side,
    and return the files as the patch makes them. A string says where it does not match."""
    other: dict[str, bytes | None] = {}
    for item in files:
        change, patched = item.change, item.patched
        if forward:
            here, there = change.old_path, change.path  # on disk, to make in memory
        else:
            here, there = change.path, change.old_path
        if here is None:  # the file does not exist on the side that should be on disk
            if there is not None and os.path.lexists(root / there):
                return f"{there} exists but the patch {'creates' if forward else 'deletes'} it"
            lines: list[str] = []
        else:
            data = read_bytes(root / here, here, PATCH_LIMIT)
            if isinstance(data, Diagnostic):
                return f"{here}: {data.message.removesuffix('; not analysed')}"
            text = data.decode("utf-8", "surrogateescape")
            lines = text.splitlines(keepends=True)
            bad = mismatch(lines, patched, new_side=not forward)
            if bad is not None:
                return f"{here} line {bad} differs from the patch"
        if there is None:
            other[here] = None  # type: ignore[index]
        else:
            made = splice(lines, patched, forward=forward)
            other[there] = "".join(made).encode("utf-8", "surrogateescape")
            if here is not None and here != there:
                other[here] = None  # a renamed file is absent under its other name
    return other


# -- analysing both sides ------------------------------------------------------------------------
def _decode(path: str, data: Contents, config: Config) -> str | Diagnostic | None:
    if data is None or isinstance(data, Diagnostic):
        return data
    if len(data) > config.max_file_size:
        return Diagnostic(
            path,
            "too-large",
            f"{len(data) / 1_048_576:.1f} MB is over the max-file-size limit; not analysed",
        )
    return decode_source(data, path)


def _relpath(path: str, root: Path, config: Config) -> str:
    try:
        return (root / path).resolve().relative_to(config.root).as_posix()
    except (ValueError, OSError):
        return path


def analyse_texts(
    texts: dict[str, str | Diagnostic],
    names: dict[str, tuple[str, bool]],
    root: Path,
    config: Config,
    options: ScanOptions,
    diagnostics: list[Diagnostic],
) -> list[FileResult]:
    """Analyse files given as text (named by repository path) as one program."""
    cache = open_cache(config, options) if options.cache else None
    with without_cyclic_gc():
        results = [
            cached_text_analysis(
                cache,
                path,
                text,
                root / path,
                names.get(path, ("", False)),
                config,
                partial(_analyse_text, path, text, names, root, config, options),
            )
            for path, text in texts.items()
        ]
        sources = {path: text for path, text in texts.items() if isinstance(text, str)}
        solve_flows(results, config, options, diagnostics, texts=sources)
    for result in results:
        _apply_thresholds(result, config, _relpath(result.path, root, config))
    return results


def _analyse_text(
    path: str,
    text: str | Diagnostic,
    names: dict[str, tuple[str, bool]],
    root: Path,
    config: Config,
    options: ScanOptions,
) -> FileResult:
    if isinstance(text, Diagnostic):
        return FileResult(path, diagnostics=[text], analysed=False)
    read = parse_file_text(text, path, config.max_file_size)  # a notebook's cells, or Python
    parsed = read.source
    if not isinstance(parsed, ParsedSource):
        return FileResult(
            path,
            lines=text.count("\n") + 1,
            diagnostics=[parsed],
            analysed=False,
            dialect=read.dialect,
        )
    relpath = _relpath(path, root, config)
    module, is_package = names.get(path, ("", False))
    try:
        result = analyze_parsed(
            parsed,
            config.rules_for(relpath),
            module_name=module,
            is_package=is_package,
            test_code=config.forced_test_code(relpath),
            options=options,
            models=config.model_set() if config.dataflow else None,
        )
        result.cells = read.cells
        result.diagnostics.extend(read.diagnostics)
        return result
    except RecursionError:
        reason = Diagnostic(path, "too-complex", "nesting too deep to analyse; not analysed")
    except Exception as exc:  # a defect of secreview must not end the review
        reason = Diagnostic(
            path,
            "internal-error",
            f"secreview failed on this file ({type(exc).__name__}: {exc}); please report it",
        )
    return FileResult(path, diagnostics=[reason], analysed=False)


def _touches(finding: Finding, lines: dict[str, frozenset[int]]) -> bool:
    own = lines.get(finding.path)
    if own and any(n in own for n in range(finding.line, finding.end_line + 1)):
        return True
    return any(step.line in lines.get(step.path, ()) for step in finding.trace)


def review(sides: _Sides, config: Config, options: ScanOptions | None = None) -> DiffResult:
    options = options or ScanOptions()
    started = time.perf_counter()
    result = DiffResult(rules=all_rules(), change=sides.change)
    excludes = list(config.exclude)
    hidden = Excluder(excludes)

    def wanted(path: str | None) -> bool:
        return is_python(path) and not hidden(path)  # type: ignore[arg-type]

    changes = [f for f in sides.change.files if wanted(f.path) or wanted(f.old_path)]
    sides.change.files = changes
    changed_new = [f.path for f in changes if f.path is not None and wanted(f.path)]
    if not changed_new:
        result.seconds = time.perf_counter() - started
        return result

    # The head side: changed files and the modules data flow needs around them.
    head_paths = sides.head.python_paths(excludes)
    for path in changed_new:
        if path not in head_paths:
            head_paths.append(path)
    raw = sides.head.read(head_paths, config.max_file_size)
    decoded = {p: _decode(p, data, config) for p, data in raw.items()}
    graph = ImportGraph(
        {p: t if isinstance(t, str) else "" for p, t in decoded.items() if t is not None}
    )
    selected = [p for p in graph.select(changed_new) if decoded.get(p) is not None]
    names = module_names(head_paths)
    head_texts = {p: decoded[p] for p in selected}
    head_results = analyse_texts(head_texts, names, sides.root, config, options, result.diagnostics)  # type: ignore[arg-type]

    # The base side: the same files as they were (renamed files under their old name).
    renames = sides.change.renames
    back = {new: old for old, new in renames.items()}
    added = {f.path for f in changes if f.old_path is None}
    base_selected = [back.get(p, p) for p in selected if p not in added]
    base_raw = sides.base.read(base_selected, config.max_file_size)
    base_decoded = {p: _decode(p, d, config) for p, d in base_raw.items()}
    base_texts = {p: t for p, t in base_decoded.items() if t is not None}
    base_names = module_names(
        [*base_texts, *(p for p in sides.base.python_paths(excludes) if p not in base_texts)]
    )
    base_results = analyse_texts(base_texts, base_names, sides.root, config, options, [])  # type: ignore[arg-type]

    head_findings = [f for r in head_results for f in r.findings]
    head_prints = fingerprints(head_findings)
    base_findings = [f for r in base_results for f in r.findings]
    as_head = {f: replace(f, path=renames.get(f.path, f.path)) for f in base_findings}
    base_prints_by_mapped = fingerprints(as_head.values())
    base_prints = set(base_prints_by_mapped.values())
    head_print_set = set(head_prints.values())

    added_lines = {f.path: f.added for f in changes if f.path is not None}
    changed_old = {f.old_path for f in changes if f.old_path is not None}
    changed_new_set = set(changed_new)

    kept_files: list[FileResult] = []
    for file_result in head_results:
        if file_result.path in changed_new_set:
            result.preexisting += [f for f in file_result.findings if head_prints[f] in base_prints]
        new = [
            f
            for f in file_result.findings
            if _touches(f, added_lines) and head_prints[f] not in base_prints
        ]
        file_result.findings = new
        file_result.suppressed = [
            (f, kind) for f, kind in file_result.suppressed if _touches(f, added_lines)
        ]
        if file_result.path in changed_new_set:
            kept_files.append(file_result)
        else:
            file_result.diagnostics = []
            file_result.stale_suppressions = []
            file_result.examined = []
            if new:
                kept_files.append(file_result)
    result.files = kept_files
    result.analysed_for_context = len(head_results) - len(
        [r for r in head_results if r.path in changed_new_set]
    )
    # A finding whose flagged code was edited but is still there is reported as new (its
    # fingerprint changed); it is not also "resolved".
    still_there = {(f.rule_id, f.path, f.scope) for r in head_results for f in r.findings}
    result.resolved = sorted(
        (
            f
            for f in base_findings
            if base_prints_by_mapped[as_head[f]] not in head_print_set
            and (f.rule_id, as_head[f].path, f.scope) not in still_there
            and (f.path in changed_old or any(step.path in changed_old for step in f.trace))
        ),
        key=lambda f: f.sort_key,
    )
    result.seconds = time.perf_counter() - started
    return result


def describe(result: DiffResult) -> str:
    """One line naming the change: what was compared, how many files."""
    change = result.change
    count = len(change.files)
    text = f"change: {change.base_label} -> {change.head_label}, {count} Python file{'s' if count != 1 else ''} changed"
    if result.analysed_for_context:
        text += f" ({result.analysed_for_context} more analysed for data flow)"
    return text
