import subprocess
import uuid

from flask import Flask, jsonify, request

app = Flask(__name__)


class BackupJob:
    def __init__(self, archive, paths):
        self.id = uuid.uuid4().hex
        self.archive = archive
        self.paths = list(paths)

    def command(self):
        return " ".join(["tar", "czf", self.archive, *self.paths])

    def run(self):
        return subprocess.call(self.command(), shell=True)


@app.post("/backups")
def create_backup():
    spec = request.get_json()
    job = BackupJob("/srv/backups/%s.tgz" % uuid.uuid4().hex, spec["paths"])
    code = job.run()
    return jsonify({"job": job.id, "exit": code})
