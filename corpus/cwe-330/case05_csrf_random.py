import random

from flask import Flask, render_template, session

app = Flask(__name__)


@app.get("/settings")
def settings_form():
    if "csrf" not in session:
        session["csrf"] = str(random.random())[2:]
    return render_template("settings.html", csrf_token=session["csrf"])
