import logging

from flask import Flask, abort, request

from myapp.auth import authenticate

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.post("/login")
def login():
    username = request.form["username"]
    password = request.form["password"]
    log.info("login attempt user=%s password=%s", username, password)
    if not authenticate(username, password):
        abort(401)
    return {"ok": True}
