"""The command line: `secreview scan`, `rules`, `explain`, `config`.

Exit codes: 0 no findings at or above --fail-on; 1 findings (or, with --strict, files that
could not be analysed); 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import secreview.cli_help as cli_help
from secreview import __version__, equivalents
from secreview import baseline as baseline_command
from secreview import migrate as migrate_command
from secreview.analysis import ScanOptions, ScanResult, scan, scan_text
from secreview.baseline import apply_baseline, load_baseline
from secreview.changes import command as diff_command
from secreview.config import Config, ConfigError, apply_cli, closest, load_config
from secreview.cwe import cwe_name, cwe_url, parse_cwe
from secreview.doc_links import doc_links
from secreview.findings import Confidence, Severity
from secreview.reporters import FORMATS, REVIEW_FORMATS, get_reporter
from secreview.reporters.escape import escape_line
from secreview.rules import all_rules, find_rule, rules_for_cwe

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", cli_help.HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"secreview: error: {message}\n")


def parse_jobs(text: str) -> int:
    """`--jobs`: a whole number of worker processes, 1 or more (more than the CPUs or the
    files is allowed and clamped by the scan)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of worker processes, 1 or more, not {escape_line(text)!r}"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="secreview", description="Security review of Python code, by CWE.")
    parser.add_argument("--version", action="version", version=f"secreview {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    scan_p = commands.add_parser(
        "scan",
        help="scan files and directories for security defects",
        description=cli_help.SCAN_DESCRIPTION,
        epilog=cli_help.SCAN_EXAMPLES,
    )
    scan_p.add_argument("paths", nargs="*", type=Path, help="files or directories (default: .)")
    scan_p.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default="text",
        metavar="FORMAT",
        help=cli_help.FORMAT_HELP["scan"],
    )
    scan_p.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="write the report to FILE; the summary line still goes to stderr (default: stdout)",
    )
    _add_run_options(scan_p)

    review_p = commands.add_parser(
        "review",
        help="write a security review: findings, a CWE checklist with evidence",
        description=cli_help.REVIEW_DESCRIPTION,
        epilog=cli_help.REVIEW_EXAMPLES,
    )
    review_p.add_argument("paths", nargs="*", type=Path, help="files or directories (default: .)")
    review_p.add_argument(
        "--format",
        "-f",
        choices=REVIEW_FORMATS,
        default="review",
        metavar="FORMAT",
        help=cli_help.FORMAT_HELP["review"],
    )
    review_p.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="write the review to FILE; the summary line still goes to stderr (default: stdout)",
    )
    _add_run_options(review_p)

    diff_command.add_parser(commands, _add_selection_options)
    baseline_command.add_parser(commands, _add_selection_options)
    migrate_command.add_parser(commands)

    rules_p = commands.add_parser("rules", help="list all rules")
    rules_p.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="a table, JSON, or the Markdown of docs/rules.md",
    )

    explain_p = commands.add_parser("explain", help="explain a rule or a CWE")
    explain_p.add_argument(
        "key", help="a rule id (SR201), slug, CWE-N, Bandit id (B602) or Ruff code (S602)"
    )

    config_p = commands.add_parser("config", help="print the effective configuration")
    config_p.add_argument(
        "path", nargs="?", type=Path, default=Path("."), help="where to look for the configuration"
    )
    config_p.add_argument("--config", type=Path, help="configuration file to use")

    cache_p = commands.add_parser("cache", help="the result cache: where it is, clear it")
    cache_p.add_argument("action", choices=("dir", "clear"), help="print its folder, or empty it")
    cache_p.add_argument("path", nargs="?", type=Path, default=Path("."), help="in this project")
    cache_p.add_argument("--config", type=Path, help="configuration file to use")
    return parser


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options of a run over files: `scan` and `review` share them."""
    _add_selection_options(parser)
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="with the path `-` (read one file from standard input): the path to report it as, "
        "which also decides its configuration and how it is read (default: -)",
    )
    parser.add_argument(
        "--fail-on",
        metavar="SEVERITY",
        help="lowest severity that makes the exit code 1: low, medium, high, critical, or none "
        "(never; like --exit-zero) (default: low, or the configuration's fail-on)",
    )
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when there are findings; usage and configuration errors still exit 2",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="files that could not be analysed also make the exit code 1",
    )
    parser.add_argument(
        "--no-inline-ignore",
        action="store_true",
        help="ignore `# secreview: ignore` and `# nosec` comments",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=parse_jobs,
        default=None,
        help="worker processes (default: one per CPU)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the terminal output: auto (when stdout is a terminal, or FORCE_COLOR is set "
        "and NO_COLOR is not), always or never; this option wins over both variables",
    )
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="no diagnostics and no summary on stderr"
    )
    parser.add_argument(
        "--baseline", type=Path, metavar="FILE", help="hide the findings recorded in FILE"
    )


def _add_selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--select",
        action="append",
        metavar="ID",
        help="only these rules: ids (SR201), slugs or CWE-N, comma-separated or repeated "
        "(default: every rule, or the configuration's select)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        metavar="ID",
        help="skip these rules: ids, slugs or CWE-N, comma-separated or repeated",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        default=[],
        help="skip matching files and directories (repeatable)",
    )
    parser.add_argument(
        "--severity",
        metavar="LEVEL",
        help="lowest severity to report: low, medium, high or critical (default: low)",
    )
    parser.add_argument(
        "--confidence",
        metavar="LEVEL",
        help="lowest confidence to report: low, medium or high (default: low)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="configuration file to use (default: the nearest secreview.toml, or pyproject.toml "
        "with [tool.secreview], above the first path)",
    )
    parser.add_argument("--no-gitignore", action="store_true", help="do not honour .gitignore")
    parser.add_argument(
        "--include-tests",
        action="store_true",
        help="also report findings in test code (left out by default, and counted in the summary)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="neither read nor write the result cache"
    )


def main(argv: Sequence[str] | None = None) -> int:
    _escape_unencodable_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        match args.command:
            case "scan" | "review":
                return cmd_scan(args)
            case "diff":
                return diff_command.cmd_diff(args)
            case "baseline":
                return baseline_command.cmd_baseline(args)
            case "migrate":
                return migrate_command.cmd_migrate(args)
            case "rules":
                return cmd_rules(args)
            case "explain":
                return cmd_explain(args)
            case "config":
                return cmd_config(args)
            case "cache":
                return cmd_cache(args)
            case _:
                parser.print_help()
                return EXIT_ERROR
    except ConfigError as exc:
        print(f"secreview: error: {escape_line(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("secreview: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # the report cannot be written: a full disk, a closed stream
        reason = exc.strerror or type(exc).__name__
        where = f"{escape_line(str(exc.filename))}: " if exc.filename else ""
        _error_line(f"{where}{reason.lower()}")
        return EXIT_ERROR
    except Exception as exc:  # a defect of secreview: one line and exit 2, never 1
        _error_line(f"internal error ({type(exc).__name__}: {exc}); please report it")
        return EXIT_ERROR


def _error_line(message: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):  # stderr itself is gone
        print(f"secreview: error: {escape_line(message)[:500]}", file=sys.stderr)


def _escape_unencodable_output() -> None:
    """Text the terminal's encoding cannot hold (an undecodable byte of a file name, any
    non-ASCII under an ASCII locale) is written as a backslash escape, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                continue


