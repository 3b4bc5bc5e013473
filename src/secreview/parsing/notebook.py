"""Jupyter notebooks: the code cells joined into one module, IPython syntax read line for line.

A notebook is JSON (nbformat 4). Its code cells run in one interpreter, one after the other, so
they are joined in order into one module and data flows from a cell to a sink in a later one.
IPython's own syntax is rewritten into plain Python on the same line, never adding or removing
a line, so a line of the module is always one line of one cell:

- `!cmd {var} $name` runs a shell on the command with the values put in (IPython expands
  `{expr}` and `$name`): it becomes `get_ipython().system(f"cmd {var} {name}")`, and
  `x = !cmd` / `!!cmd` become `get_ipython().getoutput(...)`, as IPython itself writes them,
  with the expansion made an f-string so that the data flow sees what goes into the command;
- `%magic args` and `x = %magic args` become `get_ipython().run_line_magic("magic", f"args")`
  (`%pip`, `%sx`, `%system` run a shell: models/ipython.toml says so); `%time stmt` and
  `%timeit stmt` run `stmt`, which is kept as Python;
- a cell magic whose body is not Python (`%%bash`, `%%writefile`, `%%html`, …) is blanked out;
  the body of `%%time`, `%%timeit`, `%%capture`, `%%prun` and `%%debug` is Python and is kept;
- help lines (`obj?`, `??obj`) become `pass`.

The JSON is read with the standard library rather than nbformat: the analysis needs the cells'
type and source and the kernel's language, and the line of the .ipynb file each source line is
stored on, which no notebook library reports. nbformat would bring traitlets, jupyter_core and
fastjsonschema for a schema check that a security review does not need.
"""

from __future__ import annotations

import ast
import bisect
import json
import re
import string
from dataclasses import dataclass, field, replace

from secreview.findings import Diagnostic, ExaminedSite, FileResult, Finding, Fix, TraceStep
from secreview.parsing.source import ParsedSource, parse_source, physical_lines

NOTEBOOK_SUFFIX = ".ipynb"

# Cell magics whose body is Python run in the kernel; every other cell magic has a body in some
# other language (or text written to a file) and is not analysed.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
# Line magics whose argument is a Python statement run in the kernel.
PYTHON_LINE_MAGICS = frozenset({"time", "timeit", "prun"})

_LANGUAGES = ("python", "ipython", "python2", "python3")
MAX_BROKEN_CELLS = 20
_ASSIGNED = re.compile(
    r"^(?P<target>[\w.]+(?:\s*,\s*[\w.]+)*|\[[^\]=]*\]|\([^)=]*\))\s*=\s*(?P<rest>[!%].*)$"
)
_MAGIC = re.compile(r"^%(?P<name>[A-Za-z_]\w*)(?P<args>.*)$", re.DOTALL)
_HELP = re.compile(r"^(\?\??[\w.*\[\]]*|[\w.*\[\]]+\?\??|%%?pinfo2?\b.*)$")
_DOLLAR = re.compile(r"(.*?)\$(\$?[\w.]+)(?=([^']*'[^']*')*[^']*$)", re.DOTALL)
_FORMATTER = string.Formatter()


@dataclass(frozen=True, slots=True)
class CellLine:
    """Where a line of the joined module is in the notebook."""

    cell: int  # 1-based index among all cells, markdown included, as Jupyter and Ruff count
    line: int  # 1-based line within the cell
    file_line: int  # line of the .ipynb file holding the JSON string the line is in


@dataclass(slots=True)
class CellMap:
    """Module line -> cell and line; picklable, so workers can return it with their result."""

    lines: list[CellLine] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # each module line as the cell has it

    def at(self, line: int) -> CellLine | None:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None

    def label(self, line: int) -> str:
        """`cell 3:line 2` for a line of the module."""
        place = self.at(line)
        return f"cell {place.cell}:line {place.line}" if place else f"line {line}"

    def written_segment(self, line: int, end_line: int) -> str:
        return "\n".join(self.written[max(line, 1) - 1 : end_line])


@dataclass(slots=True)
class ParsedNotebook:
    parsed: ParsedSource
    cells: CellMap
    diagnostics: list[Diagnostic]


