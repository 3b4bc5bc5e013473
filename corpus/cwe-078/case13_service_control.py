import os

from flask import Flask, abort, request

app = Flask(__name__)
ACTIONS = frozenset({"start", "stop", "restart", "reload"})


@app.post("/admin/nginx")
def control_nginx():
    action = request.form.get("action", "")
    if action not in ACTIONS:
        abort(400)
    rc = os.system("sudo systemctl " + action + " nginx")
    return {"rc": rc}
