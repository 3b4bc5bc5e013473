"""Baselines: record today's findings, then report only new ones.

The file is sorted, indented JSON with one entry per finding and no line numbers or dates, so
it changes only when findings do and reads well in a review. Entries are matched by the
fingerprint of secreview.fingerprint (rule, file, enclosing scope, normalised flagged code):
code that moves up or down keeps its entry; code that changes gets a new fingerprint and its
finding shows again. Paths are stored relative to the baseline file's directory, so the file
works from any working directory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from secreview.analysis import ScanResult
from secreview.config import ConfigError
from secreview.findings import Diagnostic, Finding
from secreview.fingerprint import fingerprints
from secreview.parsing.source import read_bytes
from secreview.rules import find_rule

BASELINE_VERSION = 1
DEFAULT_BASELINE = Path(".secreview-baseline.json")
_COMMENT = (
    "secreview baseline: the findings below are known and hidden by `--baseline`; "
    "`secreview baseline update` drops the fixed ones"
)
_ENTRY_KEYS = ("fingerprint", "rule", "cwe", "path", "scope", "message")
BASELINE_EXAMPLES = """\
examples:
  secreview baseline create                  record the findings of . in .secreview-baseline.json
  secreview scan --baseline .secreview-baseline.json    then report only new findings
  secreview baseline update                  drop the entries of findings fixed since
  secreview baseline update --add-new        and record the new ones too"""


class BaselineError(ConfigError):
    """An unreadable or malformed baseline file (a usage error: exit code 2)."""


@dataclass(frozen=True, slots=True)
class Entry:
    fingerprint: str
    rule: str
    cwe: int
    path: str
    scope: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in _ENTRY_KEYS}

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.path, self.scope, self.rule, self.fingerprint)


@dataclass(slots=True)
class Baseline:
    entries: list[Entry] = field(default_factory=list)
    paths: list[str] = field(default_factory=lambda: ["."])  # scanned, relative to the file
    file: Path = DEFAULT_BASELINE  # where it was read from: paths are relative to its directory

    @property
    def fingerprints(self) -> set[str]:
        return {e.fingerprint for e in self.entries}


# -- reading and writing -------------------------------------------------------------------------
def load_baseline(path: Path) -> Baseline:
    def bad(reason: str) -> BaselineError:
        return BaselineError(
            f"{path}: not a usable secreview baseline ({reason}); "
            "recreate it with `secreview baseline create`"
        )

    if not os.path.lexists(path):
        raise BaselineError(
            f"{path}: baseline file not found; create it with `secreview baseline create`"
        )
    raw = read_bytes(path, str(path), BASELINE_LIMIT)
    if isinstance(raw, Diagnostic):
        raise BaselineError(f"{path}: cannot read the baseline: {raw.message}")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant, parse_int=_short_int)
    except json.JSONDecodeError as exc:
        raise bad(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: cannot read the baseline: it is not UTF-8 text") from None
    except RecursionError:
        raise bad("nested too deeply") from None
    except ValueError as exc:  # from the hooks below
        raise bad(str(exc)) from None
    if not isinstance(data, dict):
        raise bad("the top level is not an object")
    version = data.get("version")
    if type(version) is not int or version != BASELINE_VERSION:
        raise bad(f"version {version!r}, expected {BASELINE_VERSION}")
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise bad("no `findings` list")
    entries: list[Entry] = []
    for index, item in enumerate(findings):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise bad(f"finding {index} has no fingerprint")
        problem = _entry_problem(item)
        if problem:
            raise bad(f"finding {index} has a malformed field: {problem}")
        entries.append(
            Entry(
                item["fingerprint"],
                item.get("rule", ""),
                item.get("cwe", 0),
                item.get("path", ""),
                item.get("scope", ""),
                item.get("message", ""),
            )
        )
    paths = data.get("paths", ["."])
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise bad("`paths` is not a list of strings")
    return Baseline(entries, paths or ["."], path)


BASELINE_LIMIT = 256 * 1024 * 1024  # bytes; a baseline of a million findings is far below


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a value a baseline holds")


def _short_int(digits: str) -> int:
    if len(digits.lstrip("-")) > 9:
        raise ValueError(f"the number {digits[:20]}{'...' if len(digits) > 20 else ''} is too long")
    return int(digits)


def _entry_problem(item: dict[str, Any]) -> str:
    """What is wrong with one entry's fields, or "" when nothing is."""
    for key in ("fingerprint", "rule", "path", "scope", "message"):
        if not isinstance(item.get(key, ""), str):
            return f"`{key}` is not a string"
    cwe = item.get("cwe", 0)
    if type(cwe) is not int or cwe < 0:
        return f"`cwe` is not a CWE number: {cwe!r}"
    return ""


