from flask import Flask, redirect, request

app = Flask(__name__)


@app.get("/continue")
def continue_to():
    target = request.args.get("to", "/")
    if not target.startswith("/"):
        target = "/"
    return redirect(target)
