"""Hostile and mutated input: real Python files, damaged on purpose, scanned one by one.

```sh
python bench/fuzz.py --files 2000                    # seeds: the running interpreter's stdlib
python bench/fuzz.py --files 10000 --bandit          # and Bandit on the same files
python bench/fuzz.py --seeds src tests/fixtures --files 150 --keep out/   # CI-sized, kept
python bench/fuzz.py --files 10000 --keep out/ --generate-only   # only write the files
python bench/fuzz.py --corpus out/ --bandit          # scan files written before
```

Each file is one seed file with one to three mutations: lines deleted or duplicated, tokens
swapped, bytes flipped, the text truncated, code nested hundreds of levels deep, huge string
literals, long chains of assignments and concatenations, bytes of another encoding, NUL
bytes, CR or CRLF line endings. The same `--seed` and seed files give the same files.

Every file is scanned by `secreview scan --format json --no-cache` run in a fresh process
forked from this one (so secreview's modules are loaded once), at most `--jobs` at a time, each
with a `--timeout` in seconds of CPU (and ten times that on the clock, for a process that
blocks) and an address-space limit of `--memory-cap` MiB: CPU time, not the clock, so that
other work on a shared machine does not turn a slow file into a hang. The report counts
tracebacks (on stderr, or an `internal-error` diagnostic), hangs (killed at the timeout),
files over `--slow` seconds of CPU, exit codes other than 0 and 1, unparseable files without
a diagnostic, and the peak resident memory of any one file. With `--bandit`, Bandit runs on
the same files (in batches, under the same CPU timeout; a batch that crashes or runs out of
time is rerun file by file) and the report counts its fatal crashes, the files it does not
finish in time and the files it skipped, which change nothing in its exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
import tokenize
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

Mutation = Callable[[bytes, random.Random, float], bytes]


# -- mutations ------------------------------------------------------------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def delete_lines(data: bytes, rng: random.Random, scale: float = 1.0) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    del lines[start : start + rng.randint(1, 20)]
    return b"".join(lines)


def duplicate_lines(data: bytes, rng: random.Random, scale: float = 1.0) -> bytes:
    lines = _lines(data)
    start = rng.randrange(len(lines))
    block = lines[start : start + rng.randint(1, 30)]
    copies = max(2, int(rng.randint(2, 200) * scale))
    return b"".join(lines[:start] + block * copies + lines[start:])


def swap_tokens(data: bytes, rng: random.Random, scale: float = 1.0) -> bytes:
    """Two tokens of the file exchanged, a few times (the file stays mostly tokenizable)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tokens = [
                t
                for t in tokenize.tokenize(io.BytesIO(data).readline)
                if t.type in (tokenize.NAME, tokenize.OP, tokenize.STRING, tokenize.NUMBER)
            ]
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, SystemError):
        # SystemError: Python 3.13.0's tokenizer on a NUL byte.
        return flip_bytes(data, rng, scale)
    if len(tokens) < 2:
        return data
    lines = data.decode("utf-8", "replace").splitlines(keepends=True)
    for _ in range(rng.randint(1, 5)):
        a, b = sorted(rng.sample(tokens, 2), key=lambda t: t.start)
        if a.start[0] != a.end[0] or b.start[0] != b.end[0] or a.start[0] == b.start[0]:
            continue
        first, second = a.start[0] - 1, b.start[0] - 1
        if first >= len(lines) or second >= len(lines):
            continue
        la, lb = lines[first], lines[second]
        lines[first] = la[: a.start[1]] + b.string + la[a.end[1] :]
        lines[second] = lb[: b.start[1]] + a.string + lb[b.end[1] :]
        tokens = [t for t in tokens if t.start[0] not in (a.start[0], b.start[0])]
        if len(tokens) < 2:
            break
    return "".join(lines).encode("utf-8", "surrogateescape")


def flip_bytes(data: bytes, rng: random.Random, scale: float = 1.0) -> bytes:
    buffer = bytearray(data or b"\n")
    for _ in range(rng.randint(1, 16)):
        buffer[rng.randrange(len(buffer))] ^= 1 << rng.randrange(8)
    return bytes(buffer)


