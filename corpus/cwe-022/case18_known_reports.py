import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
REPORT_DIR = "/srv/reports"


@app.get("/reports")
def report():
    name = request.args.get("name", "")
    available = set(os.listdir(REPORT_DIR))
    if name not in available:
        abort(404)
    return send_file(os.path.join(REPORT_DIR, name))
