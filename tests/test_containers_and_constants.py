"""Lists and dicts followed element by element, and branches decided by constants
(engine/containers.py and the lowering): what reaches a sink is what the program reads."""

from __future__ import annotations

import textwrap

import pytest

from secreview.analysis import analyze_source

VIEW = """\
import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/jobs")
def start_job():
    target = request.form["target"]
{body}
    return "started"
"""


def _flows(body: str) -> list[tuple[str, int]]:
    source = VIEW.format(body=textwrap.indent(textwrap.dedent(body), "    "))
    result = analyze_source(source, "jobs/views.py")
    assert not result.diagnostics, [d.one_line() for d in result.diagnostics]
    return [(f.rule_id, f.cwe) for f in result.findings]


@pytest.mark.parametrize(
    "body",
    [
        # built step by step, on either branch of a platform test
        """
        argv = []
        if os.name == "nt":
            argv.append("cmd.exe")
            argv.append("/c")
        else:
            argv.append("sh")
            argv.append("-c")
        argv.append("make " + target)
        subprocess.run(argv)
        """,
        'argv = ["sh"]\nargv.extend(["-c", "make " + target])\nsubprocess.run(argv)',
        'argv = ["-c", "make " + target]\nargv.insert(0, "bash")\nsubprocess.run(argv)',
        'argv = ["sh", "-c", "make"]\nargv[2] = target\nsubprocess.run(argv)',
        # the element read is the one that holds the input
        "names = ['make']\nnames.append(target)\nsubprocess.run(names[1], shell=True)",
        "jobs = {}\njobs['x'] = target\nsubprocess.run(jobs.get('x'), shell=True)",
        # a test the analysis cannot decide keeps both branches
        "cmd = 'make'\nif target.startswith('a'):\n    cmd = target\nsubprocess.run(cmd, shell=True)",
    ],
)
def test_the_shell_command_is_found(body: str) -> None:
    assert _flows(body) == [("SR901", 78)]


@pytest.mark.parametrize(
    "body",
    [
        # the input is the script's $1, not the command line
        'argv = ["sh", "-c", "make \\"$1\\"", "make"]\nargv.append(target)\nsubprocess.run(argv)',
        # the tainted element was removed, or another one is read
        "names = ['a', target, 'b']\nnames.pop(1)\nsubprocess.run(names[1], shell=True)",
        "jobs = {'default': 'make'}\njobs['asked'] = target\n"
        "subprocess.run(jobs['default'], shell=True)",
        "jobs = {'default': 'make'}\njobs['asked'] = target\n"
        "subprocess.run(jobs.get('missing', 'make all'), shell=True)",
        # branches decided by constants
        "limit = 86\nif 7 * 42 - limit > 200:\n    cmd = 'make'\nelse:\n    cmd = target\n"
        "subprocess.run(cmd, shell=True)",
        "cmd = 'make' if 3 * 4 > 10 else target\nsubprocess.run(cmd, shell=True)",
        "mode = 'AB'[1]\nmatch mode:\n    case 'A':\n        cmd = target\n    case _:\n"
        "        cmd = 'make'\nsubprocess.run(cmd, shell=True)",
    ],
)
def test_nothing_untrusted_reaches_the_shell(body: str) -> None:
    assert _flows(body) == []


def test_a_container_used_whole_is_followed_whole_from_then_on() -> None:
    # After `audit(names)` the callee may have changed the list: its elements are not
    # known any more, and the list carries everything put into it.
    body = "names = ['make']\nnames.append(target)\naudit = print\naudit(names)\n"
    body += "subprocess.run(names[0], shell=True)"
    assert _flows(body) == [("SR901", 78)]


def test_a_name_assigned_in_a_loop_is_no_constant_after_it() -> None:
    body = "limit = 1\nfor _ in range(3):\n    limit = limit * 10\n"
    body += "cmd = target if limit > 100 else 'make'\nsubprocess.run(cmd, shell=True)"
    assert _flows(body) == [("SR901", 78)]


def test_a_long_list_is_followed_whole() -> None:
    items = ", ".join(f"'a{n}'" for n in range(100))
    body = f"argv = ['sh', '-c', {items}]\nargv[5] = target\nsubprocess.run(argv[5], shell=True)"
    assert _flows(body) == [("SR901", 78)]


def test_a_list_changed_through_its_methods_is_no_constant() -> None:
    body = "pending = []\nfor part in target.split():\n    pending.append(part)\n"
    body += "if pending:\n    subprocess.run(target, shell=True)"
    assert _flows(body) == [("SR901", 78)]


def test_a_name_of_the_enclosing_function_is_no_constant_in_a_closure() -> None:
    # The walker keeps `ready`'s last assignment (True); inside `run` it may be either.
    body = "ready = False\n\ndef run():\n    if not ready:\n"
    body += "        subprocess.run(request.form['job'], shell=True)\n\nready = True\nrun()"
    assert _flows(body) == [("SR901", 78)]


def test_no_huge_value_is_built_to_decide_a_test() -> None:
    # `n * "ab"` is not folded: a file must not make the analysis build a gigabyte string.
    body = "cmd = target if 1000000000 * 'ab' else 'make'\nsubprocess.run(cmd, shell=True)"
    assert _flows(body) == [("SR901", 78)]


@pytest.mark.parametrize(("option", "expected"), [("Job", [("SR901", 78)]), ("tool", [])])
def test_a_configparser_is_read_by_section_and_option(option: str, expected: list) -> None:
    body = "import configparser\nconf = configparser.ConfigParser()\nconf.add_section('run')\n"
    body += "conf.set('run', 'tool', 'make')\nconf.set('run', 'job', target)\n"
    body += f"subprocess.run(conf.get('run', '{option}'), shell=True)"
    assert _flows(body) == expected


