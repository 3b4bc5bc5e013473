"""Scanning: discover files, analyse each one (in worker processes when there are many), and
collect what they found."""

from __future__ import annotations

import gc
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

from secreview.cache import MAX_HASHED_SIZE, ProjectEntry, ResultCache, content_digest
from secreview.config import Config
from secreview.discovery import SourceFile, discover, discover_templates
from secreview.engine.constants import Constants
from secreview.engine.ir import ModuleIR
from secreview.engine.lowering import MODULE_FUNCTION, Lowerer
from secreview.engine.project_constants import ProjectConstants
from secreview.engine.schemas import resolve_schema_checks
from secreview.engine.taint import MAX_LABELS, MAX_VISITS, FlowHit, Program, SinkRef
from secreview.engine.testcode import is_test_module, is_test_path
from secreview.engine.walker import Walker
from secreview.findings import (
    Confidence,
    Diagnostic,
    ExaminedSite,
    FileResult,
    Finding,
    Fix,
    Severity,
    TraceStep,
    location,
)
from secreview.models import ModelSet
from secreview.parsing.notebook import (
    NOTEBOOK_MAX_FILE_SIZE,
    CellMap,
    is_notebook,
    parse_file_text,
    relocate,
)
from secreview.parsing.source import (
    ParsedSource,
    decode_source,
    physical_lines,
    read_bytes,
    read_source,
)
from secreview.parsing.templates import TEMPLATE_DIRECTORIES
from secreview.rules import all_rules, find_rule, foreign_id_map
from secreview.rules.base import FlowRule, Rule
from secreview.suppression import apply_suppressions, parse_comment, read_suppressions
from secreview.templates import is_template_file, template_models, template_result

PARALLEL_THRESHOLD = 64  # below this many files, process start-up costs more than it saves


@dataclass(slots=True)
class ScanOptions:
    inline_ignores: bool = True
    # Read and write the result cache (secreview/cache.py). The command line turns it on from
    # the `cache` setting; a program calling scan() asks for it.
    cache: bool = False


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
    def tests_hidden(self) -> int:
        """Findings in test code left out of the report (`include-tests` shows them)."""
        return sum(r.tests_hidden for r in self.files)

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
    package = _package_of(path.parent)
    if is_package:
        return ".".join(package), True
    # A notebook keeps its suffix: no import names it, and a script paired with it (`nb.py`
    # beside `nb.ipynb`, as Jupytext keeps them) is another module.
    name = path.name if is_notebook(path.name) else path.stem
    return ".".join((*package, name)), False


@lru_cache(maxsize=4096)
def _package_of(directory: Path) -> tuple[str, ...]:
    """The dotted package a directory is (empty if it is none), asked once per directory."""
    if not (directory / "__init__.py").is_file():
        return ()
    if directory.parent == directory:
        return (directory.name,)
    return (*_package_of(directory.parent), directory.name)


