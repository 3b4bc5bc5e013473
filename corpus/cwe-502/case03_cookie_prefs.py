import base64
import pickle

from flask import Flask, render_template, request

app = Flask(__name__)
DEFAULT_PREFS = {"theme": "light", "lang": "en"}


@app.get("/")
def home():
    raw = request.cookies.get("prefs")
    prefs = pickle.loads(base64.b64decode(raw)) if raw else DEFAULT_PREFS
    return render_template("home.html", prefs=prefs)
