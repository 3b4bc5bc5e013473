"""Python 2 source, parsed with the 2.7 grammar and converted to Python 3 syntax line for line.

fissix (the maintained fork of lib2to3) parses the file with its Python 2 grammar, which keeps
every comment and blank line, and a few of its 2to3 fixers rewrite only what Python 3 cannot
parse: print and exec statements, backticks, `<>`, `raise E, "msg"`. Fixers of our own handle
`except E, e`, number literals (`0777L`), string literals (`ur""`, `\\u` in a byte string),
tuple parameters, `[x for x in a, b]` and Python 2's `input()`, without adding lines; every
fixer gives back the line breaks of the backslash continuations it drops. Renamed modules
(`urllib2`, `commands`, `cPickle`…) are left as written: the models know them by those names.
The converted text must have as many lines as the original, so every line number of the tree
is the user's (docs/dataflow.md, "Python 2 files").
"""

from __future__ import annotations

import ast
import atexit
import re
import shutil
import tempfile
import threading
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fissix.refactor import RefactoringTool

# The stock fixers that turn 2.7-only syntax into Python 3 syntax, all on the same line.
_STOCK_FIXERS = ("print", "exec", "repr", "ne", "raise")

_LEADING_WHITESPACE = re.compile(r"^[ \t]+", re.MULTILINE)
_NEWLINES = re.compile(r"\r\n|\r")


@dataclass(frozen=True, slots=True)
class Python2Source:
    text: str  # the converted text, Python 3 syntax, with the original's line count
    tree: ast.Module


@dataclass(frozen=True, slots=True)
class Python2Error:
    message: str
    line: int
    col: int


def parse_python2(text: str, display: str) -> Python2Source | Python2Error:
    """Parse `text` as Python 2.7 and return it converted, or why the Python 2 grammar refuses it."""
    source = _NEWLINES.sub("\n", text)
    missing_newline = not source.endswith("\n")
    if missing_newline:
        source += "\n"  # lib2to3's tokenizer wants a final newline
    converted = _convert(source, display)
    if isinstance(converted, Python2Error):
        return converted
    if missing_newline:
        converted = converted[:-1]
        source = source[:-1]
    if converted.count("\n") != source.count("\n"):
        return Python2Error("converting it to Python 3 syntax changed its line count", 0, 0)
    return _parse_converted(converted, display)


def _convert(source: str, display: str) -> str | Python2Error:
    try:
        from fissix.pgen2.parse import ParseError
        from fissix.pgen2.tokenize import TokenError

        tool = _refactoring_tool()
    except Exception as exc:  # not installed, or its grammar could not be loaded
        return Python2Error(f"the Python 2 parser could not be loaded ({exc})", 0, 0)
    try:
        with _TOOL_LOCK:
            return str(tool.refactor_string(source, display))
    except ParseError as exc:
        line, col = exc.context[1]
        return Python2Error(_parse_error_message(exc), line, col)
    except TokenError as exc:
        message, (line, col) = exc.args
        return Python2Error(str(message), line, col)
    except SyntaxError as exc:  # IndentationError from the tokenizer
        col = max((exc.offset or 1) - 1, 0)
        return Python2Error(exc.msg or "invalid syntax", exc.lineno or 0, col)
    except (RecursionError, MemoryError):
        return Python2Error("nesting too deep for the Python 2 parser", 0, 0)
    except Exception as exc:  # a fixer that trips over an odd tree must not end the scan
        return Python2Error(f"{exc.__class__.__name__} while converting: {exc}", 0, 0)


def _parse_error_message(exc: Any) -> str:
    from fissix.pgen2 import token

    if exc.type == token.INDENT:
        return "unexpected indent"
    if exc.type == token.NEWLINE:
        return "unexpected end of line"
    if exc.type in (token.DEDENT, token.ENDMARKER) or not exc.value:
        return "unexpected end of block"
    return f"invalid syntax at {exc.value!r}"