def is_notebook(path: str) -> bool:
    return path.endswith(NOTEBOOK_SUFFIX)


def parse_notebook(text: str, display: str) -> ParsedNotebook | Diagnostic:
    """Read a notebook's JSON and parse its Python code cells as one module."""
    text = text.removeprefix("\ufeff")  # some editors write one; JSON does not allow it
    try:
        document = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", 0)
        col = max(getattr(exc, "colno", 1) - 1, 0)
        reason = getattr(exc, "msg", str(exc))
        return Diagnostic(
            display, "notebook-error", f"not valid JSON ({reason}); not analysed", line, col
        )
    except RecursionError:
        return Diagnostic(display, "notebook-error", "JSON nested too deeply; not analysed")
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        if isinstance(document, dict) and "worksheets" in document:
            return Diagnostic(
                display,
                "notebook-error",
                f"notebook format {document.get('nbformat', 3)} (cells in worksheets); only "
                "format 4 is read; not analysed (saving it in Jupyter upgrades it)",
            )
        return Diagnostic(display, "notebook-error", "JSON without `cells`, not a notebook")
    language = _language(document.get("metadata"))
    if language is not None and language.lower() not in _LANGUAGES:
        return Diagnostic(
            display,
            "notebook-language",
            f"the kernel's language is {language}, not Python; not analysed",
        )
    cells = _code_cells(document["cells"], text)
    return _parse_cells(cells, display)


def _language(metadata: object) -> str | None:
    if not isinstance(metadata, dict):
        return None
    for key, name in (("kernelspec", "language"), ("language_info", "name")):
        table = metadata.get(key)
        if isinstance(table, dict) and isinstance(table.get(name), str) and table[name]:
            return table[name]
    return None


@dataclass(slots=True)
class _Cell:
    number: int  # 1-based among all cells
    lines: list[str]  # as written
    file_lines: list[int]  # the .ipynb line of each


def _code_cells(cells: list[object], text: str) -> list[_Cell]:
    """The code cells with their lines, and for each line the .ipynb line it is stored on."""
    newlines = [match.start() for match in re.finditer("\n", text)]
    sources = _SourcePositions(text)
    found: list[_Cell] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        pieces = [source] if isinstance(source, str) else source
        if not isinstance(pieces, list) or not all(isinstance(p, str) for p in pieces):
            continue
        offsets = sources.find(pieces)
        joined = "".join(pieces)
        lines = physical_lines(joined)
        starts = _line_starts(joined)
        piece_starts = []
        total = 0
        for piece in pieces:
            piece_starts.append(total)
            total += len(piece)
        file_lines = []
        for start in starts[: len(lines)]:
            piece = max(bisect.bisect_right(piece_starts, start) - 1, 0)
            offset = offsets[piece] if piece < len(offsets) else None
            file_lines.append(bisect.bisect_left(newlines, offset) + 1 if offset is not None else 0)
        found.append(_Cell(number, lines, file_lines))
    return found


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer(r"\r\n|\r|\n", text):
        starts.append(match.end())
    return starts


class _SourcePositions:
    """Finds, in document order, where each code cell's `source` strings start in the file.

    `"source":` can only be a key (inside a JSON string the quotes are escaped); the value is
    decoded again at each candidate, so a `source` key in some metadata is passed over.
    """

    _KEY = re.compile(r'"source"\s*:\s*')

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.decoder = json.JSONDecoder()

    def find(self, pieces: list[str]) -> list[int]:
        text = self.text
        for match in self._KEY.finditer(text, self.position):
            start = match.end()
            try:
                value, end = self.decoder.raw_decode(text, start)
            except ValueError:
                continue
            if value == pieces or (value == "".join(pieces) and len(pieces) == 1):
                self.position = end
                return self._elements(start) if isinstance(value, list) else [start]
        return []

    def _elements(self, start: int) -> list[int]:
        """Offsets of the strings of the JSON array at `start`."""
        text = self.text
        offsets = []
        index = start + 1
        while True:
            while text[index] in " \t\r\n,":
                index += 1
            if text[index] != '"':
                return offsets
            offsets.append(index)
            _, index = json.decoder.scanstring(text, index + 1)


