import subprocess

from flask import Flask, render_template, request

app = Flask(__name__)


@app.route("/tools/ping", methods=["GET", "POST"])
def ping():
    output = ""
    if request.method == "POST":
        host = request.form["host"]
        result = subprocess.run(
            f"ping -c 3 {host}", shell=True, capture_output=True, text=True, timeout=20
        )
        output = result.stdout
    return render_template("ping.html", output=output)
