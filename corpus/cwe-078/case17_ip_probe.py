import ipaddress
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)


@app.get("/neighbours")
def neighbours():
    try:
        addr = ipaddress.ip_address(request.args["ip"])
    except ValueError:
        abort(400)
    out = subprocess.check_output(f"ip neigh show {addr} | cut -d' ' -f5", shell=True)
    return {"mac": out.decode().strip()}