def configure(args: argparse.Namespace, paths: list[Path]) -> Config:
    start = paths[0] if paths else Path(".")
    config = load_config(start if os.path.exists(start) else Path("."), args.config)
    for key in ("select", "ignore"):
        value = getattr(args, key, None)
        if value:
            apply_cli(
                config, key, [v.strip() for item in value for v in item.split(",") if v.strip()]
            )
    if getattr(args, "exclude", None):
        apply_cli(config, "exclude", [*config.exclude, *args.exclude])
    for key in ("severity", "confidence", "fail_on"):
        value = getattr(args, key, None)
        if value:
            apply_cli(config, key.replace("_", "-"), value)
    if getattr(args, "no_gitignore", False):
        apply_cli(config, "respect-gitignore", False)
    if getattr(args, "exit_zero", False):
        apply_cli(config, "fail-on", "none")
    if getattr(args, "no_cache", False):
        apply_cli(config, "cache", False)
    if getattr(args, "include_tests", False):
        apply_cli(config, "include-tests", True)
    return config


def cmd_scan(args: argparse.Namespace) -> int:
    paths = args.paths or [Path(".")]
    from_stdin = STDIN_PATH in paths
    if from_stdin and len(paths) > 1:
        raise ConfigError("`-` (standard input) cannot be combined with other paths")
    if args.stdin_filename and not from_stdin:
        raise ConfigError("--stdin-filename needs the path `-` (standard input)")
    stdin_name = args.stdin_filename or "-"
    config = configure(args, [Path(stdin_name)] if from_stdin else paths)
    baseline = load_baseline(args.baseline) if args.baseline else None
    if from_stdin:
        result = run_stdin_scan(stdin_name, config, args)
    else:
        result = run_scan(paths, config, args)
    if baseline is not None:
        hidden = apply_baseline(result, baseline, Path.cwd())
        if hidden and not args.quiet:
            print(
                f"secreview: note: {hidden} known finding(s) hidden by {args.baseline}",
                file=sys.stderr,
            )
    write_output(
        args,
        lambda stream, colour: get_reporter(args.format, config)(result, stream, colour),
        result,
    )
    return exit_code(result, config, args.strict)


