"""Jinja2 and Django template files, read without a template engine.

The two languages share their delimiters: `{{ expression }}` prints, `{% tag ... %}` is a
statement, `{# ... #}` a comment (with `{%-`/`-%}` whitespace control in Jinja2). This module
cuts a template into those tags by hand, in one pass and linear time, and keeps what a security
review needs of it:

- every output that is printed *without* HTML escaping: `{{ x|safe }}` (`safeseq` too), and
  any `{{ x }}` inside `{% autoescape false %}` (Jinja2) / `{% autoescape off %}` (Django)
  unless an escaping filter (`|e`, `|escape`, `|forceescape`, `|tojson`, …) applies to it;
- the names of the context variables each such output prints (`post` of
  `{{ post.body|safe }}`), through `{% for item in items %}`, `{% with a=b %}` and
  `{% set a = b %}` back to the variable the view passes in;
- the templates it pulls in by a constant name (`{% extends %}`, `{% include %}`,
  `{% import %}`, `{% from ... import %}`): they are rendered with the same context.

Nothing is evaluated and no engine is imported: a template is data, and a broken one (an
unclosed tag, a stray `{{`) is read as far as it goes. Text inside `{% raw %}` /
`{% verbatim %}` and `{% comment %}` blocks is skipped. A comment
`{# secreview: ignore[SR931] -- reason #}` on the line of an output hides its finding, as the
same comment does in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# File names a template directory holds (`templates/**/<name><suffix>`).
TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".txt")
# Directories that hold templates by convention (Flask, Django app templates, aiohttp_jinja2).
TEMPLATE_DIRECTORIES = frozenset({"templates"})

MAX_TAGS = 100_000  # a template with more tags is read up to here
MAX_NAMES = 32  # context variables kept per output

_TAG = re.compile(r"\{([{%#])")
_CLOSE = {"{": "}}", "%": "%}", "#": "#}"}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""", re.S)
# Filters after which a value is escaped (or is no longer text that can carry markup).
ESCAPING_FILTERS = frozenset(
    {
        "e",
        "escape",
        "forceescape",
        "urlencode",
        "urlize",  # escapes the text it links (Jinja2 and Django alike)
        "tojson",
        "escapejs",
        "json_script",
        "int",
        "float",
        "length",
        "count",
        "wordcount",
        "filesizeformat",
        "date",
        "time",
        "timesince",
        "timeuntil",
        "yesno",
        "pluralize",
        "add_class",
    }
)
MARKING_FILTERS = frozenset({"safe", "safeseq"})
# Words of the expression language that are not context variables.
_NOT_VARIABLES = frozenset(
    {
        "and",
        "or",
        "not",
        "in",
        "is",
        "if",
        "else",
        "true",
        "false",
        "none",
        "True",
        "False",
        "None",
        "loop",
        "self",
        "super",
        "caller",
        "varargs",
        "kwargs",
        "forloop",
        "block",
        "csrf_token",
        "request",  # Flask and Django put the request in every context themselves
    }
)
_RAW_BLOCKS = {"raw": "endraw", "verbatim": "endverbatim", "comment": "endcomment"}


# `request.<member>` that is request data, as Flask, Django and aiohttp_jinja2 put `request`
# in the template context.
_REQUEST_DATA = re.compile(
    r"(?<![\w.])request\s*\.\s*(args|form|values|cookies|headers|data|json|query_string|"
    r"full_path|url|path|GET|POST|COOKIES|META|REQUEST|query|rel_url|match_info|"
    r"get_full_path)\b"
)


@dataclass(frozen=True, slots=True)
class UnescapedOutput:
    """One `{{ ... }}` printed without escaping."""

    line: int  # 1-based
    col: int  # 0-based, of the opening `{{`
    end_line: int
    end_col: int
    text: str  # the tag as written, shortened
    names: tuple[str, ...]  # the context variables it prints
    why: str  # "safe-filter" or "autoescape-off"
    # Request data the template reads itself (`request.args.q`), which no view passes.
    request: str = ""


@dataclass(slots=True)
class TemplateInfo:
    outputs: list[UnescapedOutput] = field(default_factory=list)
    # Outputs the engine's own setting decides (`{{ x }}` outside any `{% autoescape %}`
    # block): escaped by Flask, Django and an environment with autoescape on, printed raw by a
    # Jinja2 environment without it (why: "environment").
    engine_outputs: list[UnescapedOutput] = field(default_factory=list)
    # Templates rendered with the same context: (name, line) of extends/include/import.
    pulls: list[tuple[str, int]] = field(default_factory=list)
    # `{% autoescape false %}` / `{% autoescape off %}` tags: (line, col, text).
    autoescape_off: list[tuple[int, int, str]] = field(default_factory=list)
    outputs_seen: int = 0  # every `{{ ... }}`, escaped or not
    # Names the template is rendered by besides its path below `templates` (its path below a
    # template directory the project configures).
    names: list[str] = field(default_factory=list)
    # Comments that may suppress a finding (`{# secreview: ignore[SR931] -- reason #}`):
    # (line, text).
    comments: list[tuple[int, str]] = field(default_factory=list)
    truncated: bool = False


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    at = find("\n")
    while at != -1:
        starts.append(at + 1)
        at = find("\n", at + 1)
    return starts


