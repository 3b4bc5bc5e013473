"""Scanning: discover files, analyse each one (in worker processes when there are many), and
collect what they found."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from secreview.config import Config
from secreview.discovery import SourceFile, discover
from secreview.engine.testcode import is_test_module, is_test_path
from secreview.engine.walker import Walker
from secreview.findings import Diagnostic, FileResult, Finding
from secreview.parsing.source import ParsedSource, parse_source, read_source
from secreview.rules import all_rules, bandit_id_map
from secreview.rules.base import Rule
from secreview.suppression import apply_suppressions, read_suppressions

PARALLEL_THRESHOLD = 64  # below this many files, process start-up costs more than it saves


@dataclass(slots=True)
class ScanOptions:
    inline_ignores: bool = True


@dataclass
class ScanResult:
    files: list[FileResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rules: tuple[type[Rule], ...] = ()
    seconds: float = 0.0

    @property
    def findings(self) -> list[Finding]:
        found = [f for result in self.files for f in result.findings]
        return sorted(found, key=lambda f: f.sort_key)

    @property
    def suppressed(self) -> list[tuple[Finding, str]]:
        return [s for result in self.files for s in result.suppressed]

    @property
    def stale_suppressions(self) -> list[tuple[str, int, str]]:
        return [(r.path, line, text) for r in self.files for line, text in r.stale_suppressions]

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        found = [*self.diagnostics, *(d for r in self.files for d in r.diagnostics)]
        return sorted(found, key=lambda d: (d.path, d.line, d.kind))

    @property
    def lines(self) -> int:
        return sum(r.lines for r in self.files)


def module_name_for(path: Path) -> tuple[str, bool]:
    """Dotted module name from the package directories (those with __init__.py) above `path`."""
    is_package = path.name == "__init__.py"
    parts: list[str] = [] if is_package else [path.stem]
    directory = path.parent
    while (directory / "__init__.py").is_file():
        parts.append(directory.name)
        if directory.parent == directory:
            break
        directory = directory.parent
    return ".".join(reversed(parts)), is_package


def analyze_parsed(
    parsed: ParsedSource,
    rules: Iterable[type[Rule]],
    *,
    module_name: str = "",
    is_package: bool = False,
    test_code: bool | None = None,
    options: ScanOptions | None = None,
) -> FileResult:
    """Run every rule over one parsed module in a single walk."""
    options = options or ScanOptions()
    if test_code is None:
        test_code = is_test_path(parsed.path) or is_test_module(parsed.tree)
    result = FileResult(parsed.path, lines=len(parsed.lines), test_code=test_code)
    walker = Walker(
        parsed, rules, module_name=module_name, is_package=is_package, test_code=test_code
    )
    try:
        walker.run()
    except RecursionError:
        result.diagnostics.append(
            Diagnostic(
                parsed.path,
                "too-complex",
                "nesting too deep to analyse; findings may be incomplete",
            )
        )
    result.examined = walker.examined
    result.framework_hints = frozenset(walker.framework_hints)
    findings = walker.findings
    if options.inline_ignores:
        suppressions = read_suppressions(parsed.text)
        findings, result.suppressed = apply_suppressions(
            findings, walker.statement_spans, suppressions, bandit_id_map()
        )
        result.stale_suppressions = [(s.line, s.text) for s in suppressions if not s.used]
    result.findings = sorted(set(findings), key=lambda f: f.sort_key)
    return result


def analyze_source(
    text: str,
    path: str = "<string>",
    *,
    config: Config | None = None,
    test_code: bool | None = None,
    module_name: str = "",
    options: ScanOptions | None = None,
) -> FileResult:
    """Analyse source text as if it were the file `path` (the path decides test-code status)."""
    config = config or Config()
    parsed = parse_source(text, path)
    if not isinstance(parsed, ParsedSource):
        return FileResult(path, lines=text.count("\n") + 1, diagnostics=[parsed])
    result = analyze_parsed(
        parsed,
        config.rules_for(path),
        module_name=module_name,
        test_code=test_code,
        options=options,
    )
    return _apply_thresholds(result, config, path)


def analyze_file(source: SourceFile, config: Config, options: ScanOptions) -> FileResult:
    text = read_source(source.path, source.display, config.max_file_size)
    if isinstance(text, Diagnostic):
        return FileResult(source.display, diagnostics=[text])
    parsed = parse_source(text, source.display)
    if not isinstance(parsed, ParsedSource):
        return FileResult(source.display, lines=text.count("\n") + 1, diagnostics=[parsed])
    relpath = _relative_to_root(source.path, config.root)
    module_name, is_package = module_name_for(source.path.resolve())
    forced = config.forced_test_code(relpath)
    result = analyze_parsed(
        parsed,
        config.rules_for(relpath),
        module_name=module_name,
        is_package=is_package,
        test_code=forced,
        options=options,
    )
    return _apply_thresholds(result, config, relpath)


def _apply_thresholds(result: FileResult, config: Config, relpath: str) -> FileResult:
    severity = config.severity_for(relpath)
    confidence = config.confidence
    result.findings = [
        f for f in result.findings if f.severity >= severity and f.confidence >= confidence
    ]
    return result


def _relative_to_root(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def analyze_file_safely(source: SourceFile, config: Config, options: ScanOptions) -> FileResult:
    """One file's analysis; a defect of secreview itself becomes a diagnostic, not a crash."""
    try:
        return analyze_file(source, config, options)
    except RecursionError:
        return FileResult(
            source.display,
            diagnostics=[
                Diagnostic(
                    source.display, "too-complex", "nesting too deep to analyse; not analysed"
                )
            ],
        )
    except Exception as exc:
        return FileResult(
            source.display,
            diagnostics=[
                Diagnostic(
                    source.display,
                    "internal-error",
                    f"secreview failed on this file ({type(exc).__name__}: {exc}); please report it",
                )
            ],
        )


def _analyze_batch(
    batch: list[SourceFile], config: Config, options: ScanOptions
) -> list[FileResult]:
    return [analyze_file_safely(source, config, options) for source in batch]


def scan(
    paths: list[Path],
    config: Config,
    options: ScanOptions | None = None,
    *,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    options = options or ScanOptions()
    started = time.perf_counter()
    found = discover(paths, config.exclude, config.respect_gitignore)
    result = ScanResult(diagnostics=found.diagnostics, rules=all_rules())
    files = found.files
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and len(files) >= PARALLEL_THRESHOLD:
        chunk = max(8, len(files) // (workers * 8))
        batches = [files[i : i + chunk] for i in range(0, len(files), chunk)]
        done = 0
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for batch_result in pool.map(
                _analyze_batch, batches, [config] * len(batches), [options] * len(batches)
            ):
                result.files.extend(batch_result)
                done += len(batch_result)
                if progress:
                    progress(done, len(files))
    else:
        for index, source in enumerate(files, 1):
            result.files.append(analyze_file_safely(source, config, options))
            if progress:
                progress(index, len(files))
    result.seconds = time.perf_counter() - started
    return result
