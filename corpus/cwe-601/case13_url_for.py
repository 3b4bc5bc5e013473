from flask import Flask, redirect, request, url_for
from flask_login import login_user

from myapp.auth import authenticate

app = Flask(__name__)


@app.post("/login")
def login():
    user = authenticate(request.form["username"], request.form["password"])
    if user is None:
        return redirect(url_for("login_form", error=1))
    login_user(user)
    return redirect(url_for("dashboard"))
