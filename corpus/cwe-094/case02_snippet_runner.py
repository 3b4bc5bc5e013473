import contextlib
import io

from flask import Flask, request

app = Flask(__name__)


@app.post("/sandbox/run")
def run_snippet():
    code = request.form["code"]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(code, {"__name__": "__sandbox__"})
    return {"stdout": buf.getvalue()}