def _parse_cells(cells: list[_Cell], display: str) -> ParsedNotebook | Diagnostic:
    lines: list[str] = []
    written: list[str] = []
    places: list[CellLine] = []
    spans: list[tuple[int, int]] = []  # module lines of each cell, 0-based, end exclusive
    for cell in cells:
        translated = translate_cell(cell.lines)
        spans.append((len(lines), len(lines) + len(translated)))
        lines.extend(translated)
        written.extend(cell.lines)
        places.extend(
            CellLine(cell.number, index, file_line)
            for index, file_line in enumerate(cell.file_lines, 1)
        )
    cell_map = CellMap(places, written)
    diagnostics: list[Diagnostic] = []
    # A cell that does not parse is reported and left out; the others are still analysed. Each
    # one costs a parse of the whole module, so past a few the notebook is not analysed.
    for _ in range(min(len(cells), MAX_BROKEN_CELLS) + 1):
        parsed = parse_source("\n".join(lines) + "\n", display)
        if isinstance(parsed, ParsedSource):
            parsed.dialect = "notebook"
            return ParsedNotebook(parsed, cell_map, diagnostics)
        place = cell_map.at(parsed.line)
        if place is None:
            return parsed
        diagnostics.append(
            Diagnostic(
                display,
                parsed.kind,
                f"cell {place.cell}: {_in_cells(parsed.message, cell_map)}; "
                "this cell was not analysed",
                place.file_line,
                parsed.col,
                place.cell,
                place.line,
            )
        )
        first, last = next(span for span in spans if span[0] < parsed.line <= span[1])
        lines[first:last] = [""] * (last - first)
    return Diagnostic(
        display,
        "syntax-error",
        f"more than {MAX_BROKEN_CELLS} cells do not parse, the first: "
        f"{diagnostics[0].message.removesuffix('; this cell was not analysed')}; not analysed",
    )


def _in_cells(message: str, cells: CellMap) -> str:
    """A parser's message with the module's line numbers said as cells and lines."""
    message = message.removesuffix("; not analysed")
    return re.sub(r"\bline (\d+)\b", lambda match: cells.label(int(match.group(1))), message)


# -- findings back to their cells ---------------------------------------------------------------


def relocate(result: FileResult, maps: dict[str, CellMap]) -> None:
    """Move what the analysis of a notebook's joined module found to the cells it is in.

    Runs once the project's data flow is solved (suppressions were matched on the module's
    lines): from then on `line` is the .ipynb file's line and `cell`/`cell_line` say where in
    the notebook it is. Trace steps into any notebook of `maps` are moved too.
    """
    cells = maps.get(result.path)
    result.findings = [_finding(f, maps) for f in result.findings]
    result.suppressed = [(_finding(f, maps), kind) for f, kind in result.suppressed]
    if cells is None:
        return
    result.examined = [_site(site, cells) for site in result.examined]
    result.stale_suppressions = [
        (place.file_line if (place := cells.at(line)) else line, text)
        for line, text in result.stale_suppressions
    ]
    result.diagnostics = [_diagnostic(d, cells) for d in result.diagnostics]
    result.cells = None


def _finding(finding: Finding, maps: dict[str, CellMap]) -> Finding:
    trace = tuple(_step(step, maps) for step in finding.trace)
    cells = maps.get(finding.path)
    if cells is None or finding.cell:
        return replace(finding, trace=trace) if trace != finding.trace else finding
    place = cells.at(finding.line)
    if place is None:
        return replace(finding, trace=trace)
    end = cells.at(finding.end_line) or place
    shown = max(len(finding.snippet.splitlines()), 1)
    written = cells.written[finding.line - 1]
    fix = finding.fix
    if fix is not None and fix.edits:
        # Edits are positions in the joined module, which is not a file anyone can edit.
        fix = Fix(fix.description, (), fix.replacement)
    return replace(
        finding,
        line=place.file_line,
        end_line=max(end.file_line, place.file_line),
        col=min(finding.col, max(len(written) - 1, 0)),  # a magic line is shorter as written
        end_col=min(
            finding.end_col, len(cells.written[min(finding.end_line, len(cells.written)) - 1])
        ),
        snippet=cells.written_segment(finding.line, finding.line + shown - 1)
        if finding.snippet
        else "",
        trace=trace,
        fix=fix,
        cell=place.cell,
        cell_line=place.line,
    )


