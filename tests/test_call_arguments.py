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


@app.route("/{route}")
def view():
    {call}
    return "ok"
"""


def _flows(call: str) -> list[tuple[str, int]]:
    code = RUNNER.format(route="run", call=call)
    result = analyze_source(code, "ops/views.py")
    return [(f.rule_id, f.line) for f in result.findings if f.rule_id.startswith("SR9")]


def test_every_extra_positional_argument_reaches_star_args():
    assert _flows('run_all("echo ", "uptime", request.args["cmd"])') == [("SR901", 10)]


def test_a_keyword_for_star_star_kwargs_does_not_reach_star_args():
    assert _flows('run_all("echo ", "uptime", verbose=request.args["v"])') == []


def test_keyword_only_parameters_take_only_their_keyword():
    assert _flows('notify("ops", text=request.args["msg"])') == [("SR901", 16)]
    assert _flows('notify(request.args["ch"], text="done")') == [("SR901", 16)]
    assert _flows('notify("ops", text="done", urgency=request.args["u"])') == []
