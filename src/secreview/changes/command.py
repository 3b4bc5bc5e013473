"""`secreview diff`: the command line of code-review mode."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from secreview.analysis import ScanOptions
from secreview.changes.model import ChangeError
from secreview.changes.review import DiffResult, describe, read_change, resolved_line, review
from secreview.config import Config
from secreview.reporters.escape import escape_line, safe_for_display

DIFF_HELP = """\
Review a change: analyse the changed Python files (whole, with the modules data flow needs
around them) and report only the findings the change introduces, on the lines it adds or
modifies, plus the findings it resolves.

  secreview diff                     working tree and index against HEAD (new files included)
  secreview diff REV                 working tree against REV
  secreview diff A..B                commit B against commit A
  secreview diff A...B               B against the merge base of A and B, as a pull request
  git diff | secreview diff --patch -   any unified diff, applied to the working tree or not

Paths in the report are relative to the repository root.
"""

DIFF_EXAMPLES = """\
examples:
  secreview diff origin/main...HEAD -f github    annotations on a pull request's lines
  secreview diff HEAD~1 -f concise --fail-on high
  secreview diff --patch change.diff -f gerrit -o review.json"""


def add_parser(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    add_selection_options: Callable[[argparse.ArgumentParser], None],
) -> None:
    from secreview.cli_help import FORMAT_HELP
    from secreview.reporters import FORMATS

    parser = commands.add_parser(
        "diff",
        help="review a change: report only what it introduces",
        description=DIFF_HELP,
        epilog=DIFF_EXAMPLES,
    )
    parser.add_argument(
        "rev",
        nargs="?",
        metavar="REV | A..B | A...B",
        help="what to compare (default: HEAD against the working tree)",
    )
    parser.add_argument(
        "--patch",
        metavar="FILE",
        help="review the unified diff in FILE (- reads standard input) instead of asking git",
    )
    parser.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default="text",
        metavar="FORMAT",
        help=FORMAT_HELP["scan"],
    )
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="write the report to FILE; the summary line still goes to stderr (default: stdout)",
    )
    add_selection_options(parser)
    parser.add_argument(
        "--fail-on",
        metavar="SEVERITY",
        help="lowest severity that makes the exit code 1: low, medium, high, critical, or none "
        "(never; like --exit-zero) (default: low, or the configuration's fail-on)",
    )
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when the change brings findings; usage, configuration and git errors "
        "still exit 2",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="changed files that could not be analysed also make the exit code 1",
    )
    parser.add_argument(
        "--no-inline-ignore",
        action="store_true",
        help="ignore `# secreview: ignore` and `# nosec` comments",
    )
    parser.add_argument(
        "--baseline", type=Path, metavar="FILE", help="hide the findings recorded in FILE"
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


def cmd_diff(args: argparse.Namespace) -> int:
    from secreview import cli
    from secreview.baseline import apply_baseline, load_baseline

    if args.rev and args.patch:
        print("secreview: error: give a revision or --patch, not both", file=sys.stderr)
        return cli.EXIT_ERROR
    config = cli.configure(args, [Path(".")])
    baseline = load_baseline(args.baseline) if args.baseline else None
    try:
        sides = read_change(args.rev, args.patch)
        options = ScanOptions(inline_ignores=not args.no_inline_ignore, cache=config.cache)
        result = review(sides, config, options)
    except ChangeError as exc:
        print(f"secreview: error: {escape_line(str(exc))}", file=sys.stderr)
        return cli.EXIT_ERROR
    hidden = apply_baseline(result, baseline, sides.root) if baseline is not None else 0
    if not args.quiet:
        if not result.change.files:
            print("secreview: note: no Python files changed", file=sys.stderr)
        for diagnostic in result.all_diagnostics:
            print(f"secreview: warning: {escape_line(diagnostic.one_line())}", file=sys.stderr)
        for path, line, text in result.stale_suppressions:
            print(
                f"secreview: note: {escape_line(path)}:{line}: unused suppression "
                f"{escape_line(repr(text))}",
                file=sys.stderr,
            )
        if hidden:
            print(
                f"secreview: note: {hidden} finding{'s' if hidden != 1 else ''} hidden by the "
                f"baseline {args.baseline}",
                file=sys.stderr,
            )
    cli.write_output(
        args,
        lambda stream, colour: write_report(result, args.format, stream, colour, config),
        result,
    )
    return cli.exit_code(result, config, args.strict)


def write_report(
    result: DiffResult, format: str, stream: IO[str], colour: bool, config: Config | None = None
) -> None:
    """The report in `format`; text and JSON also name the change and what it resolved (the
    other formats read `result.resolved` themselves, where they have a place for it)."""
    from secreview.reporters import get_reporter

    if format == "json":
        from secreview.doc_links import doc_links
        from secreview.reporters.json_report import build, finding_to_dict

        links = doc_links(config)
        data = build(result, links)
        data["change"] = {
            "base": result.change.base_label,
            "head": result.change.head_label,
            "files": [
                {"path": f.path, "old_path": f.old_path, "status": f.status}
                for f in result.change.files
            ],
            "analysed_for_context": result.analysed_for_context,
        }
        data["resolved"] = [finding_to_dict(f, links) for f in result.resolved]
        json.dump(data, stream, indent=2)
        stream.write("\n")
        return
    if format == "text":
        result = safe_for_display(result)  # the change's paths are the repository's
        stream.write(describe(result) + "\n\n")
        stream.flush()
        get_reporter(format, config)(result, stream, colour)
        for finding in result.resolved:
            stream.write(resolved_line(finding) + "\n")
        return
    get_reporter(format, config)(result, stream, colour)
