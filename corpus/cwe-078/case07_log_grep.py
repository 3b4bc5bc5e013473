from os import system as run_system

from flask import Flask
from flask import request as req

app = Flask(__name__)


@app.route("/admin/grep")
def grep_logs():
    pattern = req.values.get("pattern", "ERROR")
    status = run_system("grep -c '" + pattern + "' /var/log/app/app.log > /tmp/grep.out")
    with open("/tmp/grep.out") as fh:
        return {"status": status, "count": fh.read().strip()}
