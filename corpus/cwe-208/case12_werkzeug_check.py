from flask import Flask, abort, request, session
from werkzeug.security import check_password_hash

from myapp.models import User

app = Flask(__name__)


@app.post("/login")
def login():
    user = User.query.filter_by(username=request.form["username"]).first()
    if user is None or not check_password_hash(user.password_hash, request.form["password"]):
        abort(401)
    session["uid"] = user.id
    return {"ok": True}
