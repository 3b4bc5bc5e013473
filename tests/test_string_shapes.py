"""The engine's string shapes: the constant text and holes of a built string, as rules ask them."""

from __future__ import annotations

import ast
import textwrap

import pytest

from secreview.engine.strings import (
    ESCAPED,
    FOLLOWED_NODES,
    NUMERIC,
    PLAIN,
    UNTRUSTED,
    Hole,
    Shape,
    decompose,
    tracker,
)
from secreview.engine.walker import Walker
from secreview.parsing.source import parse_source
from secreview.rules.base import Rule
from secreview.rules.command_injection._shared import SHELL, open_holes


def shapes(source: str, dialect=PLAIN) -> list[Shape | None]:
    """The shape of the argument of every `probe(...)` call in `source`."""
    found: list[Shape | None] = []

    class Probe(Rule):
        node_types = (ast.Call, *FOLLOWED_NODES)

        def check(self, node: ast.AST) -> None:
            strings = tracker(self.walker, dialect)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "probe":
                found.append(decompose(self.walker, strings.local(self.walker), node.args[0]))
            else:
                strings.follow(self.walker, node)

    parsed = parse_source(textwrap.dedent(source), "probe.py")
    walker = Walker(parsed, [Probe])
    walker.run()
    return found


def layout(shape: Shape | None) -> list[str]:
    assert shape is not None
    return [
        s if isinstance(s, str) else f"<{ast.unparse(s.node)}:{s.kind}>" for s in shape.segments
    ]


def test_percent_with_a_dict_and_named_conversions():
    (shape,) = shapes(
        """
        def f(name, n):
            probe("%(who)s has %(count)d items" % {"who": name, "count": n})
        """
    )
    assert layout(shape) == [f"<name:{UNTRUSTED}>", " has ", f"<n:{NUMERIC}>", " items"]


def test_a_local_built_in_steps_keeps_its_text():
    (shape,) = shapes(
        """
        def f(a, b):
            cmd = "tar czf " + a
            cmd += " {}".format(b)
            probe(cmd)
        """
    )
    assert layout(shape) == ["tar czf ", f"<a:{UNTRUSTED}>", " ", f"<b:{UNTRUSTED}>"]
    assert shape.via[-1] == ("cmd", 4)


def test_the_dialect_names_its_escapers():
    source = """
        import shlex
        def f(a):
            probe(f"ls {shlex.quote(a)}")
        """
    (plain,) = shapes(source)
    (shell,) = shapes(source, SHELL)
    assert [h.kind for h in plain.holes] == [UNTRUSTED]
    assert [h.kind for h in shell.holes] == [ESCAPED]


@pytest.mark.parametrize(
    ("before", "after", "open_"),
    [
        ("ls -l ", "", False),
        ("ls '", "'", True),  # the text's own quotes undo shlex.quote
        ('ls "', '"', True),
        ("", " --version", True),  # the quoted word is the program
        ("cd /srv && ", "", True),
        ("LANG=C ", "", True),
        ("LANG=C sort ", "", False),
        ("sh -c ", "", True),  # a program that runs its argument
        ("ssh backup01 ", "", True),
        ("ls \\", "", True),
        ("grep -e ", " | wc -l", False),
    ],
)
def test_where_a_quoted_word_stands_in_a_command(before, after, open_):
    shape = Shape(tuple(s for s in (before, Hole(None, ESCAPED), after) if s != ""))
    assert bool(open_holes(shape)) is open_