def analyze_parsed(
    parsed: ParsedSource,
    rules: Iterable[type[Rule]],
    *,
    module_name: str = "",
    is_package: bool = False,
    test_code: bool | None = None,
    options: ScanOptions | None = None,
    models: ModelSet | None = None,
) -> FileResult:
    """Run every rule over one parsed module in a single walk, lowering it for data flow."""
    options = options or ScanOptions()
    if test_code is None:
        test_code = is_test_path(parsed.path) or is_test_module(parsed.tree)
    result = FileResult(
        parsed.path, lines=len(parsed.lines), test_code=test_code, dialect=parsed.dialect
    )
    module_name = module_name or _module_from_path(parsed.path)
    lowerer = None
    if models is not None:
        lowerer = Lowerer(module_name, parsed.path, models, test_code, set())
    walker = Walker(
        parsed,
        rules,
        module_name=module_name,
        is_package=is_package,
        test_code=test_code,
        lowerer=lowerer,
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
        lowerer = None
    finally:
        walker.close()  # its rules refer back to it: free the tree without the cyclic GC
    if lowerer is not None:
        result.ir = lowerer.ir
        failed = [f.qualname for f in lowerer.ir.functions.values() if f.lowering_failed]
        if failed:
            result.diagnostics.append(
                Diagnostic(
                    parsed.path,
                    "too-complex",
                    f"expressions too deeply nested for data flow in {', '.join(failed[:3])}; "
                    "pattern rules still ran",
                )
            )
    result.examined = walker.examined
    result.framework_hints = frozenset(walker.framework_hints)
    findings = walker.findings
    if options.inline_ignores:
        suppressions = read_suppressions(parsed.text)
        findings, result.suppressed = apply_suppressions(
            findings, walker.statement_spans, suppressions, foreign_id_map()
        )
        if result.ir is not None:
            result.ir.suppressions = suppressions  # flow findings are matched after solving
        else:
            result.stale_suppressions = [(s.line, s.text) for s in suppressions if not s.used]
    result.findings = sorted(set(findings), key=lambda f: f.sort_key)
    return result


def _module_from_path(path: str) -> str:
    stem = path.replace("\\", "/").rsplit("/", 1)[-1]
    return stem.removesuffix(".py")


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
    options = options or ScanOptions()
    read = parse_file_text(text, path, config.max_file_size)
    parsed = read.source
    if not isinstance(parsed, ParsedSource):
        return FileResult(
            path,
            lines=text.count("\n") + 1,
            diagnostics=[parsed],
            analysed=False,
            dialect=read.dialect,
        )
    result = analyze_parsed(
        parsed,
        config.rules_for(path),
        module_name=module_name,
        test_code=test_code,
        options=options,
        models=config.model_set() if config.dataflow else None,
    )
    result.cells = read.cells
    result.diagnostics.extend(read.diagnostics)
    solve_flows([result], config, options)
    return _apply_thresholds(result, config, path)


def analyze_file(source: SourceFile, config: Config, options: ScanOptions) -> FileResult:
    limit = config.max_file_size
    if is_notebook(source.display):
        limit = max(limit, NOTEBOOK_MAX_FILE_SIZE)  # the limit holds for the code cells
    text = read_source(source.path, source.display, limit)
    if isinstance(text, Diagnostic):
        return FileResult(source.display, diagnostics=[text], analysed=False)
    return analyze_text(text, source, config, options)


def analyze_text(text: str, source: SourceFile, config: Config, options: ScanOptions) -> FileResult:
    """Analyse the text of `source` (read from its path, or from standard input)."""
    if is_template_file(source.display):
        relpath = _relative_to_root(source.path, config.root)
        forced = config.forced_test_code(relpath)
        return template_result(
            text,
            source.display,
            relpath,
            is_test_path(relpath) if forced is None else forced,
            config.rules_for(relpath),
            options.inline_ignores,
        )
    read = parse_file_text(text, source.display, config.max_file_size)
    parsed = read.source
    if not isinstance(parsed, ParsedSource):
        return FileResult(
            source.display,
            lines=text.count("\n") + 1,
            diagnostics=[parsed],
            analysed=False,
            dialect=read.dialect,
        )
    resolved = source.path.resolve()  # once: resolving asks the file system per component
    try:
        relpath = resolved.relative_to(config.root).as_posix()
    except ValueError:
        relpath = source.path.as_posix()
    module_name, is_package = module_name_for(resolved)
    forced = config.forced_test_code(relpath)
    if forced is None:
        # Judged on the path inside the project: a checkout under /home/me/tests/ is not tests.
        forced = is_test_path(relpath) or is_test_module(parsed.tree)
    result = analyze_parsed(
        parsed,
        config.rules_for(relpath),
        module_name=module_name,
        is_package=is_package,
        test_code=forced,
        options=options,
        models=config.model_set() if config.dataflow else None,
    )
    result.relpath = relpath
    result.cells = read.cells
    result.diagnostics.extend(read.diagnostics)
    return result


def configured_templates(
    files: list[FileResult], paths: list[Path], config: Config, options: ScanOptions
) -> list[Diagnostic]:
    """Read the template files of the directories the scanned modules configure
    (`Flask(template_folder="views")`, `FileSystemLoader("tpl")`, Django's `DIRS`) and add them
    to `files`, each also named by its path below that directory. Discovery's bounds hold:
    only inside the scanned paths, excludes and .gitignore, regular files, max-file-size."""
    wanted: dict[Path, None] = {}
    for result in files:
        ir = result.ir
        if ir is None or not ir.template_dirs:
            continue
        module_dir = Path(ir.path).parent
        for text, base in ir.template_dirs:
            if Path(text).is_absolute():
                continue  # a machine's path, not the project's
            bases = [module_dir] if base == "module" else [module_dir.parent, module_dir]
            for where in bases:
                wanted[where / text] = None
    if not wanted:
        return []
    found = discover_templates(list(wanted), paths, config.exclude, config.respect_gitignore)
    by_resolved: dict[Path, FileResult] = {}
    for result in files:
        if result.template is not None:
            by_resolved[Path(result.path).resolve()] = result
    for source in found.files:
        resolved = source.path.resolve()
        result = by_resolved.get(resolved)
        if result is None:
            result = analyze_file_safely(source, config, options)
            files.append(result)
            by_resolved[resolved] = result
        info = result.template
        if info is None:
            continue
        for directory in wanted:
            try:
                name = resolved.relative_to(directory.resolve()).as_posix()
            except (ValueError, OSError, RuntimeError):
                continue
            if name not in info.names:
                info.names.append(name)
    return found.diagnostics


def _apply_thresholds(result: FileResult, config: Config, relpath: str) -> FileResult:
    severity = config.severity_for(relpath)
    confidence = config.confidence
    result.findings = [
        f for f in result.findings if f.severity >= severity and f.confidence >= confidence
    ]
    if not config.include_tests:
        kept = [f for f in result.findings if not f.test_code]
        result.tests_hidden = len(result.findings) - len(kept)
        result.findings = kept
    return result


def _relative_to_root(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _project_path(result: FileResult, config: Config) -> str:
    return result.relpath or _relative_to_root(Path(result.path), config.root)


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
            analysed=False,
        )
    except MemoryError:
        # Under a memory limit (`ulimit -v`, a container's cap), what this file's analysis
        # held is freed when the exception unwinds; the scan goes on with the next file.
        return FileResult(
            source.display,
            diagnostics=[
                Diagnostic(
                    source.display,
                    "analysis-bound",
                    "ran out of memory under the process's limit; not analysed",
                )
            ],
            analysed=False,
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
            analysed=False,
        )


def _batches(files: list[SourceFile], workers: int) -> list[list[tuple[int, SourceFile]]]:
    """Files (with their positions) in batches for the workers, largest files first and the
    batches getting smaller, so that no worker is left with a long file at the end."""

    def size(source: SourceFile) -> int:
        try:
            return source.path.stat().st_size
        except OSError:
            return 0

    sizes = [size(source) for source in files]
    order = sorted(range(len(files)), key=lambda index: -sizes[index])
    remaining = sum(sizes)
    batches: list[list[tuple[int, SourceFile]]] = []
    batch: list[tuple[int, SourceFile]] = []
    weight = 0
    for index in order:
        batch.append((index, files[index]))
        weight += sizes[index]
        # A batch is about a tenth of what each worker still has to do, and never tiny.
        if weight >= remaining / (workers * 10) and len(batch) >= 4:
            batches.append(batch)
            remaining -= weight
            batch, weight = [], 0
    if batch:
        batches.append(batch)
    return batches


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask), not all the machine has."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counter is not None:
        return counter() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def worker_count(jobs: int | None, files: int) -> int:
    """Worker processes for `files` files: what `--jobs` asks, but never more than the CPUs
    or the files (`-j 1000` on two CPUs would fork a thousand idle processes)."""
    cpus = available_cpus()
    wanted = cpus if jobs is None else jobs
    return max(1, min(wanted, cpus, files))


