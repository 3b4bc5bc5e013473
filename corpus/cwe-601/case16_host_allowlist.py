from urllib.parse import urlparse

from flask import Flask, abort, redirect, request

app = Flask(__name__)
ALLOWED_HOSTS = {"example.com", "www.example.com", "help.example.com"}


@app.get("/out")
def outbound():
    url = request.args.get("url", "")
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:
        abort(400)
    return redirect(url)