def _step(step: TraceStep, maps: dict[str, CellMap]) -> TraceStep:
    cells = maps.get(step.path)
    place = cells.at(step.line) if cells is not None and not step.cell else None
    if place is None:
        return step
    return replace(step, line=place.file_line, cell=place.cell, cell_line=place.line)


def _site(site: ExaminedSite, cells: CellMap) -> ExaminedSite:
    place = cells.at(site.line) if not site.cell else None
    if place is None:
        return site
    return replace(site, line=place.file_line, cell=place.cell, cell_line=place.line)


def _diagnostic(diagnostic: Diagnostic, cells: CellMap) -> Diagnostic:
    place = cells.at(diagnostic.line) if not diagnostic.cell else None
    if place is None:
        return diagnostic
    return replace(diagnostic, line=place.file_line, cell=place.cell, cell_line=place.line)


# -- IPython syntax, line for line -----------------------------------------------------------


def translate_cell(lines: list[str]) -> list[str]:
    """The cell's lines as plain Python, as many as there were."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].startswith("%%"):
        name = re.match(r"%%(\w*)", lines[first]).group(1)  # type: ignore[union-attr]
        if name not in PYTHON_CELL_MAGICS:
            return [""] * len(lines)
        lines = [*lines[:first], "pass", *lines[first + 1 :]]
    out: list[str] = []
    scanner = _Continuation()
    index = 0
    while index < len(lines):
        line = lines[index]
        if scanner.open:
            out.append(line)
            scanner.feed(line)
            index += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        body = line.strip()
        if body[:1] in ("!", "%") or _ASSIGNED.match(body) or _is_help(body):
            # An escaped line continues while it ends with a backslash, as in IPython.
            command = body
            taken = 1
            while command.endswith("\\") and index + taken < len(lines):
                command = command[:-1] + lines[index + taken].strip()
                taken += 1
            out.append(indent + _translate_line(command))
            out.extend([""] * (taken - 1))
            index += taken
            continue
        out.append(line)
        scanner.feed(line)
        index += 1
    return out


def _is_help(body: str) -> bool:
    code = body.split("#", 1)[0].strip()
    return bool(code) and "?" in code and bool(_HELP.match(code))


def _translate_line(body: str) -> str:
    if _is_help(body):
        return "pass"
    assigned = _ASSIGNED.match(body)
    target = ""
    if assigned is not None:
        target = assigned.group("target") + " = "
        body = assigned.group("rest")
    if body.startswith("!"):
        command, comment = _trailing_comment(body[2:] if body.startswith("!!") else body[1:])
        method = "getoutput" if target or body.startswith("!!") else "system"
        return f"{target}get_ipython().{method}({_expanded(command)}){comment}"
    magic = _MAGIC.match(body[1:] if body.startswith("%%") else body)
    if magic is None:
        return target + "None" if target else "pass"
    name, args = magic.group("name"), magic.group("args").strip()
    if name in PYTHON_LINE_MAGICS and not target and args[:1] not in ("", "-") and _parses(args):
        return args  # `%time result = train(model)` runs the statement
    args, comment = _trailing_comment(args)
    return f"{target}get_ipython().run_line_magic({name!r}, {_expanded(args)}){comment}"


def _trailing_comment(command: str) -> tuple[str, str]:
    """A `#` that starts a word outside quotes begins a comment, for the shell as for Python:
    `!scp {host}:log .  # nosec` keeps its comment, as a Python comment on the line."""
    quote = None
    for index, char in enumerate(command):
        if quote is not None:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or command[index - 1].isspace()):
            return command[:index].rstrip(), "  " + command[index:]
    return command, ""


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _expanded(command: str) -> str:
    """The command as IPython expands it, as a Python expression: `{expr}` and `$name` are
    values put in (an f-string); what IPython would leave alone stays a plain string."""
    parts: list[tuple[str, str | None]] = []
    try:
        for literal, field_name, spec, conversion in _FORMATTER.parse(command):
            parts.extend(_dollar_parts(literal))
            if field_name is None:
                continue
            expression = field_name + (":" + spec if spec else "")
            if not expression.strip() or not _is_expression(expression):
                raise ValueError(expression)  # IPython then leaves the command as written
            if conversion:
                expression = f"{conversion}({expression})".replace("r(", "repr(", 1)
            parts.append(("", expression))
    except ValueError:
        return repr(command)
    if all(expression is None for _, expression in parts):
        return repr("".join(text for text, _ in parts))
    if any(expression and re.search(r"[\\'\"#\n{}]", expression) for _, expression in parts):
        template = "".join(
            text.replace("{", "{{").replace("}", "}}") + ("{}" if expression else "")
            for text, expression in parts
        )
        values = ", ".join(f"({expression})" for _, expression in parts if expression)
        return f"{template!r}.format({values})"
    return _fstring(parts)


def _fstring(parts: list[tuple[str, str | None]]) -> str:
    body = []
    for text, expression in parts:
        escaped = json.dumps(text, ensure_ascii=False)[1:-1]  # a valid double-quoted literal body
        body.append(escaped.replace("{", "{{").replace("}", "}}"))
        if expression:
            body.append("{" + expression + "}")
    return 'f"' + "".join(body) + '"'


def _dollar_parts(literal: str) -> list[tuple[str, str | None]]:
    """`$name` and `$name.attr` outside single quotes are values; `$$` is a dollar sign."""
    parts: list[tuple[str, str | None]] = []
    rest = 0
    for match in _DOLLAR.finditer(literal):
        text, name = match.group(1, 2)
        if name.startswith("$"):
            parts.append((text + name, None))
        else:
            parts.append((text, name.rstrip(".")))
        rest = match.end()
    parts.append((literal[rest:], None))
    return [(text, expression) for text, expression in parts if text or expression]


def _is_expression(code: str) -> bool:
    try:
        ast.parse(code.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


class _Continuation:
    """Tracks whether the next line continues a statement (open brackets, an open triple-quoted
    string, a backslash), where IPython syntax is not looked for."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None  # the open triple quote
        self.backslash = False

    @property
    def open(self) -> bool:
        return self.depth > 0 or self.quote is not None or self.backslash

    def feed(self, line: str) -> None:
        index = 0
        length = len(line)
        self.backslash = False
        while index < length:
            char = line[index]
            if self.quote is not None:
                if char == "\\":
                    index += 2
                    continue
                if line.startswith(self.quote, index):
                    index += 3
                    self.quote = None
                    continue
                index += 1
                continue
            if char == "#":
                break
            if char in "\"'":
                if line.startswith(char * 3, index):
                    self.quote = char * 3
                    index += 3
                    continue
                index += 1
                while index < length and line[index] != char:
                    index += 2 if line[index] == "\\" else 1
                index += 1
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(self.depth - 1, 0)
            index += 1
        self.backslash = self.quote is None and line.rstrip("\r\n").endswith("\\")