# Workers that cannot be started (a process limit, no /dev/shm), a pool that cannot start its
# manager thread ("can't start new thread", threads count against the process limit too), or
# workers that die (killed for memory): the scan goes on in this process.
WORKER_FAILURES = (OSError, BrokenProcessPool, NotImplementedError, RuntimeError)


_HEALTH_CHECK_SECONDS = 2.0


class _WatchedPool(ProcessPoolExecutor):
    """A process pool whose `map` notices when the pool has stopped working.

    Under a process limit the pool's manager thread can start and then fail to start its
    queue's feeder thread: it dies, and the results it was to deliver never come. Waiting on
    each result in short slices, and checking the thread between them, turns that hang into
    a BrokenProcessPool the scan recovers from.
    """

    def map(  # type: ignore[override]
        self, fn: Callable[..., Any], *iterables: Iterable[Any], timeout: float | None = None
    ) -> Iterator[Any]:
        futures = [self.submit(fn, *arguments) for arguments in zip(*iterables, strict=True)]

        def results() -> Iterator[Any]:
            for future in futures:
                while True:
                    try:
                        yield future.result(timeout=_HEALTH_CHECK_SECONDS)
                        break
                    except TimeoutError:
                        if not self._working():
                            raise BrokenProcessPool("the worker pool stopped working") from None

        return results()

    def _working(self) -> bool:
        manager = getattr(self, "_executor_manager_thread", None)
        return manager is None or manager.is_alive()


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers are stopped when anything goes wrong.

    When a worker fails to start, the ones already started wait for work for ever, and the
    interpreter would wait for them at exit: they are terminated here instead.
    """
    pool = _WatchedPool(max_workers=workers, initializer=gc.disable)
    previous_hook = threading.excepthook

    def quiet_thread_failure(args: threading.ExceptHookArgs) -> None:
        # The pool's manager thread failing to start a thread: recovered from here, so not
        # printed as a traceback.
        if args.exc_type is RuntimeError and "thread" in str(args.exc_value):
            return
        previous_hook(args)

    threading.excepthook = quiet_thread_failure
    try:
        yield pool
    except BaseException:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
        raise
    finally:
        threading.excepthook = previous_hook
    pool.shutdown(wait=True)


def _analyze_batch(
    batch: list[SourceFile], config: Config, options: ScanOptions
) -> list[FileResult]:
    return [analyze_file_safely(source, config, options) for source in batch]


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Switch Python's cyclic garbage collector off while a scan works.

    A scan allocates millions of small objects (trees, IR, taints) that all stay alive until
    their file or the solve is done, and reference counting frees them (the walker breaks the
    one cycle it makes). The collector would find nothing, yet its passes over the growing
    heap took close to half the time of a standard-library scan.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# -- the result cache (secreview/cache.py) -------------------------------------------------------
# Configuration that never reaches a cache entry: thresholds and the review's checklist are
# applied after it, discovery settings decide which files there are (each file has its own
# entry), and the settings that select rules or test code per file are in each file's key as
# their outcome. Every other setting, including any added later, is part of every key.
_NOT_IN_CACHE_KEY = frozenset(
    {
        "severity",
        "confidence",
        "fail_on",
        "review_cwes",
        "exclude",
        "respect_gitignore",
        "select",
        "ignore",
        "per_file_ignores",
        "overrides",
        "test_code",
        "root",
        "file",
        "origins",
        "cache",
        "cache_dir",
    }
)


def open_cache(config: Config, options: ScanOptions) -> ResultCache | None:
    """The configuration root's result cache, or None when caching is off or impossible."""
    if not config.cache:
        return None
    settings: dict[str, object] = {
        f.name: getattr(config, f.name) for f in fields(config) if f.name not in _NOT_IN_CACHE_KEY
    }
    settings["inline_ignores"] = options.inline_ignores
    directory = config.cache_directory()
    try:
        inside = directory.resolve().is_relative_to(config.root.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:  # a link in the tree that leads elsewhere: write nothing there
        return None
    return ResultCache.open(directory, settings)


def _file_cache_key(source: SourceFile, config: Config, cache: ResultCache) -> str | None:
    """The key of a file's entry: its bytes and everything its analysis depends on. None for
    files outside the configuration root (not part of the project) and unreadable ones."""
    try:
        resolved = source.path.resolve()
        relpath = resolved.relative_to(config.root).as_posix()
        # Read like the analysis reads it: a regular file only (never a FIFO), within bounds.
        data = read_bytes(source.path, source.display, max(config.max_file_size, MAX_HASHED_SIZE))
    except (OSError, ValueError, RuntimeError):
        return None
    if not isinstance(data, bytes):
        return None
    module_name, is_package = module_name_for(resolved)
    return cache.file_key(
        (
            content_digest(data),
            source.display,
            relpath,
            module_name,
            is_package,
            config.forced_test_code(relpath),
            [rule.id for rule in config.rules_for(relpath)],
        )
    )


def cached_text_analysis(
    cache: ResultCache | None,
    path: str,
    text: str | Diagnostic,
    on_disk: Path,
    module: tuple[str, bool],
    config: Config,
    analyse: Callable[[], FileResult],
) -> FileResult:
    """`analyse()` of a file given as text (diff mode: a revision read from git, or the
    working tree), or its result read back from the cache. `on_disk` is where the file is or
    would be in the checkout: outside the configuration root, nothing is cached."""
    if cache is None or not isinstance(text, str):
        return analyse()
    try:
        relpath = on_disk.resolve().relative_to(config.root).as_posix()
    except (OSError, ValueError, RuntimeError):
        return analyse()
    key = cache.file_key(
        (
            "text",  # diff mode decides test code as the text's own analysis does
            content_digest(text.encode("utf-8", "surrogatepass")),
            path,
            relpath,
            *module,
            config.forced_test_code(relpath),
            [rule.id for rule in config.rules_for(relpath)],
        )
    )
    found = cache.load_file(key)
    if found is not None:
        return found
    result = analyse()
    if _cacheable(result):
        cache.store_file_blob(key, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return result


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """When and how a file was last written. Taken before a file is hashed and compared after
    it is analysed: a file edited during the scan is analysed as it was then, but its result
    is not kept under a key that may name other bytes."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def _cacheable(result: FileResult) -> bool:
    """Whether a result holds for the file's bytes whenever they are analysed. A defect of
    secreview, or a file left unanalysed for want of memory, is tried again next time."""
    return not any(
        d.kind == "internal-error" or (d.kind == "analysis-bound" and not result.analysed)
        for d in result.diagnostics
    )


def _analyze_batch_cached(
    batch: list[tuple[SourceFile, str | None, tuple[int, int, int] | None]],
    config: Config,
    options: ScanOptions,
    cache: ResultCache,
) -> list[bytes]:
    """A worker's batch: each result pickled once, both as its cache entry and as the answer
    to the main process."""
    answers = []
    for source, key, stamp in batch:
        result = analyze_file_safely(source, config, options)
        blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        if key is not None and _cacheable(result) and _stamp(source.path) == stamp:
            cache.store_file_blob(key, blob)
        answers.append(blob)
    return answers


def _scan_with_cache(
    files: list[SourceFile],
    config: Config,
    options: ScanOptions,
    cache: ResultCache,
    workers: int,
    progress: Callable[[int, int], None] | None,
    result: ScanResult,
    paths: list[Path] | None = None,
) -> None:
    """Analyse and solve `files` into `result`, reusing what the cache holds: the whole solved
    scan when no file changed, else each unchanged file's analysis and IR (then solved again).
    A scan that reads templates from a directory its modules configure, not named `templates`
    (whose files discovery lists), is not stored whole: those files are not among `files`,
    whose stamps key the entry."""
    stamps = [_stamp(source.path) for source in files]  # before hashing: see _stamp
    keys = [_file_cache_key(source, config, cache) for source in files]
    project_key = cache.project_key(keys) if all(keys) else None  # type: ignore[arg-type]
    if project_key is not None:
        entry = cache.load_project(project_key)
        if entry is not None and [r.path for r in entry.files] == [s.display for s in files]:
            result.files.extend(entry.files)
            result.diagnostics.extend(entry.diagnostics)
            if progress:
                progress(len(files), len(files))
            return
    analysed: list[FileResult | None] = [
        cache.load_file(key) if key is not None else None for key in keys
    ]
    missing = [index for index, found in enumerate(analysed) if found is None]
    done = len(files) - len(missing)
    if workers > 1 and len(missing) >= PARALLEL_THRESHOLD:
        batches = _batches([files[index] for index in missing], workers)
        try:
            with worker_pool(workers) as pool:
                for batch, blobs in zip(
                    batches,
                    pool.map(
                        _analyze_batch_cached,
                        [
                            [
                                (source, keys[missing[at]], stamps[missing[at]])
                                for at, source in batch
                            ]
                            for batch in batches
                        ],
                        [config] * len(batches),
                        [options] * len(batches),
                        [cache] * len(batches),
                    ),
                    strict=True,
                ):
                    for (at, _), blob in zip(batch, blobs, strict=True):
                        analysed[missing[at]] = pickle.loads(blob)
                    done += len(blobs)
                    if progress:
                        progress(done, len(files))
        except WORKER_FAILURES:
            pass  # no worker could start, or one died: the rest is analysed here
    unanalysed = [index for index in missing if analysed[index] is None]
    if unanalysed:
        for index in unanalysed:
            file_result = analyze_file_safely(files[index], config, options)
            key = keys[index]
            unchanged = _stamp(files[index].path) == stamps[index]
            if key is not None and _cacheable(file_result) and unchanged:
                # Stored before the solve, which adds flow findings and drops the IR.
                blob = pickle.dumps(file_result, protocol=pickle.HIGHEST_PROTOCOL)
                cache.store_file_blob(key, blob)
            analysed[index] = file_result
            done += 1
            if progress:
                progress(done, len(files))
    result.files.extend(file_result for file_result in analysed if file_result is not None)
    if any(r.ir is not None and r.ir.template_dirs for r in result.files):
        result.diagnostics.extend(configured_templates(result.files, paths or [], config, options))
        if any(
            PurePath(text).name not in TEMPLATE_DIRECTORIES
            for r in result.files
            if r.ir is not None
            for text, _ in r.ir.template_dirs
        ):
            project_key = None  # files discovery did not list: not keyed, so not stored whole
    solved: list[Diagnostic] = []
    solve_flows(result.files, config, options, solved)
    result.diagnostics.extend(solved)
    unchanged = all(_stamp(s.path) == stamp for s, stamp in zip(files, stamps, strict=True))
    if project_key is not None and unchanged and all(_cacheable(r) for r in result.files):
        cache.store_project(project_key, ProjectEntry(result.files, solved))
    if missing:
        cache.prune({key for key in (*keys, project_key) if key is not None})


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
    with without_cyclic_gc():
        _package_of.cache_clear()  # packages may have changed since an earlier scan in-process
        found = discover(paths, config.exclude, config.respect_gitignore)
        result = ScanResult(diagnostics=found.diagnostics, rules=all_rules())
        files = found.files
        workers = worker_count(jobs, len(files))
        cache = open_cache(config, options) if options.cache else None
        if cache is not None:
            _scan_with_cache(files, config, options, cache, workers, progress, result, paths)
        else:
            analysed: dict[int, FileResult] = {}
            if workers > 1 and len(files) >= PARALLEL_THRESHOLD:
                batches = _batches(files, workers)
                try:
                    with worker_pool(workers) as pool:
                        for batch, batch_result in zip(
                            batches,
                            pool.map(
                                _analyze_batch,
                                [[source for _, source in batch] for batch in batches],
                                [config] * len(batches),
                                [options] * len(batches),
                            ),
                            strict=True,
                        ):
                            analysed.update(
                                zip((index for index, _ in batch), batch_result, strict=True)
                            )
                            if progress:
                                progress(len(analysed), len(files))
                except WORKER_FAILURES:
                    pass  # no worker could start, or one died: the rest is analysed here
            for index, source in enumerate(files):
                if index not in analysed:
                    analysed[index] = analyze_file_safely(source, config, options)
                    if progress:
                        progress(len(analysed), len(files))
            result.files.extend(analysed[index] for index in range(len(files)))
            result.diagnostics.extend(configured_templates(result.files, paths, config, options))
        if cache is None:
            solve_flows(result.files, config, options, result.diagnostics)
        for file_result in result.files:
            _apply_thresholds(file_result, config, _project_path(file_result, config))
    result.seconds = time.perf_counter() - started
    return result


def scan_text(
    data: bytes, display: str, config: Config, options: ScanOptions | None = None
) -> ScanResult:
    """Analyse one file given as bytes (standard input), reported as `display`.

    `display` is the path the file would have in the project (`--stdin-filename`): it decides
    per-file configuration, test-code status and how the file is read (a notebook, a script).
    """
    options = options or ScanOptions()
    started = time.perf_counter()
    result = ScanResult(rules=all_rules())
    with without_cyclic_gc():
        text = decode_source(data, display)
        if isinstance(text, Diagnostic):
            result.files.append(FileResult(display, diagnostics=[text], analysed=False))
        else:
            source = SourceFile(Path(display), display, explicit=True)
            result.files.append(analyze_text(text, source, config, options))
            solve_flows(result.files, config, options, result.diagnostics, {display: text})
        for file_result in result.files:
            _apply_thresholds(file_result, config, _project_path(file_result, config))
    result.seconds = time.perf_counter() - started
    return result


def solve_flows(
    results: list[FileResult],
    config: Config,
    options: ScanOptions,
    diagnostics: list[Diagnostic] | None = None,
    texts: dict[str, str] | None = None,
) -> None:
    """Solve data flow over every lowered module (see `_solve_project_flows`), then move what
    was found in notebooks from the lines of their joined code cells to the cells."""
    maps = {r.path: r.cells for r in results if r.cells is not None}
    _NOTEBOOKS.clear()
    _NOTEBOOKS.update(maps)
    _solve_project_flows(results, config, options, diagnostics, texts)
    if maps:
        for result in results:
            relocate(result, maps)


# The cell maps of the notebooks being solved: flow messages name a source by its cell.
_NOTEBOOKS: dict[str, CellMap] = {}


def _where(path: str, line: int) -> str:
    cells = _NOTEBOOKS.get(path)
    place = cells.at(line) if cells is not None else None
    if place is None:
        return f"{path}:{line}"
    return location(path, place.file_line, place.cell, place.line)


def _solve_project_flows(
    results: list[FileResult],
    config: Config,
    options: ScanOptions,
    diagnostics: list[Diagnostic] | None = None,
    texts: dict[str, str] | None = None,
) -> None:
    """Solve data flow over every lowered module and add the flow findings to their files.

    `texts` gives the source of modules not read from their path on disk (a base revision read
    from git, or paths named relative to somewhere other than the working directory).
    """
    modules = [r.ir for r in results if r.ir is not None]
    if not modules:
        return
    _EXCERPT_CACHE.clear()
    for path, text in (texts or {}).items():
        _EXCERPT_CACHE[path] = physical_lines(text)
    for path, cells in _NOTEBOOKS.items():
        _EXCERPT_CACHE[path] = cells.written  # the cells as written, not the .ipynb's JSON
    hits: list[FlowHit] = []
    verdicts: dict[tuple[str, int, int, int], str] = {}
    sink_sites: dict[tuple[str, int, int, int], SinkRef] = {}
    widened: list[str] = []
    labels_widened: dict[str, dict[str, None]] = {}
    models = config.model_set()
    rendered = template_models(results, modules, models)
    if rendered is not None:  # the templates' unescaped outputs, as sinks of their render calls
        merged = ModelSet()
        merged.merge(models)
        merged.merge(rendered)
        models = merged
    withdrawn: dict[str, set[Finding]] = {}
    dead_calls: set[tuple[str, int, int]] = set()
    for group in _projects(modules):
        if any(f.schema_checked for m in group for f in m.functions.values()):
            resolve_schema_checks(group, ProjectConstants(group).lookup)
        program = Program(group, models, config.propagate_unknown_calls)
        hits.extend(program.solve())
        _withdraw_constant(program, group, results, withdrawn)
        verdicts.update(program.sink_verdicts())
        dead_calls |= program.dead_calls
        sink_sites.update(program.sink_sites)
        widened.extend(program.widened)
        labels_widened.update(program.labels_widened)
    by_path = {r.path: r for r in results}
    for path, functions in labels_widened.items():
        if path in by_path:
            by_path[path].diagnostics.append(_labels_widened(path, list(functions)))
    statements = _sink_statements(hits)
    flow_rules = {
        rule.cwe: rule
        for rule in all_rules()
        if isinstance(rule, type) and issubclass(rule, FlowRule) and not rule.concepts
    }
    concept_rules = {
        concept: rule
        for rule in all_rules()
        if isinstance(rule, type) and issubclass(rule, FlowRule)
        for concept in rule.concepts
    }
    added: dict[str, list[Finding]] = {}
    for flow_rule in flow_rules.values():
        hits = flow_rule.select(hits)
    for hit in hits:
        rule = concept_rules.get(hit.sink.concept) or flow_rules.get(hit.cwe)
        target = by_path.get(hit.sink.path)
        if rule is None or target is None or hit.source.kind not in rule.source_kinds:
            continue
        relpath = _project_path(target, config)
        if rule not in config.rules_for(relpath):
            continue
        finding = flow_finding(rule, hit, target)
        if finding is not None:
            added.setdefault(target.path, []).append(finding)
    answered: dict[str, list[Finding]] = {}  # pattern findings on other modules' constants
    for group in _projects(modules):
        _answer_constants(group, by_path, answered, statements)
    foreign_map = foreign_id_map()
    for (path, line, _col, cwe), verdict in verdicts.items():
        sink = sink_sites[(path, line, _col, cwe)]
        owner = by_path.get(path)
        if sink.concept in _NAME_ONLY_SINKS and verdict != "tainted":
            continue  # a name is no evidence of a security use unless a finding stands on it
        if owner is not None:  # the review's evidence: every modelled sink and how it was fed
            owner.examined.append(
                ExaminedSite(cwe, path, line, sink.concept, f"flow-{verdict}", sink.text)
            )
    superseding = {old for rule in flow_rules.values() for old in rule.supersedes}
    # Verdicts by the statement of their sink: a pattern rule may flag an argument on another
    # line of a multi-line call than the call itself.
    by_statement: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for key, verdict in verdicts.items():
        sink = sink_sites[key]
        by_statement.setdefault((key[0], key[3]), []).append((*sink.statement, verdict))
    for result in results:
        new = added.get(result.path, [])
        superseded = _superseded_by_line(new, statements, flow_rules)
        new = new + answered.get(result.path, [])
        kept: list[Finding] = []
        cleared = withdrawn.get(result.path, set())
        if cleared:
            result.suppressed = [s for s in result.suppressed if s[0] not in cleared]
        for finding in result.findings:
            if finding in cleared:
                continue  # what it said was not fixed by the code is a constant
            if finding.rule_id in superseding:
                if finding.rule_id in superseded.get(finding.line, ()):
                    continue  # the flow finding at this statement says it better
                if (result.path, finding.line, finding.col) in dead_calls:
                    continue  # in a branch another module's constant rules out
                verdict = verdicts.get((result.path, finding.line, finding.col, finding.cwe))
                if verdict is None:
                    verdict = _statement_verdict(by_statement, result.path, finding)
                if verdict == "followed":
                    continue  # every value reaching the sink was traced to something safe
                if verdict == "opaque" and finding.confidence > Confidence.LOW:
                    finding = replace(
                        finding,
                        confidence=Confidence.LOW,
                        evidence="non-constant argument; no flow from untrusted input found",
                    )
            kept.append(finding)
        # A pattern finding hidden by a comment, that the flow finding at its statement would
        # have replaced anyway, is not a second suppressed defect.
        result.suppressed = [
            (finding, kind)
            for finding, kind in result.suppressed
            if finding.rule_id not in superseded.get(finding.line, ())
        ]
        ir = result.ir
        if ir is not None and options.inline_ignores:
            spans = {f: _sink_statement(f, statements) for f in new}
            new, hidden = apply_suppressions(new, spans, ir.suppressions, foreign_map)
            result.suppressed.extend(hidden)
            result.stale_suppressions = [(s.line, s.text) for s in ir.suppressions if not s.used]
        elif result.template is not None and options.inline_ignores:
            # `{# secreview: ignore[SR931] -- reason #}` in a template
            comments = [
                found
                for line, text in result.template.comments
                for found in parse_comment(text, line)
            ]
            spans = {f: _sink_statement(f, statements) for f in new}
            new, hidden = apply_suppressions(new, spans, comments, foreign_map)
            result.suppressed.extend(hidden)
            unused = set(result.stale_suppressions)  # by the template's own findings
            result.stale_suppressions = [
                (s.line, s.text) for s in comments if not s.used and (s.line, s.text) in unused
            ]
        result.findings = sorted(set(kept + new), key=lambda f: f.sort_key)
        _drop_examined_sources(
            result, [f for f in new if f.cwe in flow_rules and f.trace], flow_rules
        )
        result.ir = None  # solved; the IR is not needed in reports
    if widened and diagnostics is not None:
        names = ", ".join(widened[:5])
        diagnostics.append(
            Diagnostic(
                "<project>",
                "analysis-bound",
                f"data flow did not settle after {MAX_VISITS} rounds in {len(widened)} "
                f"function(s) ({names}); their summaries were kept as they stood",
            )
        )


def _answer_constants(
    group: list[ModuleIR],
    by_path: dict[str, FileResult],
    added: dict[str, list[Finding]],
    statements: dict[tuple[str, int, int], tuple[int, int]],
) -> None:
    """Answer the pattern rules' questions about constants other modules of the project
    define (`Walker.defer_constant`), from the project's table of module-level constants."""
    if not any(module.pending_constants for module in group):
        return
    table = ProjectConstants(group)
    for module in group:
        owner = by_path.get(module.path)
        for pending in module.pending_constants:
            rule = find_rule(pending.rule_id)
            if rule is None or owner is None:
                continue
            finding, examined = rule.complete_constant(pending, table.lookup(pending.qualname))
            if examined is not None:
                owner.examined.append(examined)
            if finding is not None:
                added.setdefault(module.path, []).append(finding)
                statements[(finding.path, finding.line, finding.cwe)] = pending.statement


def _withdraw_constant(
    program: Program,
    group: list[ModuleIR],
    results: list[FileResult],
    withdrawn: dict[str, set[Finding]],
) -> None:
    """The pattern findings whose condition (`Walker.unless_constant`) the engine settles:
    every argument they said was not fixed by the code is a constant there."""
    constants: Constants | None = None
    for module in group:
        for finding, places, examined in getattr(module, "conditions", ()):
            constants = constants or Constants(program)
            if not all(_constant_at(constants, module.path, place) for place in places):
                continue
            withdrawn.setdefault(module.path, set()).add(finding)
            cwe, kind, detail = examined
            for owner in results:
                if owner.path == module.path:
                    owner.examined.append(
                        ExaminedSite(cwe, module.path, finding.line, kind, "constant", detail)
                    )


def _constant_at(constants: Constants, path: str, place: tuple[int, int, int | str]) -> bool:
    """Whether the argument `place` names (line, col of a call, its slot) is a constant."""
    line, col, slot = place
    sites = constants.at(path, line, col)
    return bool(sites) and all(
        constants.constant(function, site, [slot]) for function, site in sites
    )


def _projects(modules: list[ModuleIR]) -> list[list[ModuleIR]]:
    """Modules grouped so that no two in a group share a module name.

    A scan of several repositories at once (`scan repo-a repo-b`) may hold two `app.utils`;
    solving them together would mix one project's functions into the other's. Modules are
    grouped by the directory their top-level package sits in, and such groups are merged
    whenever their names do not collide, so one project is always solved as a whole.
    """
    by_root: dict[str, list[ModuleIR]] = {}
    for module in modules:
        by_root.setdefault(_package_root(module), []).append(module)
    groups: list[tuple[set[str], list[ModuleIR]]] = []
    for root in sorted(by_root):
        members = by_root[root]
        names = {m.name for m in members}
        for taken, group in groups:
            if not taken & names:
                taken |= names
                group.extend(members)
                break
        else:
            groups.append((names, list(members)))
    return [group for _, group in groups]


def _package_root(module: ModuleIR) -> str:
    path = Path(module.path)
    depth = module.name.removesuffix(".ipynb").count(".") + (1 if path.name == "__init__.py" else 0)
    root = path.parent
    for _ in range(depth):
        root = root.parent
    return str(root)


def _statement_verdict(
    by_statement: dict[tuple[str, int], list[tuple[int, int, str]]], path: str, finding: Finding
) -> str | None:
    """The verdict of the one modelled sink of the finding's CWE whose statement holds it."""
    found = {
        verdict
        for first, last, verdict in by_statement.get((path, finding.cwe), ())
        if first <= finding.line <= last
    }
    return found.pop() if len(found) == 1 else None


def _sink_statements(hits: list[FlowHit]) -> dict[tuple[str, int, int], tuple[int, int]]:
    """The statement of each flow hit's sink by (path, line, CWE), the first hit's if several
    share one line: looked up once per finding instead of scanning every hit for each."""
    statements: dict[tuple[str, int, int], tuple[int, int]] = {}
    for hit in hits:
        statements.setdefault((hit.sink.path, hit.sink.line, hit.cwe), hit.sink.statement)
    return statements


def _sink_statement(
    finding: Finding, statements: dict[tuple[str, int, int], tuple[int, int]]
) -> tuple[int, int]:
    found = statements.get((finding.path, finding.line, finding.cwe))
    return found if found is not None else (finding.line, finding.end_line)


def _superseded_by_line(
    new: list[Finding],
    statements: dict[tuple[str, int, int], tuple[int, int]],
    flow_rules: dict[int, type[FlowRule]],
) -> dict[int, set[str]]:
    """The pattern rules a file's flow findings supersede, by line of their statements. Each
    distinct statement is spread over its lines once, however many findings it holds."""
    spans: dict[tuple[int, int], set[str]] = {}
    for finding in new:
        rule = flow_rules[finding.cwe]
        span = _sink_statement(finding, statements)
        spans.setdefault(span, set()).update(rule.supersedes)
        first = finding.trace[0] if finding.trace else None
        if rule.supersedes_at_source and first is not None and first.path == finding.path:
            # The pattern rule flags the source (the `random` call), the flow its use.
            spans.setdefault((first.line, first.line), set()).update(rule.supersedes)
    by_line: dict[int, set[str]] = {}
    for (first, last), rules in spans.items():
        for line in range(first, last + 1):
            by_line.setdefault(line, set()).update(rules)
    return by_line


# Sinks known only by the name a value is stored under (`<stored secret>` of the models): every
# `password = …` is one, so they are not counted as examined sites of the review.
_NAME_ONLY_SINKS = frozenset({"StoredSecret"})


def _drop_examined_sources(
    result: FileResult, new: list[Finding], flow_rules: dict[int, type[FlowRule]]
) -> None:
    """A pattern rule that records where values are made (each `random` call, judged by its
    name) does not also count, as harmless, the source of a flow finding of the same CWE: the
    flow's sink is the record of that site."""
    sources = {
        (finding.cwe, finding.trace[0].line)
        for finding in new
        if flow_rules[finding.cwe].supersedes_at_source
        and finding.trace
        and finding.trace[0].path == result.path
    }
    if sources:
        result.examined = [
            site
            for site in result.examined
            if site.path != result.path
            or site.verdict.startswith("flow-")
            or (site.cwe, site.line) not in sources
        ]


def _labels_widened(path: str, functions: list[str]) -> Diagnostic:
    names = ", ".join(functions[:5]) + (
        f" and {len(functions) - 5} more" if len(functions) > 5 else ""
    )
    return Diagnostic(
        path,
        "analysis-bound",
        f"values in {names} came from more than {MAX_LABELS} sources; each kept its first "
        f"{MAX_LABELS}, and flow findings through them have medium confidence",
    )


# A flow finding whose trace passes through this many calls secreview cannot see into is low.
GUESSED_STEPS_FOR_LOW = 2
_EXCERPT_CACHE: dict[str, list[str] | None] = {}
_EXCERPT_LIMIT = 64 * 1024 * 1024  # bytes; over any max-file-size a scan would analyse


def _source_excerpt(path: str, line: int, end_line: int) -> str:
    """The lines of a flow finding's sink, read again only for findings."""
    if path not in _EXCERPT_CACHE:
        # Read again as it was read the first time: a regular file, at most the size limit
        # (it may have been swapped for a FIFO or a device since).
        data = read_bytes(Path(path), path, _EXCERPT_LIMIT)
        _EXCERPT_CACHE[path] = (
            physical_lines(data.decode("utf-8", "replace")) if isinstance(data, bytes) else None
        )
    lines = _EXCERPT_CACHE[path]
    if not lines:
        return ""
    return "\n".join(lines[line - 1 : min(end_line, line + 4)])


def flow_finding(rule: type[FlowRule], hit: FlowHit, result: FileResult) -> Finding | None:
    source = hit.source
    sink = hit.sink
    severity = rule.severity_for(source.kind)
    if result.test_code:
        if rule.in_tests == "skip":
            return None
        if rule.in_tests == "lower":
            severity = Severity.LOW
    confidence = rule.confidence
    evidence = "proven flow"
    if hit.confidence_penalty:
        confidence = Confidence.MEDIUM
        evidence = "flow through calls secreview cannot see into"
        if hit.widened:
            evidence = f"flow through a value with more than {MAX_LABELS} sources (widened)"
    guessed = sum(step[0] == "unknown" for step in hit.trace)
    if guessed >= GUESSED_STEPS_FOR_LOW:
        # Each call secreview cannot see into is assumed to pass its input on; a flow resting
        # on several such guesses is worth a look, not a change by default.
        severity, confidence = Severity.LOW, Confidence.LOW
        evidence = f"flow through {guessed} calls secreview cannot see into"
    severity, confidence = rule.judge(hit, severity, confidence)
    where = _where(source.path, source.line)
    more = f" (and {hit.sources_count - 1} more source(s))" if hit.sources_count > 1 else ""
    message = (
        f"{source.what} ({source.kind} input, {where}){more} reaches "
        f"{sink.description} in `{sink.text}`"
    )
    trace = tuple(
        TraceStep(kind, path, line, col, text) for kind, path, line, col, text in hit.trace
    )
    ir_lines = _source_excerpt(sink.path, sink.line, sink.end_line)
    return Finding(
        rule_id=rule.id,
        slug=rule.slug,
        cwe=rule.cwe,
        path=sink.path,
        line=sink.line,
        col=sink.col,
        end_line=sink.end_line,
        end_col=sink.end_col,
        severity=severity,
        confidence=confidence,
        message=message,
        snippet=ir_lines or sink.text,
        fix=Fix(rule.fix_text()) if rule.fix_text() else None,
        trace=trace,
        evidence=evidence + (" (trace shortened)" if hit.truncated else ""),
        test_code=result.test_code,
        scope=_local_scope(sink.function, result),
    )


def _local_scope(function: str, result: FileResult) -> str:
    """The sink's function as the pattern rules name scopes: qualified within its module
    (`Class.method`, so equal method names in two classes stay apart), "" at module level."""
    module = result.ir.name if result.ir is not None else ""
    local = function.removeprefix(f"{module}.") if module else function
    return "" if local.endswith(MODULE_FUNCTION) else local