# Each pair (XX replaced): the element, key or branch that holds the input is read (found), and the one
# that does not (clean).
PAIRS = {
    "dict.update with a display": (
        "m = {}\nm.update({'a': target, 'b': 'make'})\nsubprocess.run(m['XX'], shell=True)",
        "a",
        "b",
    ),
    "dict.update with keywords": (
        "m = {'b': 'make'}\nm.update(a=target)\nsubprocess.run(m['XX'], shell=True)",
        "a",
        "b",
    ),
    "dict.pop": (
        "m = {'a': target, 'b': 'make'}\nsubprocess.run(m.pop('XX'), shell=True)",
        "a",
        "b",
    ),
    "a dict spread into a display": (
        "base = {'a': target}\nm = {**base, 'b': 'make'}\nsubprocess.run(m['XX'], shell=True)",
        "a",
        "b",
    ),
    "a tuple by position": ("p = ('make', target)\nsubprocess.run(p[XX], shell=True)", "1", "0"),
    "del of an element": (
        "argv = ['make', target, 'all']\ndel argv[0]\nsubprocess.run(argv[XX], shell=True)",
        "0",
        "1",
    ),
    "remove of the first element": (
        "argv = ['make', target, 'all']\nargv.remove(argv[0])\nsubprocess.run(argv[XX], shell=True)",
        "0",
        "1",
    ),
    "a slice": (
        "argv = ['make', target, 'all']\nrest = argv[1:]\nsubprocess.run(rest[XX], shell=True)",
        "0",
        "1",
    ),
    "unpacking a display": (
        "tool, job = ['make', target]\nsubprocess.run(XX, shell=True)",
        "job",
        "tool",
    ),
    "unpacking a followed list": (
        "argv = ['make', target]\ntool, job = argv\nsubprocess.run(XX, shell=True)",
        "job",
        "tool",
    ),
    "a starred target": (
        "tool, *rest = ['make', target]\nsubprocess.run(XX, shell=True)",
        "rest[0]",
        "tool",
    ),
    "`and`/`or` decided by constants": (
        "cmd = (3 > XX and target) or 'make'\nsubprocess.run(cmd, shell=True)",
        "2",
        "4",
    ),
    "a constant key stored after a computed one": (
        "m = {}\nm[target[:2]] = target\nm['b'] = 'make'\nsubprocess.run(m['XX'], shell=True)",
        "a",
        "b",
    ),
    "a computed key stored in a loop": (
        "m = {'b': 'all'}\nfor word in target.split():\n    m[word] = target\n"
        "m['b'] = 'make'\nsubprocess.run(m.get('XX', 'make'), shell=True)",
        "a",
        "b",
    ),
    "a dict passed to a call keeps its keys": (
        "m = {'a': target, 'b': 'make'}\naudit = print\naudit(m)\n"
        "subprocess.run(m['XX'], shell=True)",
        "a",
        "b",
    ),
    "what a call is given may be stored in the dict": (
        "m = {'b': 'make'}\nfill = print\nfill(m, XX)\nsubprocess.run(m['b'], shell=True)",
        "target",
        "'all'",
    ),
    "`in` only reads a dict": (
        "m = {'a': target, 'b': 'make'}\nif 'a' in m:\n    subprocess.run(m['XX'], shell=True)",
        "a",
        "b",
    ),
    "a list made by a call, by position": (
        "argv = list(os.getcwd())\nargv[1] = target\nsubprocess.run(argv[XX], shell=True)",
        "1",
        "2",
    ),
    "a test only reads a list made by a call": (
        "argv = list(os.getcwd())\nargv[1] = target\nif not argv or argv is None:\n"
        "    return 'empty'\nsubprocess.run(argv[XX], shell=True)",
        "1",
        "2",
    ),
    "a `while` whose test is false": (
        "limit = 3\ncmd = 'make'\nwhile limit > XX:\n    cmd = target\n    break\n"
        "subprocess.run(cmd, shell=True)",
        "2",
        "5",
    ),
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_the_element_read_decides(name: str) -> None:
    body, found, clean = PAIRS[name]
    assert _flows(body.replace("XX", found)) == [("SR901", 78)]
    assert _flows(body.replace("XX", clean)) == []


FILTERS = """\
import re

from flask import Blueprint, jsonify, request

from inventory import db, network

servers = Blueprint("servers", __name__)
REMAPPED = {"name": "display_name"}


def _ip_filter(found, filters):
    ipv4 = re.compile(str(filters.get("ip")))
    return [s for s in found if ipv4.match(s.address)]


def get_all(context, search_opts):
    filters = {}
    for opt, value in search_opts.items():
        filters[REMAPPED.get(opt, opt)] = value
    filter_ip = "ip" in filters
    if filter_ip and network.has_port_filtering():
        filter_ip = False
        uuids = network.ports_by_ip(context, filters)
        if "uuid" in filters and filters["uuid"]:
            uuids.append(filters["uuid"])
        filters["uuid"] = uuids
    found = db.servers_by_filters(filters)
    if filter_ip:
        found = _ip_filter(found, filters)
    return found


@servers.get("/servers")
def list_servers():
    return jsonify([s.to_dict() for s in get_all(request.environ, request.args.to_dict())])
"""


def test_the_trace_goes_the_shortest_way_through_a_dict() -> None:
    # The query's `ip` reaches the pattern through the loop's store; the path through
    # `filters["uuid"]` exists too, but it is not the one to show a reviewer.
    result = analyze_source(FILTERS, "inventory/compute.py")
    [finding] = [f for f in result.findings if f.rule_id == "SR919"]
    steps = [step.description for step in finding.trace]
    assert "stored in `filters[REMAPPED.get(opt, opt)]`" in steps
    assert not any("uuid" in step for step in steps), steps
