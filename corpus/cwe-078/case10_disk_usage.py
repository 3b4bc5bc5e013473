import subprocess

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/health/disk")
def disk_usage():
    out = subprocess.run(
        "df -h /var/lib/docker | tail -1 | awk '{print $5}'",
        shell=True,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return jsonify({"docker_volume_used": out})
