"""Regular expressions compiled into module and class constants (engine/patterns.py)."""

from __future__ import annotations

import ast
import textwrap

from secreview.engine.patterns import compiled_patterns


def test_literal_patterns_of_names_bound_once_are_known() -> None:
    tree = ast.parse(
        textwrap.dedent(
            r"""
            import re

            SAFE = re.compile(r"[a-z]+", re.IGNORECASE)
            LOOSE = re.compile(r"[a-z]+ # words", re.VERBOSE)
            TWICE = re.compile(r"[a-z]+")
            TWICE = re.compile(r".*")
            BUILT = re.compile("[" + "a-z" + "]+")

            class Form:
                LABEL = re.compile(r"\w{1,8}")
            """
        )
    )
    assert compiled_patterns(tree) == {"SAFE": "[a-z]+", "Form.LABEL": r"\w{1,8}"}


def test_a_module_that_does_not_import_re_has_none() -> None:
    tree = ast.parse('from regex_lib import re\nSAFE = re.compile("[a-z]+")\n')
    assert compiled_patterns(tree) == {}