class _Position:
    """Offsets to (line, column), for offsets that only grow."""

    def __init__(self, text: str) -> None:
        self.starts = _line_starts(text)
        self.index = 0

    def at(self, offset: int) -> tuple[int, int]:
        starts = self.starts
        index = self.index
        while index + 1 < len(starts) and starts[index + 1] <= offset:
            index += 1
        self.index = index
        return index + 1, offset - starts[index]


def _strip_strings(expression: str) -> str:
    return _STRING.sub('""', expression)


def _split_top(expression: str, separator: str) -> list[str]:
    """`expression` cut at `separator` outside brackets (strings already blanked)."""
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(expression):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char == separator and depth == 0:
            if separator == "|" and expression[index + 1 : index + 2] == "|":
                continue
            parts.append(expression[start:index])
            start = index + 1
    parts.append(expression[start:])
    return parts


def expression_names(expression: str) -> list[str]:
    """The variables an expression reads: identifiers not after a `.`, not keywords, not
    keyword-argument names and not called as filters or tests. Linear in the expression."""
    names: list[str] = []
    blanked = _strip_strings(expression)
    length = len(blanked)
    previous = ""  # the identifier before this one, when only blanks lie between
    previous_end = -1
    for match in _IDENT.finditer(blanked):
        name = match.group()
        start, end = match.start(), match.end()
        back = start - 1
        while back >= max(previous_end, 0) and blanked[back].isspace():
            back -= 1
        before = blanked[back] if back >= 0 else ""
        after_at = end
        while after_at < length and blanked[after_at].isspace():
            after_at += 1
        after = blanked[after_at : after_at + 2]
        follows_is = previous == "is" and back == previous_end - 1
        previous, previous_end = name, end
        if before in {".", "|"} or follows_is or name in _NOT_VARIABLES or name in names:
            continue
        if after.startswith("=") and after != "==":
            continue  # a keyword argument: `default(value=x)`
        names.append(name)
        if len(names) >= MAX_NAMES:
            break
    return names


def filters_of(expression: str) -> tuple[str, list[str]]:
    """(operand, filter names in order) of `x|a|b(…)` (Django's `x|a:"arg"` too)."""
    parts = _split_top(_strip_strings(expression), "|")
    filters: list[str] = []
    for part in parts[1:]:
        match = _IDENT.match(part.strip())
        if match:
            filters.append(match.group())
    return parts[0], filters


def _output(expression: str, escaping_on: bool) -> tuple[list[str], str, str] | None:
    """The variables an output prints raw, why, and the request data it reads itself (if
    any), or None when it is escaped."""
    operand, filters = filters_of(expression)
    marked = [i for i, name in enumerate(filters) if name in MARKING_FILTERS]
    if marked:
        last = marked[-1]
        if any(name in ESCAPING_FILTERS for name in filters[last + 1 :]):
            return None
        why = "safe-filter"
    elif escaping_on:
        return None
    else:
        if any(name in ESCAPING_FILTERS for name in filters):
            return None
        why = "autoescape-off"
    # A filter argument (`x|default(y)|safe`) is printed too when it is the value chosen.
    names = expression_names(operand)
    for part in _split_top(_strip_strings(expression), "|")[1:]:
        inner = part.strip()
        match = _IDENT.match(inner)
        rest = inner[match.end() :] if match else inner
        if match and match.group() in {"default", "d"}:
            names.extend(n for n in expression_names(rest.lstrip(":")) if n not in names)
    read = _REQUEST_DATA.search(_strip_strings(operand))
    if not names and read is None:
        return None  # a constant: `{{ "<br>"|safe }}`
    return names, why, f"request.{read.group(1)}" if read is not None else ""


_FOR = re.compile(r"for\s+(.+?)\s+in\s+(.+?)(?:\s+if\s+.*|\s+recursive\s*)?$", re.S)
_SET = re.compile(r"set\s+([A-Za-z_][\w\s,]*?)\s*=\s*(.+)$", re.S)
_WITH_PAIR = re.compile(r"([A-Za-z_]\w*)\s*=\s*((?:\"[^\"]*\"|'[^']*'|[^\s,])+)")
_WITH_AS = re.compile(r"(.+?)\s+as\s+([A-Za-z_]\w*)\s*$", re.S)
_PULL = re.compile(r"""(extends|include|import|from)\s+(["'])([^"']+)\2""")


