import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/tools/traceroute")
def traceroute():
    host = request.form["host"]
    cmd = f"traceroute -m 15 {shlex.quote(host)} 2>&1 | head -20"
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout
    return {"output": out}
