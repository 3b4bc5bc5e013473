import logging

from flask import Flask, abort, request

from myapp.auth import authenticate

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.post("/login")
def login():
    username = request.form["username"]
    log.info("login attempt user=%s", username)
    if not authenticate(username, request.form["password"]):
        abort(401)
    return {"ok": True}
