"""Arguments reach the parameters Python gives them: extra positional arguments to `*args`,
keywords no named parameter takes to `**kwargs`."""

from __future__ import annotations

from secreview.analysis import analyze_source

RUNNER = """\
import os

from flask import Flask, request

app = Flask(__name__)


def run_all(prefix, *commands, **options):
    for command in commands:
        os.system(prefix + command)
    if options.get("verbose"):
        print("ran", len(commands), "commands")


def notify(channel, *, text, **extra):
    os.system("notify-send " + channel + " " + text)
    return extra


@app.route("/run")
def view():
    {call}
    return "ok"
"""


def _flows(call: str, module: str = RUNNER) -> list[tuple[str, int]]:
    """The flow findings of `module` with `call` made in its view."""
    result = analyze_source(module.replace("{call}", call), "ops/views.py")
    return [(f.rule_id, f.line) for f in result.findings if f.rule_id.startswith("SR9")]


def test_every_extra_positional_argument_reaches_star_args():
    assert _flows('run_all("echo ", "uptime", request.args["cmd"])') == [("SR901", 10)]


def test_a_keyword_for_star_star_kwargs_does_not_reach_star_args():
    assert _flows('run_all("echo ", "uptime", verbose=request.args["v"])') == []


def test_keyword_only_parameters_take_only_their_keyword():
    assert _flows('notify("ops", text=request.args["msg"])') == [("SR901", 16)]
    assert _flows('notify(request.args["ch"], text="done")') == [("SR901", 16)]
    assert _flows('notify("ops", text="done", urgency=request.args["u"])') == []


TASKS = """\
import os

from flask import Flask, request

app = Flask(__name__)


def run_task(name, **options):
    os.system("nice -n 10 " + options["command"])
    if options.get("notify"):
        print("task", name, "done:", options.get("label", name))


def run_with_defaults(name, **options):
    options.setdefault("command", "true")
    os.system(options["command"])


@app.route("/tasks")
def view():
    {call}
    return "ok"
"""


def test_a_key_of_kwargs_carries_only_what_was_passed_under_it():
    assert _flows('run_task("backup", command=request.args["cmd"])', TASKS) == [("SR901", 9)]
    # The label is passed under another key: it never reaches the shell.
    assert _flows('run_task("backup", command="tar c /srv", label=request.args["l"])', TASKS) == []


def test_a_mapping_spread_into_kwargs_may_hold_any_key():
    assert _flows('run_task("backup", **request.args.to_dict())', TASKS) == [("SR901", 9)]


def test_kwargs_the_function_changes_are_read_as_a_whole():
    flows = _flows('run_with_defaults("backup", label=request.args["l"])', TASKS)
    assert flows == [("SR901", 16)]  # setdefault: the analysis no longer tells keys apart


FORWARDING = """\
import os

from flask import Flask, request

app = Flask(__name__)


def run(command="true", label=""):
    os.system("nice " + command)
    return label


def run_logged(**options):
    print("running", options.get("label", "a task"))
    return run(**options)


@app.route("/run")
def view():
    {call}
    return "ok"
"""


def test_kwargs_passed_on_whole_keep_their_keys_apart():
    """`run(**options)` in a wrapper: `command` gets what the wrapper's caller passed as
    `command`, not everything the wrapper was given."""
    assert _flows('run_logged(command=request.args["cmd"])', FORWARDING) == [("SR901", 9)]
    assert _flows('run_logged(label=request.args["label"])', FORWARDING) == []
    assert _flows("run_logged(**request.args)", FORWARDING) == [("SR901", 9)]


KEYS = """\
import os

from flask import Flask, request

app = Flask(__name__)


def export(target, **columns):
    for name in columns:
        os.system("csvtool col " + name + " " + target)
    for name, value in columns.items():
        print(name, value)
        os.system("echo " + value)


@app.route("/export")
def view():
    {call}
    return "ok"
"""


def test_the_keys_of_kwargs_are_the_callers_keyword_names():
    """The names in `export(t, title=...)` are written in the caller's code: iterating the
    keys carries nothing; a mapping spread into the call may bring any key."""
    assert _flows('export("/srv/out.csv", title=request.args["t"])', KEYS) == [("SR901", 13)]
    assert _flows('export("/srv/out.csv", **request.args)', KEYS) == [
        ("SR901", 10),
        ("SR901", 13),
    ]


CHANGED = """\
import os

from flask import Flask, request

app = Flask(__name__)


def run_item(**options):
    options["command"] += " " + options.get("suffix", "")
    os.system(options["command"])


def run_cleared(**options):
    del options["label"]
    os.system(options.get("command", "true"))


@app.route("/run")
def view():
    {call}
    return "ok"
"""


def test_a_kwargs_changed_in_place_is_read_as_a_whole():
    assert _flows('run_item(command="date", suffix=request.args["s"])', CHANGED) == [("SR901", 10)]
    assert _flows('run_cleared(command="date", label=request.args["l"])', CHANGED) == [
        ("SR901", 15)
    ]
