from flask import Flask, g, request

from webapp.sessions import decode_session

app = Flask(__name__)


@app.before_request
def load_session():
    cookie = request.cookies.get("sess")
    g.session = decode_session(cookie) if cookie else {}


@app.get("/me")
def me():
    return {"user": g.session.get("user")}