# -- one entry point for every file ----------------------------------------------------------

# Outputs (plots, tables) make notebooks far larger than their code: the file may be this big,
# and max-file-size holds for the code cells joined.
NOTEBOOK_MAX_FILE_SIZE = 64 * 1024 * 1024


@dataclass(slots=True)
class Parsed:
    """A parsed file (or why not), with a notebook's cell map and its per-cell diagnostics."""

    source: ParsedSource | Diagnostic
    cells: CellMap | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    dialect: str = "python3"


def parse_file_text(text: str, display: str, max_code_size: int) -> Parsed:
    """Parse a file's text as Python, or as a notebook when its name ends in .ipynb."""
    if not is_notebook(display):
        return Parsed(parse_source(text, display))
    notebook = parse_notebook(text, display)
    if isinstance(notebook, Diagnostic):
        return Parsed(notebook, dialect="notebook")
    size = len(notebook.parsed.text.encode("utf-8", "surrogatepass"))
    if size > max_code_size:
        return Parsed(
            Diagnostic(
                display,
                "too-large",
                f"the code cells hold {size / 1_048_576:.1f} MB, over the max-file-size limit "
                f"of {max_code_size / 1_048_576:.1f} MB; not analysed (raise max-file-size to "
                "include it)",
            ),
            dialect="notebook",
        )
    return Parsed(notebook.parsed, notebook.cells, notebook.diagnostics, "notebook")
