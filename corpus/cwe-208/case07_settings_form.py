from flask import Flask, abort, request, session

app = Flask(__name__)


@app.post("/settings")
def save_settings():
    if request.form.get("csrf_token") == session.get("csrf_token"):
        session["theme"] = request.form.get("theme", "light")
        return {"saved": True}
    abort(400)