def dump_baseline(baseline: Baseline) -> str:
    entries = sorted(set(baseline.entries), key=lambda e: e.sort_key)
    data = {
        "comment": _COMMENT,
        "version": BASELINE_VERSION,
        "paths": sorted(set(baseline.paths)),
        "findings": [e.to_json() for e in entries],
    }
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def save_baseline(baseline: Baseline, path: Path) -> None:
    try:
        # A file name that is not UTF-8 is written as JSON's \udcXX escape and read back as is.
        path.write_text(dump_baseline(baseline), encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None


# -- matching findings -------------------------------------------------------------------------
def _rebase(path: str, findings_dir: Path, baseline_dir: Path) -> str:
    absolute = os.path.normpath(os.path.join(findings_dir, path))
    return Path(os.path.relpath(absolute, baseline_dir)).as_posix()


def baseline_prints(
    findings: Iterable[Finding], findings_dir: Path, baseline_file: Path
) -> dict[Finding, str]:
    """Each finding's fingerprint with its path made relative to the baseline's directory.

    `findings_dir` is the directory the findings' paths are relative to (the working
    directory for `scan`, the repository root for `diff`)."""
    findings_dir = findings_dir.resolve()
    baseline_dir = baseline_file.resolve().parent
    rebased = {f: replace(f, path=_rebase(f.path, findings_dir, baseline_dir)) for f in findings}
    prints = fingerprints(rebased.values())
    return {f: prints[r] for f, r in rebased.items()}


def _message(finding: Finding) -> str:
    rule = find_rule(finding.rule_id)
    title = rule.title if rule is not None else finding.slug
    code = next((line.strip() for line in finding.snippet.splitlines() if line.strip()), "")
    text = f"{title}: {code}" if code else title
    return text if len(text) <= 120 else text[:117] + "..."


def entries_for(
    findings: Iterable[Finding], findings_dir: Path, baseline_file: Path
) -> list[Entry]:
    findings = list(findings)
    prints = baseline_prints(findings, findings_dir, baseline_file)
    baseline_dir = baseline_file.resolve().parent
    resolved_dir = findings_dir.resolve()
    return [
        Entry(
            prints[f],
            f.rule_id,
            f.cwe,
            _rebase(f.path, resolved_dir, baseline_dir),
            f.scope,
            _message(f),
        )
        for f in findings
    ]


def apply_baseline(result: ScanResult, baseline: Baseline, findings_dir: Path) -> int:
    """Drop the findings the baseline knows from `result`; returns how many were hidden.

    `findings_dir` is the directory the findings' paths are relative to."""
    known = baseline.fingerprints
    all_findings = [f for r in result.files for f in r.findings]
    prints = baseline_prints(all_findings, findings_dir, baseline.file)
    hidden = 0
    for file_result in result.files:
        kept = [f for f in file_result.findings if prints[f] not in known]
        hidden += len(file_result.findings) - len(kept)
        file_result.findings = kept
    return hidden


# -- the command line ----------------------------------------------------------------------------
def add_parser(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    add_selection_options: Callable[[argparse.ArgumentParser], None],
) -> None:
    from secreview.cli import parse_jobs  # the command line imports this module first

    parser = commands.add_parser(
        "baseline",
        help="record today's findings so that later runs show only new ones",
        description="Record today's findings in a baseline file, so that `scan --baseline FILE` "
        "and `diff --baseline FILE` show only new ones.",
        epilog=BASELINE_EXAMPLES,
    )
    actions = parser.add_subparsers(dest="baseline_command", metavar="ACTION")
    for name, text in (
        ("create", "scan and write every current finding to the baseline file"),
        ("update", "scan again and drop the baseline's fixed findings (--add-new adds new ones)"),
    ):
        action = actions.add_parser(name, help=text, description=text, epilog=BASELINE_EXAMPLES)
        action.add_argument(
            "paths", nargs="*", type=Path, help="files or directories (default: as recorded, or .)"
        )
        action.add_argument(
            "--output",
            "-o",
            "--baseline",
            dest="output",
            type=Path,
            metavar="FILE",
            help=f"the baseline file (default: {DEFAULT_BASELINE})",
        )
        if name == "update":
            action.add_argument(
                "--add-new", action="store_true", help="also record findings that are new"
            )
        add_selection_options(action)
        action.add_argument(
            "--jobs",
            "-j",
            type=parse_jobs,
            default=None,
            help="worker processes (default: one per CPU)",
        )
        action.add_argument("--quiet", "-q", action="store_true", help="no notes on stderr")
        action.set_defaults(no_inline_ignore=False, color="never")


def cmd_baseline(args: argparse.Namespace) -> int:
    from secreview import cli

    command = getattr(args, "baseline_command", None)
    if command is None:
        print("secreview: error: say `secreview baseline create` or `update`", file=sys.stderr)
        return cli.EXIT_ERROR
    target: Path = args.output or DEFAULT_BASELINE
    old = load_baseline(target) if command == "update" else None
    if args.paths:
        paths = list(args.paths)
    elif old is not None:
        base_dir = target.resolve().parent
        paths = [Path(os.path.relpath(base_dir / p)) for p in old.paths]
    else:
        paths = [Path(".")]
    config = cli.configure(args, paths)
    result = cli.run_scan(paths, config, args)
    current = entries_for(result.findings, Path.cwd(), target)
    base_dir = target.resolve().parent
    recorded = sorted({Path(os.path.relpath(p.resolve(), base_dir)).as_posix() for p in paths})
    if old is None:
        save_baseline(Baseline(current, recorded, target), target)
        note = f"recorded {len(current)} finding{'s' if len(current) != 1 else ''}"
    else:
        now = {e.fingerprint for e in current}
        kept = [e for e in old.entries if e.fingerprint in now]
        dropped = len(old.entries) - len(kept)
        added: list[Entry] = []
        if args.add_new:
            known = old.fingerprints
            added = [e for e in current if e.fingerprint not in known]
        paths_recorded = recorded if args.paths else old.paths
        save_baseline(Baseline(kept + added, paths_recorded, target), target)
        note = f"kept {len(kept)}, dropped {dropped} fixed, added {len(added)}"
        if not args.add_new:
            new = sum(1 for e in current if e.fingerprint not in old.fingerprints)
            if new:
                note += (
                    f" ({new} new finding{'s' if new != 1 else ''} not added; --add-new adds them)"
                )
    if not args.quiet:
        print(f"secreview: baseline {target}: {note}", file=sys.stderr)
    return cli.EXIT_CLEAN
