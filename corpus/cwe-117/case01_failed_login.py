from flask import Flask, abort, request

from myapp.auth import authenticate

app = Flask(__name__)


@app.post("/login")
def login():
    username = request.form["username"]
    if not authenticate(username, request.form["password"]):
        app.logger.warning("Failed login for user " + username)
        abort(401)
    return {"ok": True}
