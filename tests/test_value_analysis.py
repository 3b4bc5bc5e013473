"""What the value analysis knows, one pair per capability (docs/dataflow.md, "What the value
analysis knows"): the vulnerable shape is found with its rule, CWE and line, and its safe
twin, which differs only by what the analysis must know, is silent."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from secreview.analysis import analyze_source, scan
from secreview.config import Config

HEAD = """\
import functools
import logging
import re
import shlex
import sqlite3
import subprocess

from concurrent.futures import ThreadPoolExecutor

from flask import Flask, abort, redirect, request

app = Flask(__name__)
workers = ThreadPoolExecutor(max_workers=2)
"""

VIEW = """
@app.post("/run")
def run():
    target = request.form["target"]
{body}
    return "ok"
"""


def _flows(source: str) -> list[tuple[str, int, int]]:
    result = analyze_source(HEAD + textwrap.dedent(source), "service/views.py")
    assert not result.diagnostics, [d.one_line() for d in result.diagnostics]
    return sorted({(f.rule_id, f.cwe, f.line) for f in result.findings if f.rule_id >= "SR9"})


def _view(body: str) -> str:
    return VIEW.format(body=textwrap.indent(textwrap.dedent(body), "    "))


def _line(source: str, marker: str) -> int:
    """The line of `marker` in the analysed file (HEAD included)."""
    lines = (HEAD + textwrap.dedent(source)).splitlines()
    return next(n for n, text in enumerate(lines, 1) if marker in text)


# (vulnerable view body, safe view body); the sink is the line with `# sink`.
BODIES = {
    # container contents
    "dict(...) by keyword": (
        "m = dict(a=target, b='make')\nsubprocess.run(m['a'], shell=True)  # sink",
        "m = dict(a=target, b='make')\nsubprocess.run(m['b'], shell=True)  # sink",
    ),
    "dict.setdefault": (
        "m = {'b': 'make'}\ncmd = m.setdefault('a', target)\nsubprocess.run(cmd, shell=True)  # sink",
        "m = {'b': 'make'}\nm.setdefault('a', target)\nsubprocess.run(m['b'], shell=True)  # sink",
    ),
    "list append then pop(0)": (
        "jobs = []\njobs.append('make')\njobs.append(target)\njobs.pop(0)\n"
        "subprocess.run(jobs[0], shell=True)  # sink",
        "jobs = []\njobs.append('make')\njobs.append(target)\njobs.append('all')\njobs.pop(0)\n"
        "subprocess.run(jobs[1], shell=True)  # sink",
    ),
    "list.remove of a constant": (
        "jobs = ['make', target, 'all']\njobs.remove('make')\nsubprocess.run(jobs[0], shell=True)  # sink",
        "jobs = ['make', target, 'all']\njobs.remove('make')\nsubprocess.run(jobs[1], shell=True)  # sink",
    ),
    "a negative index": (
        "jobs = ['make', 'all', target]\nsubprocess.run(jobs[-1], shell=True)  # sink",
        "jobs = ['make', 'all', target]\nsubprocess.run(jobs[-2], shell=True)  # sink",
    ),
    "a list used whole after pop()": (
        "jobs = ['make']\njobs.append(target)\nsubprocess.run('echo ' + repr(jobs), shell=True)  # sink",
        "jobs = ['make']\njobs.append(target)\njobs.pop()\n"
        "subprocess.run('echo ' + repr(jobs), shell=True)  # sink",
    ),
    "iterating a set": (
        "for job in {target}:\n    subprocess.run(job, shell=True)  # sink",
        "for job in {'make', 'test'}:\n    subprocess.run(job, shell=True)  # sink",
    ),
    # string shapes
    "named %(n)d": (
        "subprocess.run('make -j %(n)s' % {'n': target}, shell=True)  # sink",
        "subprocess.run('make -j %(n)d' % {'n': target}, shell=True)  # sink",
    ),
    "repr() of the element read": (
        "m = {'a': 'x'}\nm['b'] = target\nsubprocess.run('echo ' + repr(m['b']), shell=True)  # sink",
        "m = {'a': 'x'}\nm['b'] = target\nsubprocess.run('echo ' + repr(m['a']), shell=True)  # sink",
    ),
    "% with a dict display": (
        "subprocess.run('make %(job)s' % {'job': target, 'env': 'ci'}, shell=True)  # sink",
        "subprocess.run('make %(env)s' % {'job': target, 'env': 'ci'}, shell=True)  # sink",
    ),
    "% with a followed dict": (
        "values = {'env': 'ci'}\nvalues['job'] = target\n"
        "subprocess.run('make %(job)s' % values, shell=True)  # sink",
        "values = {'env': 'ci'}\nvalues['job'] = target\n"
        "subprocess.run('make %(env)s' % values, shell=True)  # sink",
    ),
    # guards
    "an allow-list and abort()": (
        "subprocess.run(target, shell=True)  # sink",
        "if target not in {'make', 'test'}:\n    abort(400)\nsubprocess.run(target, shell=True)  # sink",
    ),
    "'..' protects paths, not SQL": (
        "if '..' in target:\n    abort(400)\n"
        "sqlite3.connect('a.db').execute('SELECT ' + target)  # sink",
        "if target not in ('id', 'name'):\n    abort(400)\n"
        "sqlite3.connect('a.db').execute('SELECT ' + target)  # sink",
    ),
    "re.fullmatch": (
        "if not re.match(r'[a-z]+', target):\n    abort(400)\nsubprocess.run(target, shell=True)  # sink",
        "if not re.fullmatch(r'[a-z]+', target):\n    abort(400)\n"
        "subprocess.run(target, shell=True)  # sink",
    ),
    "re.match anchored at both ends": (
        "if not re.match(r'^[a-z]+', target):\n    abort(400)\nsubprocess.run(target, shell=True)  # sink",
        "if not re.match(r'^[a-z]+$', target):\n    abort(400)\n"
        "subprocess.run(target, shell=True)  # sink",
    ),
    "re.search anchored with \\A and \\Z": (
        "if not re.search(r'[a-z]+\\Z', target):\n    abort(400)\n"
        "subprocess.run(target, shell=True)  # sink",
        "if not re.search(r'\\A[a-z]+\\Z', target):\n    abort(400)\n"
        "subprocess.run(target, shell=True)  # sink",
    ),
    "str.isidentifier and raise": (
        "subprocess.run(target, shell=True)  # sink",
        "if not target.isidentifier():\n    raise ValueError(target)\n"
        "subprocess.run(target, shell=True)  # sink",
    ),
    "a check kept on one side of a conditional expression": (
        "cmd = target if len(target) < 10 else ''\nsubprocess.run(cmd, shell=True)  # sink",
        "cmd = target if target in ('make', 'test') else ''\nsubprocess.run(cmd, shell=True)  # sink",
    ),
    "a check inside `or` before return": (
        "if not target or len(target) > 9:\n    return 'no'\nsubprocess.run(target, shell=True)  # sink",
        "if not target or target not in ('make', 'test'):\n    return 'no'\n"
        "subprocess.run(target, shell=True)  # sink",
    ),
    "an early continue": (
        "for job in target.split():\n    if len(job) > 5:\n        continue\n"
        "    subprocess.run(job, shell=True)  # sink",
        "for job in target.split():\n    if job not in ('make', 'test'):\n        continue\n"
        "    subprocess.run(job, shell=True)  # sink",
    ),
    # sanitisers applied to each element
    "a comprehension of quoted parts": (
        "subprocess.run('make ' + ' '.join([p for p in target.split()]), shell=True)  # sink",
        "subprocess.run('make ' + ' '.join([shlex.quote(p) for p in target.split()]), shell=True)  # sink",
    ),
    "a generator of quoted parts": (
        "subprocess.run('make ' + ' '.join(p.strip() for p in target.split()), shell=True)  # sink",
        "subprocess.run('make ' + ' '.join(shlex.quote(p) for p in target.split()), shell=True)  # sink",
    ),
    # call binding
    "functools.partial of a sink": (
        "run_shell = functools.partial(subprocess.run, shell=True)\nrun_shell(target)  # sink",
        "run_shell = functools.partial(subprocess.run, shell=True)\n"
        "run_shell(shlex.quote(target))  # sink",
    ),
}


@pytest.mark.parametrize("name", list(BODIES))
def test_view_pairs(name: str) -> None:
    vulnerable, safe = (_view(body) for body in BODIES[name])
    found = _flows(vulnerable)
    assert len(found) == 1 and found[0][2] == _line(vulnerable, "# sink"), found
    assert _flows(safe) == []


HELPERS = {
    # a project function that quotes its parameter is a sanitiser at its callers, also in map()
    "a quoting helper": (
        """
        def quoted(value):
            return {}

        @app.post("/run")
        def run():
            subprocess.run("make " + quoted(request.form["target"]), shell=True)  # sink
            return "ok"
        """,
        "value.strip()",
        "shlex.quote(value.strip())",
    ),
    "a helper that keeps only word characters": (
        """
        def slug(value):
            return {}

        @app.post("/run")
        def run():
            subprocess.run("make " + slug(request.form["target"]), shell=True)  # sink
            return "ok"
        """,
        're.sub(r"[^a-z0-9./]", "", value.lower())',
        're.sub(r"[^a-z0-9]+", "-", value.lower())',
    ),
    "a quoting helper through map()": (
        """
        def quoted(value):
            return {}

        @app.post("/run")
        def run():
            parts = map(quoted, request.form.getlist("target"))
            subprocess.run("make " + " ".join(parts), shell=True)  # sink
            return "ok"
        """,
        "value",
        "shlex.quote(value)",
    ),
    # a @staticmethod through self or an instance gets no receiver
    "a static method through self": (
        """
        class Jobs:
            @staticmethod
            def _run(name, command):
                subprocess.run(command, shell=True)  # sink

            def start(self, target):
                self._run({})

        @app.post("/run")
        def run():
            Jobs().start(request.form["target"])
            return "ok"
        """,
        "'make', target",
        "target, 'make'",
    ),
    "a static method through an instance": (
        """
        class Jobs:
            @staticmethod
            def run(name, command):
                subprocess.run(command, shell=True)  # sink

        @app.post("/run")
        def run():
            jobs = Jobs()
            jobs.run({})
            return "ok"
        """,
        "'make', request.form['target']",
        "request.form['target'], 'make'",
    ),
    "a class method through an instance": (
        """
        class Jobs:
            @classmethod
            def run(cls, name, command):
                subprocess.run(command, shell=True)  # sink

        @app.post("/run")
        def run():
            Jobs().run({})
            return "ok"
        """,
        "'make', request.form['target']",
        "request.form['target'], 'make'",
    ),
    "cls of a class method": (
        """
        class Jobs:
            command = "make"

            @classmethod
            def run(cls, target):
                subprocess.run({}, shell=True)  # sink

        @app.post("/run")
        def run():
            Jobs.run(request.form["target"])
            return "ok"
        """,
        "target",
        "cls.command",
    ),
    "a class constant decides a branch": (
        """
        class Jobs:
            USE_DEFAULT = {}

            def start(self, target):
                command = "make" if self.USE_DEFAULT else target
                subprocess.run(command, shell=True)  # sink

        @app.post("/run")
        def run():
            Jobs().start(request.form["target"])
            return "ok"
        """,
        "False",
        "True",
    ),
    "a constant property decides a branch": (
        """
        class Jobs:
            @property
            def use_default(self):
                return {}

            def start(self, target):
                command = "make" if self.use_default else target
                subprocess.run(command, shell=True)  # sink

        @app.post("/run")
        def run():
            Jobs().start(request.form["target"])
            return "ok"
        """,
        "False",
        "True",
    ),
    "a class constant of a class method": (
        """
        class Jobs:
            USE_DEFAULT = {}

            @classmethod
            def start(cls, target):
                if cls.USE_DEFAULT:
                    target = "make"
                subprocess.run(target, shell=True)  # sink

        @app.post("/run")
        def run():
            Jobs.start(request.form["target"])
            return "ok"
        """,
        "0",
        "1",
    ),
    "a function handed to a worker with its argument": (
        """
        def start(command):
            subprocess.run({}, shell=True)  # sink

        @app.post("/run")
        def run():
            workers.submit(start, request.form["target"])
            return "ok"
        """,
        "command",
        "shlex.quote(command)",
    ),
    "a bound method mapped over a list": (
        """
        class Jobs:
            def start(self, command):
                subprocess.run({}, shell=True)  # sink

            def start_all(self, commands):
                list(map(self.start, commands))

        @app.post("/run")
        def run():
            Jobs().start_all(request.form.getlist("target"))
            return "ok"
        """,
        "command",
        "shlex.quote(command)",
    ),
    # trust levels: a row found by the request's key is stored data, not the key
    "a lookup by key": (
        """
        COMMANDS = {{"build": "make", "test": "make test"}}

        @app.post("/run")
        def run():
            subprocess.run({}, shell=True)  # sink
            return "ok"
        """,
        "request.form['target']",
        "COMMANDS.get(request.form['target'], 'make')",
    ),
    # a list returned by a helper is read by position at the caller
    "a list returned with the input at one position": (
        """
        def job_row(name):
            row = list(shlex.split("make all"))
            row[1] = request.form["target"]
            return row

        @app.post("/run")
        def run():
            row = job_row("nightly")
            subprocess.run(row[{}], shell=True)  # sink
            return "ok"
        """,
        "1",
        "2",
    ),
}


@pytest.mark.parametrize("name", list(HELPERS))
def test_helper_pairs(name: str) -> None:
    template, vulnerable, safe = HELPERS[name]
    source = (
        textwrap.dedent(template).replace("{}", vulnerable).replace("{{", "{").replace("}}", "}")
    )
    found = _flows(source)
    assert len(found) == 1 and found[0][2] == _line(source, "# sink"), found
    source = textwrap.dedent(template).replace("{}", safe).replace("{{", "{").replace("}}", "}")
    assert _flows(source) == []


def _scan(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str, int]]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    result = scan([tmp_path], Config(root=tmp_path), jobs=1)
    return sorted(
        (f.rule_id, f.cwe, Path(f.path).name, f.line) for f in result.findings if f.rule_id >= "SR9"
    )


VIEWS = """\
import subprocess

from flask import Flask, request

from shop.escaping import quoted

app = Flask(__name__)


@app.post("/run")
def run():
    parts = request.form.getlist("target")
    subprocess.run("make " + quoted(parts[0]), shell=True)
    subprocess.run("make " + " ".join(map(quoted, parts)), shell=True)
    return "ok"
"""


@pytest.mark.parametrize(("body", "expected"), [("value", [13, 14]), ("shlex.quote(value)", [])])
def test_a_quoting_helper_of_another_module(tmp_path: Path, body: str, expected: list) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/escaping.py": f"import shlex\n\n\ndef quoted(value):\n    return {body}\n",
        "shop/views.py": VIEWS,
    }
    assert _scan(tmp_path, files) == [("SR901", 78, "views.py", line) for line in expected]