def truncate(data: bytes, rng: random.Random, scale: float = 1.0) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def deep_nesting(data: bytes, rng: random.Random, scale: float = 1.0) -> bytes:
    depth = max(2, int(rng.choice((50, 100, 200, 500, 1000, 3000)) * scale))
    shape = rng.choice(("parens", "lists", "ifs", "calls", "binops", "lambdas"))
    if shape == "parens":
        code = "x = " + "(" * depth + "1" + ")" * depth + "\n"
    elif shape == "lists":
        code = "x = " + "[" * depth + "]" * depth + "\n"
    elif shape == "calls":
        code = "x = " + "f(" * depth + "request.args['a']" + ")" * depth + "\n"
    elif shape == "binops":
        code = "x = " + " + ".join(["request.args['a']"] * depth) + "\n"
    elif shape == "lambdas":
        code = "x = " + "lambda: " * depth + "0\n"
    else:
        code = "".join(" " * i + f"if x{i}:\n" for i in range(min(depth, 99))) + " " * 99 + "pass\n"
    return _insert(data, code.encode(), rng)


def huge_literal(data: bytes, rng: random.Random, scale: float = 1.0) -> bytes:
    size = max(20, int(rng.choice((10_000, 100_000, 1_000_000)) * scale))
    kind = rng.choice(("str", "bytes", "list", "dict", "number", "fstring"))
    if kind == "str":
        code = "s = '" + "a%s" * (size // 2) + "' % x\n"
    elif kind == "bytes":
        code = "b = b'" + "\\x00" * (size // 4) + "'\n"
    elif kind == "list":
        code = "items = [" + ", ".join(str(i) for i in range(size // 6)) + "]\n"
    elif kind == "dict":
        code = "table = {" + ", ".join(f"'k{i}': v" for i in range(size // 10)) + "}\n"
    elif kind == "number":
        code = "n = " + "9" * min(size, 4000) + "\n"
    else:
        code = "q = f'" + "{x}," * (size // 8) + "'\ncursor.execute(q)\n"
    return _insert(data, code.encode(), rng)


def long_chain(data: bytes, rng: random.Random, scale: float = 1.0) -> bytes:
    count = max(2, int(rng.choice((1000, 3000, 10_000)) * scale))
    kind = rng.choice(("concat", "conditional", "augmented", "calls", "sinks"))
    if kind == "concat":
        body = "    y = y + p\n" * count + "    cursor.execute(y)\n"
    elif kind == "conditional":
        body = (
            "".join(
                f"    v{i + 1} = v{i} if v{i} else request.args.get('k{i}')\n" for i in range(count)
            )
            + f"    os.system(v{count})\n"
        )
    elif kind == "augmented":
        body = "    y += p\n" * count + "    cursor.execute(y)\n"
    elif kind == "calls":
        body = "".join(f"    v{i + 1} = helper(v{i})\n" for i in range(count))
    else:
        body = "".join(f"    os.system('step {i} ' + v0)\n" for i in range(count))
    code = (
        "import os\nfrom flask import request\n\ndef chained(cursor, p):\n"
        "    v0 = request.args['a']\n    y = 'SELECT '\n" + body
    )
    return _insert(data, code.encode(), rng, at_line_start=True)


def mixed_encoding(data: bytes, rng: random.Random, scale: float = 1.0) -> bytes:
    choice = rng.choice(("latin1", "cookie", "bom", "utf16", "surrogate"))
    if choice == "latin1":
        return _insert(data, "s = 'caf\xe9 \xff\xfe'\n".encode("latin-1"), rng)
    if choice == "cookie":
        cookie = rng.choice((b"latin-1", b"uft-8", b"cp1252", b"utf-16", b"nope"))
        return b"# -*- coding: " + cookie + b" -*-\n" + data
    if choice == "bom":
        return b"\xef\xbb\xbf" + data
    if choice == "utf16":
        return data.decode("utf-8", "replace").encode("utf-16")
    return _insert(data, b"s = '\xed\xa0\x80'\n", rng)  # an encoded surrogate


def nul_bytes(data: bytes, rng: random.Random, scale: float = 1.0) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        buffer.insert(rng.randrange(len(buffer) + 1), 0)
    return bytes(buffer)


def line_endings(data: bytes, rng: random.Random, scale: float = 1.0) -> bytes:
    text = data.replace(b"\r\n", b"\n")
    ending = rng.choice((b"\r", b"\r\n", b"mixed"))
    if ending != b"mixed":
        return text.replace(b"\n", ending)
    return b"".join(
        line.rstrip(b"\n") + rng.choice((b"\n", b"\r", b"\r\n")) for line in _lines(text)
    )


MUTATIONS: dict[str, Mutation] = {
    "delete-lines": delete_lines,
    "duplicate-lines": duplicate_lines,
    "swap-tokens": swap_tokens,
    "flip-bytes": flip_bytes,
    "truncate": truncate,
    "deep-nesting": deep_nesting,
    "huge-literal": huge_literal,
    "long-chain": long_chain,
    "mixed-encoding": mixed_encoding,
    "nul-bytes": nul_bytes,
    "line-endings": line_endings,
}


def _insert(data: bytes, code: bytes, rng: random.Random, at_line_start: bool = True) -> bytes:
    """`code` put between two lines of `data`, at top level or indented like the line after."""
    lines = _lines(data)
    index = rng.randrange(len(lines) + 1)
    if at_line_start and index < len(lines) and rng.random() < 0.5:
        following = lines[index]
        indent = following[: len(following) - len(following.lstrip(b" \t"))]
        code = b"".join(indent + line for line in code.splitlines(keepends=True))
    return b"".join(lines[:index]) + code + b"".join(lines[index:])


def mutate(data: bytes, rng: random.Random, scale: float = 1.0) -> tuple[bytes, list[str]]:
    """One to three mutations of `data`; `scale` multiplies the sizes of the hostile ones
    (nesting depth, literal size, chain length, copies)."""
    names = rng.sample(sorted(MUTATIONS), rng.randint(1, 3))
    for name in names:
        data = MUTATIONS[name](data, rng, scale)
    return data, names


# -- the corpus -----------------------------------------------------------------------------------


def seed_files(roots: list[Path], largest: int = 256_000) -> list[Path]:
    """Python files under `roots`, in a fixed order, smaller than `largest` bytes."""
    found: list[Path] = []
    for root in roots:
        candidates = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for path in candidates:
            if "site-packages" in path.parts or "__pycache__" in path.parts:
                continue
            try:
                if path.is_file() and 0 < path.stat().st_size < largest:
                    found.append(path)
            except OSError:
                continue
    return found


def generate(
    seeds: list[Path], count: int, seed: int, scale: float = 1.0
) -> Iterator[tuple[str, bytes, list[str]]]:
    """`count` mutated files as (name, bytes, mutations), the same for the same seed."""
    for index in range(count):
        rng = random.Random(f"{seed}:{index}")
        origin = seeds[rng.randrange(len(seeds))]
        data, names = mutate(origin.read_bytes(), rng, scale)
        stem = origin.stem.replace(".", "_")[:40]
        yield f"f{index:05d}_{stem}.py", data, names


def write_corpus(
    seeds: list[Path], count: int, seed: int, folder: Path, scale: float = 1.0
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data, _mutations in generate(seeds, count, seed, scale):
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


# -- running secreview ----------------------------------------------------------------------------


@dataclass
class FileRun:
    path: Path
    exit_code: int = 0
    cpu: float = 0.0
    wall: float = 0.0
    peak_mib: float = 0.0
    hang: bool = False
    traceback: str = ""
    diagnostics: list[dict[str, object]] = field(default_factory=list)
    analysed: bool | None = None  # as the JSON report says; None without a report


# A process that blocks uses no CPU: it is also stopped after this many times the timeout.
WALL_CLOCK_FACTOR = 10


def _limit_cpu(seconds: float) -> None:
    """At `seconds` of CPU the kernel stops this process (SIGXCPU, then SIGKILL)."""
    limit = max(1, math.ceil(seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))


def _out_of_time(returncode: int) -> bool:
    return returncode in (-signal.SIGXCPU, -signal.SIGKILL)


def _scan_in_child(path: Path, report: Path, log: Path, memory_cap: int, timeout: float) -> None:
    """In the forked process: the real command-line entry point on one file, then exit."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    code = 70
    try:
        _limit_cpu(timeout)
        if memory_cap:
            limit = memory_cap * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        from secreview.cli import main

        argv = ["scan", "--format", "json", "-o", str(report), "--jobs", "1", "--no-cache"]
        code = main([*argv, str(path)])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 70
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 70
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_secreview(
    paths: list[Path], jobs: int, timeout: float, memory_cap: int, work: Path
) -> list[FileRun]:
    """Each file in its own forked process, `jobs` at a time."""
    import secreview.cli  # noqa: F401  (loaded once, inherited by every fork)

    runs: list[FileRun] = []
    pending = list(enumerate(paths))
    running: dict[int, tuple[int, FileRun, float]] = {}
    done = 0
    while pending or running:
        while pending and len(running) < jobs:
            index, path = pending.pop(0)
            run = FileRun(path)
            report, log = work / f"{index}.json", work / f"{index}.log"
            pid = os.fork()
            if pid == 0:
                _scan_in_child(path, report, log, memory_cap, timeout)
            running[pid] = (index, run, time.monotonic())
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        if pid == 0:
            now = time.monotonic()
            for child, (_index, run, started) in running.items():
                if now - started > timeout * WALL_CLOCK_FACTOR and not run.hang:
                    run.hang = True
                    os.kill(child, signal.SIGKILL)
            time.sleep(0.005)
            continue
        index, run, started = running.pop(pid)
        run.wall = time.monotonic() - started
        run.cpu = usage.ru_utime + usage.ru_stime
        run.peak_mib = usage.ru_maxrss / 1024
        run.exit_code = os.waitstatus_to_exitcode(status)
        killed = run.exit_code == -signal.SIGXCPU
        killed = killed or (run.exit_code == -signal.SIGKILL and run.cpu >= timeout)
        run.hang = run.hang or killed
        _read_outcome(run, work / f"{index}.json", work / f"{index}.log")
        runs.append(run)
        done += 1
        if done % 500 == 0:
            print(f"  {done}/{len(paths)} files", file=sys.stderr)
    return runs


def _read_outcome(run: FileRun, report: Path, log: Path) -> None:
    text = log.read_text(errors="replace") if log.exists() else ""
    if "Traceback (most recent call last)" in text:
        run.traceback = text[text.index("Traceback") :][-2000:]
    if report.exists():
        with contextlib.suppress(ValueError, KeyError, IndexError):
            data = json.loads(report.read_text())
            run.diagnostics = data["diagnostics"]
            run.analysed = data["files"][0]["analysed"]
    for diagnostic in run.diagnostics:
        if diagnostic.get("kind") == "internal-error" and not run.traceback:
            run.traceback = str(diagnostic.get("message"))
    report.unlink(missing_ok=True)
    log.unlink(missing_ok=True)


def parse_seconds(path: Path, timeout: float) -> float | None:
    """CPU seconds of `ast.parse` alone on the file, in a fresh process: the floor of any
    tool that reads Python. None when it does not finish within `timeout`."""
    code = "import ast, sys\ntry:\n    ast.parse(open(sys.argv[1], 'rb').read())\nexcept Exception:\n    pass"
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], preexec_fn=lambda: _limit_cpu(timeout)
    )
    started = time.monotonic()
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = 0  # reaped here; keep Popen from waiting again
            if _out_of_time(os.waitstatus_to_exitcode(status)):
                return None
            return usage.ru_utime + usage.ru_stime
        if time.monotonic() - started > timeout * WALL_CLOCK_FACTOR:
            child.kill()
            child.wait()
            return None
        time.sleep(0.01)


# -- running Bandit -------------------------------------------------------------------------------


@dataclass
class BanditRun:
    files: int = 0
    seconds: float = 0.0
    crashed: list[str] = field(default_factory=list)  # files Bandit died on
    hangs: list[str] = field(default_factory=list)  # files it did not finish within the timeout
    skipped: list[str] = field(default_factory=list)  # files in its "errors": not analysed
    failed_exit_zero: int = 0  # runs that skipped files yet exited 0


def run_bandit(paths: list[Path], jobs: int, timeout: float, batch: int = 20) -> BanditRun:
    """Bandit in batches (its start-up is slow); a batch that crashes or runs over twice the
    timeout (of CPU, as for secreview) is run again file by file to find the files it crashes
    or hangs on."""
    bandit = shutil.which("bandit", path=str(Path(sys.executable).parent)) or "bandit"
    result = BanditRun(files=len(paths))
    started = time.perf_counter()
    batches = [paths[i : i + batch] for i in range(0, len(paths), batch)]

    def one(
        files: list[Path], limit: float
    ) -> tuple[list[Path], subprocess.CompletedProcess[str] | None]:
        try:
            done = subprocess.run(
                [bandit, "-f", "json", "-q", *map(str, files)],
                capture_output=True,
                text=True,
                timeout=limit * WALL_CLOCK_FACTOR,
                preexec_fn=lambda: _limit_cpu(limit),
            )
        except subprocess.TimeoutExpired:
            return files, None
        return files, (None if _out_of_time(done.returncode) else done)

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(jobs) as pool:
        for files, done in pool.map(lambda files: one(files, timeout * 2), batches):
            report = _bandit_report(done)
            if report is None:  # find the files it dies or hangs on
                for path in files:
                    _, alone = one([path], timeout)
                    single = _bandit_report(alone)
                    if alone is None:
                        result.hangs.append(str(path))
                    elif single is None:
                        result.crashed.append(str(path))
                    else:
                        result.skipped.extend(e["filename"] for e in single.get("errors", []))
                continue
            errors = report.get("errors", [])
            result.skipped.extend(e["filename"] for e in errors)
            if errors and done is not None and done.returncode == 0:
                result.failed_exit_zero += 1
    result.seconds = time.perf_counter() - started
    return result


def _bandit_report(done: subprocess.CompletedProcess[str] | None) -> dict | None:
    if done is None or done.returncode not in (0, 1):
        return None
    try:
        return json.loads(done.stdout)
    except ValueError:
        return None


# -- the report -----------------------------------------------------------------------------------


def summarise(runs: list[FileRun], slow: float, cap: int) -> dict:
    peak = max(runs, key=lambda r: r.peak_mib, default=None)
    kinds: dict[str, int] = {}
    for run in runs:
        for diagnostic in run.diagnostics:
            kind = str(diagnostic.get("kind"))
            kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "files": len(runs),
        "tracebacks": sorted(str(r.path) for r in runs if r.traceback),
        "hangs": sorted(str(r.path) for r in runs if r.hang),
        "slow": sorted((str(r.path), round(r.cpu, 1)) for r in runs if r.cpu > slow),
        "bad_exit_codes": sorted(
            (str(r.path), r.exit_code) for r in runs if r.exit_code not in (0, 1) and not r.hang
        ),
        "over_memory_cap": sorted(str(r.path) for r in runs if cap and r.peak_mib > cap),
        "not_analysed": sum(1 for r in runs if r.analysed is False),
        "not_analysed_without_diagnostic": sorted(
            str(r.path) for r in runs if r.analysed is False and not r.diagnostics
        ),
        "diagnostics_by_kind": dict(sorted(kinds.items())),
        "peak_mib": round(peak.peak_mib, 1) if peak else 0,
        "peak_file": str(peak.path) if peak else "",
        "median_mib": round(sorted(r.peak_mib for r in runs)[len(runs) // 2], 1) if runs else 0,
        "cpu_seconds": round(sum(r.cpu for r in runs), 1),
        "slowest": sorted(((round(r.cpu, 2), str(r.path)) for r in runs), reverse=True)[:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="mutated files to make")
    parser.add_argument("--seed", type=int, default=1, help="the same seed, the same files")
    parser.add_argument(
        "--seeds",
        type=Path,
        nargs="*",
        help="seed files or folders (default: the running interpreter's standard library)",
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds of CPU before a hang")
    parser.add_argument("--slow", type=float, default=10.0, help="CPU seconds counted as slow")
    parser.add_argument(
        "--memory-cap", type=int, default=2048, help="MiB of address space per file (0: none)"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiplies the sizes of hostile mutations"
    )
    parser.add_argument("--bandit", action="store_true", help="also run Bandit on the files")
    parser.add_argument(
        "--bandit-files", type=int, help="run Bandit on only the first this many files"
    )
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="with --keep: write the files and stop (scan them later with --corpus)",
    )
    parser.add_argument(
        "--corpus", type=Path, help="scan the .py files of this folder instead of making files"
    )
    parser.add_argument("--json", type=Path, help="write the report here as JSON")
    args = parser.parse_args(argv)
    if args.generate_only and (args.keep is None or args.corpus is not None):
        parser.error("--generate-only needs --keep DIR (and no --corpus)")

    roots = args.seeds or [Path(sysconfig.get_paths()["stdlib"])]
    folder = args.corpus or args.keep or Path(tempfile.mkdtemp(prefix="secreview-fuzz-"))
    work = Path(tempfile.mkdtemp(prefix="secreview-fuzz-run-"))
    try:
        if args.corpus is not None:
            paths = sorted(args.corpus.glob("*.py"))[: args.files]
        else:
            seeds = seed_files(roots)
            if not seeds:
                parser.error("no seed files found")
            print(
                f"writing {args.files} files from {len(seeds)} seeds to {folder}", file=sys.stderr
            )
            paths = write_corpus(seeds, args.files, args.seed, folder, args.scale)
            if args.generate_only:
                print(f"wrote {len(paths)} files to {folder}", file=sys.stderr)
                return 0
        started = time.perf_counter()
        runs = run_secreview(paths, args.jobs, args.timeout, args.memory_cap, work)
        report: dict[str, object] = {
            "secreview": summarise(runs, args.slow, args.memory_cap),
        }
        report["secreview"]["wall_seconds"] = round(time.perf_counter() - started, 1)  # type: ignore[index]
        # How much of each slow file is the interpreter's own parser (the floor).
        report["secreview"]["slow_parse_seconds"] = {  # type: ignore[index]
            str(r.path): parse_seconds(r.path, args.timeout)
            for r in runs
            if r.cpu > args.slow or r.hang
        }
        _write(report, args.json)
        if args.bandit:
            bandit = run_bandit(paths[: args.bandit_files], args.jobs, args.timeout)
            report["bandit"] = {
                "files": bandit.files,
                "wall_seconds": round(bandit.seconds, 1),
                "fatal_crashes": len(bandit.crashed),
                "crashed_files": bandit.crashed[:20],
                "hangs": bandit.hangs,
                "skipped_files": len(bandit.skipped),
                "runs_that_skipped_files_and_exited_0": bandit.failed_exit_zero,
            }
            _write(report, args.json)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.keep is None and args.corpus is None:
            shutil.rmtree(folder, ignore_errors=True)
    found = report["secreview"]  # type: ignore[assignment]
    failed = any(found[k] for k in ("tracebacks", "hangs", "bad_exit_codes"))  # type: ignore[index]
    return 1 if failed else 0


def _write(report: dict[str, object], out: Path | None) -> None:
    """The report so far, on standard output and in `out` (secreview's before Bandit's)."""
    text = json.dumps(report, indent=2)
    print(text, flush=True)
    if out is not None:
        out.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