def write_output(
    args: argparse.Namespace,
    render: Callable[[IO[str], bool], None],
    result: ScanResult | None = None,
) -> None:
    """Render the report to `--output FILE`, or to stdout (coloured when it is a terminal).

    With `--output`, the summary line of `result` still goes to the terminal (stderr), so a
    run that writes a file does not look silent."""
    stream: IO[str]
    if args.output:
        try:
            stream = args.output.open("w", encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            raise ConfigError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    elif sys.stdout is None:  # started with standard output closed
        raise ConfigError("standard output is closed; write the report with --output FILE")
    else:
        stream = sys.stdout
    try:
        # A file gets colour codes only when asked for: FORCE_COLOR is about terminals.
        colour = args.color == "always" if args.output else _use_colour(args.color, stream)
        render(stream, colour)
    finally:
        if args.output:
            stream.close()
    if args.output and result is not None and not getattr(args, "quiet", False):
        from secreview.reporters.text import summary_text

        summary = f"secreview: {summary_text(result)} Report written to {args.output}."
        print(summary, file=sys.stderr)


def run_scan(paths: list[Path], config: Config, args: argparse.Namespace) -> ScanResult:
    options = ScanOptions(inline_ignores=not args.no_inline_ignore, cache=config.cache)
    progress = _progress_bar() if sys.stderr.isatty() and not args.quiet else None
    try:
        result = scan(
            paths, config, options, jobs=args.jobs, progress=progress.update if progress else None
        )
    finally:
        if progress:
            progress.close()
    _report_diagnostics(result, args)
    return result


STDIN_PATH = Path("-")


def run_stdin_scan(display: str, config: Config, args: argparse.Namespace) -> ScanResult:
    """One file read from standard input, at most max-file-size bytes of it."""
    data = sys.stdin.buffer.read(config.max_file_size + 1)
    if len(data) > config.max_file_size:
        raise ConfigError(
            f"standard input is over the max-file-size limit of "
            f"{config.max_file_size / 1_048_576:.1f} MB (raise max-file-size to include it)"
        )
    options = ScanOptions(inline_ignores=not args.no_inline_ignore)
    result = scan_text(data, os.path.normpath(display), config, options)
    _report_diagnostics(result, args)
    return result


def _report_diagnostics(result: ScanResult, args: argparse.Namespace) -> None:
    if args.quiet:
        return
    for diagnostic in result.all_diagnostics:
        print(f"secreview: warning: {escape_line(diagnostic.one_line())}", file=sys.stderr)
    for path, line, text in result.stale_suppressions:
        print(
            f"secreview: note: {escape_line(path)}:{line}: unused suppression "
            f"{escape_line(repr(text))}",
            file=sys.stderr,
        )


def exit_code(result: ScanResult, config: Config, strict: bool) -> int:
    if config.fail_on is None:  # --exit-zero, or fail-on = "none"
        return EXIT_CLEAN
    if any(f.severity >= config.fail_on for f in result.findings):
        return EXIT_FINDINGS
    if strict and result.all_diagnostics:
        return EXIT_FINDINGS
    return EXIT_CLEAN


class _progress_bar:
    """A progress bar on stderr, shown only for scans of many files on a terminal."""

    def __init__(self) -> None:
        from rich.progress import Progress

        self._progress = Progress(transient=True, console=_stderr_console())
        self._task = None

    def update(self, done: int, total: int) -> None:
        if total < 50:
            return
        if self._task is None:
            self._progress.start()
            self._task = self._progress.add_task("scanning", total=total)
        self._progress.update(self._task, completed=done)

    def close(self) -> None:
        if self._task is not None:
            self._progress.stop()


def _stderr_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(file=sys.stderr)


def _use_colour(choice: str, stream: IO[str]) -> bool:
    """--color first; then NO_COLOR, then FORCE_COLOR (each when set and not empty), the order
    Python's own interpreter follows; then whether the stream is a terminal."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def cmd_rules(args: argparse.Namespace) -> int:
    rules = all_rules()
    if args.format == "markdown":
        from secreview.rules_doc import rules_markdown

        sys.stdout.write(rules_markdown())
        return EXIT_CLEAN
    if args.format == "json":
        import json

        json.dump(
            [
                {
                    "id": r.id,
                    "slug": r.slug,
                    "cwe": r.cwe,
                    "related_cwes": list(r.related_cwes),
                    "severity": str(r.severity),
                    "confidence": str(r.confidence),
                    "title": r.title,
                    "in_tests": r.in_tests,
                    "bandit_ids": list(equivalents.ids_of_rule(r.id)[0]),
                    "ruff_codes": list(equivalents.ids_of_rule(r.id)[1]),
                }
                for r in rules
            ],
            sys.stdout,
            indent=2,
        )
        print()
        return EXIT_CLEAN
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in ("id", "slug", "CWE", "severity", "title", "Bandit / Ruff"):
        table.add_column(column)
    for rule in rules:
        bandit, ruff = equivalents.ids_of_rule(rule.id)
        table.add_row(
            rule.id,
            rule.slug,
            f"CWE-{rule.cwe}",
            str(rule.severity),
            rule.title,
            equivalents.compact_ids((*bandit, *ruff)),
        )
    console = _stdout_console()
    console.print(table)
    console.print(f"{len(rules)} rules")
    return EXIT_CLEAN


def _stdout_console():  # type: ignore[no-untyped-def]
    from secreview.reporters.text import make_console

    return make_console(sys.stdout, _use_colour("auto", sys.stdout))


def cmd_explain(args: argparse.Namespace) -> int:
    key: str = args.key
    cwe = parse_cwe(key)
    if cwe is not None:
        rules = rules_for_cwe(cwe)
        print(f"CWE-{cwe}: {cwe_name(cwe)}\n{cwe_url(cwe)}\n")
        if not rules:
            print("No rule of secreview checks this CWE.")
            return EXIT_CLEAN
        for rule in rules:
            print(_explain_rule(rule))
        return EXIT_CLEAN
    rule = find_rule(key)
    if rule is None and (equivalents.is_foreign_id(key) or equivalents.lookup(key) is not None):
        return _explain_foreign(key)
    if rule is None:
        names = [r.id for r in all_rules()] + [r.slug for r in all_rules()]
        close = closest(key, names)
        hint = f"; did you mean {close[0]!r}?" if close else "; `secreview rules` lists them"
        print(f"secreview: error: unknown rule or CWE {key!r}{hint}", file=sys.stderr)
        return EXIT_ERROR
    print(_explain_rule(rule))
    return EXIT_CLEAN


def _explain_rule(rule) -> str:  # type: ignore[no-untyped-def]
    related = "".join(f", CWE-{c}" for c in rule.related_cwes)
    head = (
        f"{rule.id} {rule.slug}: {rule.title}\n"
        f"CWE-{rule.cwe}{related} ({cwe_name(rule.cwe)}); severity {rule.severity}, "
        f"confidence {rule.confidence}; in test code: {rule.in_tests}"
    )
    replaces = equivalents.describe_rule_ids(rule.id)
    if replaces:
        head += f"; replaces {replaces}"
    return f"{head}\n\n{rule.docs()}"


def _explain_foreign(key: str) -> int:
    """`explain B602` / `explain S608` / a Bandit test name: the secreview rules that cover it."""
    check = equivalents.lookup(key)
    if check is None or not check.rules:
        print(f"secreview: error: {equivalents.no_equivalent_message(key)}", file=sys.stderr)
        return EXIT_ERROR
    foreign = equivalents.normalise(key) or key
    covered = ", ".join(check.rules)
    print(f"{check.label(foreign)} is covered by {covered}")
    if check.note:
        print(f"Difference: {check.note}")
    for rule_id in check.rules:
        rule = find_rule(rule_id)
        if rule is not None:
            print(f"\n{_explain_rule(rule)}")
    return EXIT_CLEAN


def cmd_config(args: argparse.Namespace) -> int:
    config = load_config(args.path if args.path.exists() else Path("."), args.config)
    print(escape_line(f"# configuration file: {config.file or 'none (defaults)'}"))
    values = {
        "select": config.select if config.select is not None else ["(all rules)"],
        "ignore": config.ignore,
        "severity": str(config.severity),
        "confidence": str(config.confidence),
        "fail-on": str(config.fail_on) if config.fail_on is not None else "none",
        "exclude": config.exclude,
        "per-file-ignores": config.per_file_ignores,
        "overrides": [
            vars(o) if not hasattr(o, "__slots__") else {k: getattr(o, k) for k in o.__slots__}
            for o in config.overrides
        ],
        "max-file-size": config.max_file_size,
        "respect-gitignore": config.respect_gitignore,
        "test-code": config.test_code,
        "review-cwes": [f"CWE-{c}" for c in config.review_cwes],
        "docs-url": config.docs_url or f"(default: {doc_links(config).template or 'none'})",
        "cache": config.cache,
        "cache-dir": str(config.cache_directory()),
    }
    for key, value in values.items():
        # Values come from the project's own pyproject.toml: shown escaped.
        print(escape_line(f"{key} = {_toml_value(value)}  # from {config.origin(key)}"))
    return EXIT_CLEAN


def cmd_cache(args: argparse.Namespace) -> int:
    """`secreview cache dir` prints the project's cache folder; `cache clear` empties it."""
    from secreview.cache import clear

    config = load_config(args.path if args.path.exists() else Path("."), args.config)
    directory = config.cache_directory()
    if args.action == "dir":
        print(directory)
        return EXIT_CLEAN
    removed = clear(directory)
    entries = "entry" if removed == 1 else "entries"
    print(f"secreview: removed {removed} cache {entries} from {directory}")
    return EXIT_CLEAN


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + "}"
    if isinstance(value, Severity | Confidence):
        return f'"{value}"'
    return str(value)
