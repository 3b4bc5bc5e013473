from flask import Flask, session

app = Flask(__name__)
app.secret_key = "f9b2c4e8a1d7365b0c2e9f4a8d1b7c3e"


@app.get("/visit")
def visit():
    session["visits"] = session.get("visits", 0) + 1
    return {"visits": session["visits"]}