class _Scope:
    """What template-local names stand for: a loop variable for the sequence it walks."""

    def __init__(self) -> None:
        self.frames: list[tuple[str, dict[str, list[str]]]] = [("", {})]

    def resolve(self, names: list[str]) -> list[str]:
        resolved: list[str] = []
        for name in names:
            for _, frame in reversed(self.frames):
                if name in frame:
                    targets = frame[name]
                    break
            else:
                targets = [name]
            for target in targets:
                if target not in resolved:
                    resolved.append(target)
        return resolved[:MAX_NAMES]

    def bind(self, names: list[str], expression: str) -> None:
        sources = self.resolve(expression_names(expression))
        frame = self.frames[-1][1]
        for name in names:
            frame[name] = sources

    def push(self, tag: str) -> None:
        self.frames.append((tag, {}))

    def pop(self, tag: str) -> None:
        for index in range(len(self.frames) - 1, 0, -1):
            if self.frames[index][0] == tag:
                del self.frames[index:]
                return


def analyse_template(text: str) -> TemplateInfo:
    """Cut `text` into tags and keep the unescaped outputs and the templates it pulls in."""
    info = TemplateInfo()
    position = _Position(text)
    scope = _Scope()
    autoescape: list[bool] = []  # explicit {% autoescape %} blocks, innermost last
    length = len(text)
    offset = 0
    tags = 0
    while offset < length:
        match = _TAG.search(text, offset)
        if match is None:
            break
        kind = match.group(1)
        end = text.find(_CLOSE[kind], match.end())
        if end == -1:
            break  # an unclosed tag: the rest is text
        tags += 1
        if tags > MAX_TAGS:
            info.truncated = True
            break
        inner = text[match.end() : end].strip("-+ \t\r\n")
        close = end + 2
        if kind == "#":
            lowered = inner.lower()
            if "secreview" in lowered or "nosec" in lowered or "noqa" in lowered:
                line, _ = position.at(match.start())
                info.comments.append((line, text[match.start() : close]))
            offset = close
            continue
        if kind == "{":
            info.outputs_seen += 1
            found = _output(inner, not autoescape or autoescape[-1])
            into = info.outputs
            if found is None and not autoescape and len(info.engine_outputs) < MAX_TAGS // 10:
                found = _output(inner, False)
                into = info.engine_outputs
                if found is not None:
                    found = (found[0], "environment", found[2])
            if found is not None:
                names, why, request = found
                line, col = position.at(match.start())
                end_line, end_col = position.at(close)
                shown = text[match.start() : close]
                if len(shown) > 120:
                    shown = shown[:117] + "..."
                into.append(
                    UnescapedOutput(
                        line,
                        col,
                        end_line,
                        end_col,
                        shown,
                        tuple(scope.resolve(names)),
                        why,
                        request,
                    )
                )
            offset = close
            continue
        word_match = _IDENT.match(inner)
        word = word_match.group() if word_match else ""
        rest = inner[len(word) :].strip()
        if word in _RAW_BLOCKS:
            closing = re.compile(r"\{%-?\s*" + _RAW_BLOCKS[word] + r"\b[^%]*%\}")
            found_end = closing.search(text, close)
            offset = found_end.end() if found_end else length
            continue
        if word == "autoescape":
            value = rest.split()[0].lower() if rest.split() else ""
            on = value not in {"false", "off", "0", "no"}
            autoescape.append(on)
            if not on:
                line, col = position.at(match.start())
                info.autoescape_off.append((line, col, text[match.start() : close][:120]))
        elif word == "endautoescape":
            if autoescape:
                autoescape.pop()
        elif word == "for":
            found_for = _FOR.match(inner)
            scope.push("for")
            if found_for:
                targets = [n.strip() for n in found_for.group(1).replace("(", " ").split(",")]
                scope.bind([t for t in targets if _IDENT.fullmatch(t)], found_for.group(2))
        elif word == "endfor":
            scope.pop("for")
        elif word == "with":
            scope.push("with")
            pairs = _WITH_PAIR.findall(rest)
            if pairs:
                for name, value in pairs:
                    scope.bind([name], value)
            else:
                legacy = _WITH_AS.match(rest)  # Django's old `{% with a.b as c %}`
                if legacy:
                    scope.bind([legacy.group(2)], legacy.group(1))
        elif word == "endwith":
            scope.pop("with")
        elif word == "set":
            found_set = _SET.match(inner)
            if found_set:
                targets = [t.strip() for t in found_set.group(1).split(",")]
                scope.bind([t for t in targets if _IDENT.fullmatch(t)], found_set.group(2))
        elif word in {"extends", "include", "import", "from"}:
            pulled = _PULL.match(inner)
            if pulled:
                line, _ = position.at(match.start())
                info.pulls.append((pulled.group(3), line))
        offset = close
    return info
