"""engine/constants.py: which call arguments the data flow proves constant. A value is
constant only when every way it was made is one; anything the pass cannot see is not."""

from __future__ import annotations

import textwrap

import pytest

from secreview.analysis import analyze_parsed, analyze_source
from secreview.config import Config
from secreview.engine.constants import Constants
from secreview.engine.taint import Program
from secreview.parsing.notebook import parse_file_text

MODULE = """\
import base64

import settings
from config import CODE

TABLE = ("max(values)", "min(values)")


def risky():
    pass


def literal():
    return "sum(values)"


def passed_on(x):
    return x


class Base:
    def default(self):
        return "sum(values)"

    def check(self, store, flag, values):
{body}
"""


def _constant(body: str) -> bool:
    """Whether the pass proves constant what the one `eval()` of `check` evaluates."""
    source = MODULE.format(body=textwrap.indent(textwrap.dedent(body), " " * 8))
    config = Config()
    parsed = parse_file_text(source, "reports/check.py", config.max_file_size).source
    result = analyze_parsed(parsed, config.rules_for("reports/check.py"), models=config.model_set())
    constants = Constants(Program([result.ir], config.model_set()))
    found = [
        constants.arguments(function, site).get(0, False)
        for function in result.ir.functions.values()
        if function.name == "check"
        for site in function.calls
        if site.callee == "eval"
    ]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(
    "body",
    [
        'code = "1" if flag else "2"\neval(code)',
        'if flag:\n    code = "1"\nelse:\n    code = "2"\neval(code)',
        'code = "0"\nfor item in store:\n    code = "1"\neval(code)',
        'code = "0"\ntry:\n    code = "1"\nexcept ValueError:\n    code = "2"\neval(code)',
        'm = {}\nm["a"] = "1"\nm["b"] = store.get("x")\neval(m["a"])',
        "eval(literal())",
        'eval("a,b".split(",")[0])',
        'eval(base64.b64decode("MQ==").decode())',
        "eval(TABLE[0])",
        'if flag not in ("1", "2"):\n    return\neval(flag)',
    ],
)
def test_constant(body):
    assert _constant(body)


@pytest.mark.parametrize(
    "body",
    [
        # a break or an exception may leave after the value from the store was given
        'code = "1"\nfor item in store:\n    code = store.get("c")\n    if item:\n        break\n'
        '    code = "2"\neval(code)',
        'code = "1"\ntry:\n    code = store.get("c")\n    risky()\n    code = "2"\n'
        "except Exception:\n    pass\neval(code)",
        # carried from one pass of a loop to the next
        'code = "1"\nwhile store:\n    eval(code)\n    code = store.pop()',
        # what other modules, parameters and overridable methods hold
        "eval(CODE)",
        "eval(settings.CODE)",
        "eval(self.default())",
        'if flag:\n    store = "1"\neval(store)',
        "eval(passed_on(store))",
        "with store as code:\n    eval(code)",
        "try:\n    risky()\nexcept Exception as code:\n    eval(code)",
    ],
)
def test_not_constant(body):
    assert not _constant(body)


def test_withdrawn_finding_is_examined():
    source = textwrap.dedent(
        """\
        def total(store, values):
            formulas = {}
            formulas["sum"] = "sum(values)"
            formulas["custom"] = store.get("formula")
            return eval(formulas["sum"], {"values": values})
        """
    )
    result = analyze_source(source, "reports/total.py")
    assert not [f for f in result.findings if f.cwe == 94]
    assert any(e.cwe == 94 and e.verdict == "constant" and e.line == 5 for e in result.examined)


SETTINGS = """\
import os

CODE = "sum(values)"
PREFIX = "max"
JOINED = PREFIX + "(values)"
FROM_ENV = os.environ.get("REPORT_CODE", "sum(values)")
RELOADED = "min(values)"
WRITTEN = "len(values)"
CODES = ["sum(values)"]


def reload():
    global RELOADED
    RELOADED = os.environ["RELOADED"]
"""

ADMIN = """\
import settings


def update(form):
    settings.WRITTEN = form["code"]
"""


def _project_constant(body: str, settings: str = SETTINGS, admin: str = ADMIN) -> bool:
    """Whether the pass proves constant what `eval()` evaluates in a module of a project
    whose `settings` module and an `admin` module are scanned with it."""
    source = "import settings\nfrom settings import CODE, FROM_ENV\n\n\ndef check(values):\n"
    source += textwrap.indent(textwrap.dedent(body), "    ")
    config = Config()
    modules = []
    for path, text in (("reports.py", source), ("settings.py", settings), ("admin.py", admin)):
        parsed = parse_file_text(text, path, config.max_file_size).source
        modules.append(analyze_parsed(parsed, config.rules_for(path), models=config.model_set()))
    constants = Constants(Program([m.ir for m in modules], config.model_set()))
    found = [
        constants.arguments(function, site).get(0, False)
        for function in modules[0].ir.functions.values()
        for site in function.calls
        if site.callee == "eval"
    ]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(
    "body",
    [
        "eval(CODE)",
        "eval(settings.CODE)",
        "eval(settings.JOINED)",
        "code = settings.CODE\neval(code)",
        "eval(settings.CODE.strip())",
        'eval(CODE + " + 1")',
    ],
)
def test_constant_of_another_module(body):
    assert _project_constant(body)


@pytest.mark.parametrize(
    "body",
    [
        "eval(FROM_ENV)",
        "eval(settings.FROM_ENV.strip())",
        "eval(settings.RELOADED)",  # bound again by a `global` statement
        "eval(settings.WRITTEN)",  # changed from another module
        "eval(settings.CODES[0])",  # a list other modules may change in place
        "eval(settings.MISSING)",
        "eval(CODE + values)",
    ],
)
def test_not_constant_of_another_module(body):
    assert not _project_constant(body)


def test_setattr_of_a_module_makes_none_of_its_values_constant():
    admin = "import settings\n\n\ndef update(name, value):\n    setattr(settings, name, value)\n"
    assert not _project_constant("eval(settings.CODE)", admin=admin)
    assert _project_constant("eval(settings.CODE)", admin="")