# Builtins of Python 2 that Python 3 dropped. Name resolution knows the running interpreter's
# builtins; these are bound in the tree (as if by `import raw_input`, at line 1) so that a call
# of `raw_input` resolves to `raw_input`, as a call of `input` resolves to `input`, and the
# models' entries for them hold.
PYTHON2_BUILTINS = frozenset(
    {
        "apply", "basestring", "buffer", "cmp", "coerce", "execfile", "file", "intern", "long",
        "raw_input", "reduce", "reload", "unichr", "unicode", "xrange",
    }
)  # fmt: skip


def _bind_python2_builtins(tree: ast.Module) -> ast.Module:
    used = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id in PYTHON2_BUILTINS
    }
    if not used:
        return tree
    defined = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    } | {
        (alias.asname or alias.name).partition(".")[0]
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    names = sorted(used - defined)
    if not names:
        return tree
    binding = ast.Import(
        names=[ast.alias(name, None, lineno=1, col_offset=0) for name in names],
        lineno=1,
        col_offset=0,
        end_lineno=1,
        end_col_offset=0,
    )
    # After the docstring and `from __future__` imports, which must stay first.
    index = 0
    while index < len(tree.body) and _stays_first(tree.body[index], index):
        index += 1
    tree.body.insert(index, binding)
    return tree


def _stays_first(statement: ast.stmt, index: int) -> bool:
    if isinstance(statement, ast.ImportFrom):
        return statement.module == "__future__"
    docstring = isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
    return index == 0 and docstring


def _parse_converted(converted: str, display: str) -> Python2Source | Python2Error:
    try:
        try:
            return Python2Source(converted, _ast_parse(converted, display))
        except TabError:
            # Python 2 read a tab as "up to the next multiple of 8"; Python 3 refuses a mix.
            converted = _LEADING_WHITESPACE.sub(lambda m: m.group().expandtabs(8), converted)
            return Python2Source(converted, _ast_parse(converted, display))
    except SyntaxError as first:
        try:  # `async` and `await` were plain names in Python 2
            return Python2Source(converted, _ast_parse(converted, display, (3, 6)))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return Python2Error(
                f"{first.msg} after conversion to Python 3 syntax",
                first.lineno or 0,
                max((first.offset or 1) - 1, 0),
            )
    except (RecursionError, MemoryError):
        return Python2Error("nesting too deep for the parser", 0, 0)


def _ast_parse(
    text: str, display: str, feature_version: tuple[int, int] | None = None
) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences are not ours to report
        if feature_version is None:
            tree = ast.parse(text, filename=display)
        else:
            tree = ast.parse(text, filename=display, feature_version=feature_version)
    return _bind_python2_builtins(tree)


def _load_grammar() -> None:
    """Import fissix's grammar tables, which it caches in the user's cache directory."""
    import fissix

    try:
        import fissix.pygram
    except OSError:
        # An unwritable cache directory (a read-only home): build the tables in a temporary one.
        directory = tempfile.mkdtemp(prefix="secreview-fissix-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        fissix.CACHE_DIR = Path(directory)
        import fissix.pygram


# The tool swaps its grammar per file (print as a function after `from __future__ import
# print_function`): one file at a time per process.
_TOOL_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _refactoring_tool() -> RefactoringTool:
    """Built once per process: compiling the fixers' patterns costs more than a small file."""
    _load_grammar()
    from fissix import fixer_base, pytree
    from fissix.fixer_util import (
        Assign,
        Attr,
        Call,
        Name,
        Number,
        find_binding,
        is_list,
        is_tuple,
    )
    from fissix.fixes.fix_numliterals import FixNumliterals
    from fissix.fixes.fix_tuple_params import FixTupleParams
    from fissix.pgen2 import token
    from fissix.pygram import python_symbols as syms
    from fissix.refactor import RefactoringTool

    def unpack_on_first_line(body: Any, assignments: list[Any]) -> bool:
        """Put `assignments` before the first statement of `body`, on its line, joined by `;`.

        Inserting them on lines of their own (as 2to3 does) would move every line below. When
        the first statement is compound (`if`, `for`…), nothing can share its line: False.
        """
        if body.type == syms.suite:
            statements = [child for child in body.children if child.type not in _LAYOUT]
            if not statements:
                return False
            body = statements[0]
        if body.type != syms.simple_stmt:
            return False
        first = body.children[0]
        docstring = first.type == token.STRING
        joined: list[Any] = []
        for assignment in assignments:
            joined += [pytree.Leaf(token.SEMI, ";"), assignment]
            assignment.prefix = " "
        if docstring:  # after the docstring, so it stays one
            for node in joined:
                body.insert_child(len(body.children) - 1, node)  # before the NEWLINE
        else:
            joined = [*joined[1:], pytree.Leaf(token.SEMI, ";")]
            joined[0].prefix = first.prefix
            first.prefix = " "
            for offset, node in enumerate(joined):
                body.insert_child(offset, node)
        return True

    _LAYOUT = (token.NEWLINE, token.INDENT, token.DEDENT)

    class FixNumbers(FixNumliterals):
        """`10L` is `10` and `0777` is `0o777`; fissix's own fixer leaves `0777L` at `0777`."""

        def transform(self, node: Any, results: Any) -> Any:
            value = node.value.rstrip("lL")
            if value.startswith("0") and value.isdigit() and len(set(value)) > 1:
                value = "0o" + value[1:]
            elif value != node.value and value.isdigit() and _attribute_follows(node):
                value += " "  # `7L.real` is `7 .real`: `7.real` would read as a float
            return Number(value, prefix=node.prefix)

    def _attribute_follows(node: Any) -> bool:
        following = node.next_sibling
        return bool(
            following is not None
            and following.type == syms.trailer
            and following.children[0].value == "."
        )

    class FixComprehensionTuple(fixer_base.BaseFix):
        """`[x for x in a, b]` iterates over a tuple Python 3 wants in parentheses."""

        _accept_type = syms.testlist_safe

        def match(self, node: Any) -> bool:
            return bool(node.type == syms.testlist_safe)

        def transform(self, node: Any, results: Any) -> Any:
            inner = node.clone()
            inner.prefix = ""
            opening = pytree.Leaf(token.LPAR, "(", prefix=node.prefix)
            return pytree.Node(syms.atom, [opening, inner, pytree.Leaf(token.RPAR, ")")])

    class FixStrings(fixer_base.BaseFix):
        """`ur"…"` is `r"…"` in Python 3 (Python 2 still read `\\u` escapes in it), and in a
        Python 2 byte string `\\u`, `\\U` and `\\N` are two characters, not an escape."""

        PATTERN = "STRING"

        def start_tree(self, tree: Any, filename: str) -> None:
            super().start_tree(tree, filename)
            self.unicode_literals = "unicode_literals" in tree.future_features

        def transform(self, node: Any, results: Any) -> Any:
            value = node.value
            letters = value[: len(value) - len(value.lstrip("uUbBrR"))].lower()
            if "u" in letters and "r" in letters:
                value = value[1:]
            elif not letters and not self.unicode_literals and "\\" in value:
                value = "\\\\".join(
                    part.replace("\\u", "\\\\u").replace("\\U", "\\\\U").replace("\\N", "\\\\N")
                    for part in value.split("\\\\")
                )
            if value == node.value:
                return None
            new = node.clone()
            new.value = value
            return new

    class FixExceptTarget(fixer_base.BaseFix):
        """`except E, e:` is `except E as e:`; `except E, (a, b):` unpacks on the body's line."""

        PATTERN = "except_clause< 'except' any ',' target=any >"

        def transform(self, node: Any, results: Any) -> None:
            target = results["target"]
            comma = target.prev_sibling
            comma.replace(Name("as", prefix=" "))
            if not target.prefix:
                target.prefix = " "  # `except E,e:`
            if target.type == token.NAME:
                return
            name = Name(self.new_name("_exception"), prefix=" ")
            unpacked = target.clone()
            unpacked.prefix = ""
            target.replace(name)
            # Python 2 unpacked the exception's args into a tuple target.
            value = name.clone()
            if is_tuple(unpacked) or is_list(unpacked):
                value = Attr(value, Name("args"))
                value[0].prefix = " "
            body = node.next_sibling.next_sibling  # past the ':'
            unpack_on_first_line(body, [Assign(unpacked, value)])

    class FixTupleParameters(FixTupleParams):
        """`def f(self, (a, b)):` takes one parameter, unpacked on the first line of the body.

        Lambdas keep fissix's own rewrite, which stays on their line (`lambda (k, v): k` is
        `lambda k_v: k_v[0]`).
        """

        BM_compatible = False

        def transform(self, node: Any, results: Any) -> None:
            if "lambda" in results:
                self.transform_lambda(node, results)
                return
            args = results["args"]
            tuples = [args] if args.type == syms.tfpdef else []
            if args.type == syms.typedargslist:
                tuples = [arg for arg in args.children if arg.type == syms.tfpdef]
            assignments = []
            for tuple_arg in tuples:
                name = Name(self.new_name("_args"), prefix=tuple_arg.prefix)
                unpacked = tuple_arg.clone()
                unpacked.prefix = ""
                tuple_arg.replace(name)
                assignments.append(Assign(unpacked, Name(name.value)))
            if assignments:
                unpack_on_first_line(results["suite"][0], assignments)

    class FixInput(fixer_base.BaseFix):
        """Python 2's `input()` evaluates what the user types: it is `eval(raw_input())`.

        Left alone where the module binds `input` itself (`from six.moves import input`).
        """

        PATTERN = "power< 'input' args=trailer< '(' [any] ')' > >"

        def start_tree(self, tree: Any, filename: str) -> None:
            super().start_tree(tree, filename)
            self.bound = find_binding("input", tree) is not None

        def transform(self, node: Any, results: Any) -> Any:
            if self.bound:
                return None
            call = node.clone()
            call.children[0].value = "raw_input"
            call.prefix = ""
            return Call(Name("eval"), [call], prefix=node.prefix)

    def next_leaf(node: Any) -> Any:
        while node is not None:
            if node.next_sibling is not None:
                return next(node.next_sibling.leaves(), None)
            node = node.parent
        return None

    def keeping_lines(transform: Any) -> Any:
        """Wrap a fixer so that its rewrite spans as many lines as the code it replaces.

        Fixers rebuild nodes without the prefixes of the tokens they drop, and a backslash
        continuation lives in such a prefix (`raise Error, \\` over two lines becomes one line).
        Each lost line break comes back as a backslash continuation after the rewrite, so the
        statements below stay on their lines.
        """

        def transform_keeping_lines(node: Any, results: Any) -> Any:
            prefix = node.prefix
            before = str(node).count("\n") - prefix.count("\n")
            following = next_leaf(node)
            new = transform(node, results)
            result = node if new is None else new
            if result.prefix.count("\n") < prefix.count("\n"):
                result.prefix = prefix
            lost = before - (str(result).count("\n") - result.prefix.count("\n"))
            if lost > 0 and following is not None:
                following.prefix = " \\\n" * lost + following.prefix
            return new

        return transform_keeping_lines

    class Python2Converter(RefactoringTool):
        def get_fixers(self) -> tuple[list[Any], list[Any]]:
            pre_order, post_order = super().get_fixers()
            custom = (
                FixNumbers,
                FixComprehensionTuple,
                FixStrings,
                FixExceptTarget,
                FixTupleParameters,
                FixInput,
            )
            for fixer_class in custom:
                fixer = fixer_class(self.options, self.fixer_log)
                (pre_order if fixer.order == "pre" else post_order).append(fixer)
            for fixer in (*pre_order, *post_order):
                fixer.transform = keeping_lines(fixer.transform)
            return pre_order, post_order

    return Python2Converter([f"fissix.fixes.fix_{name}" for name in _STOCK_FIXERS])
