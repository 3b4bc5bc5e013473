from urllib.parse import urlparse

import requests
from flask import Flask, Response, abort, request

app = Flask(__name__)
IMAGE_HOSTS = {"images.example.com", "cdn.example.com"}


@app.get("/thumb")
def thumbnail():
    url = request.args.get("u", "")
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in IMAGE_HOSTS:
        abort(400)
    upstream = requests.get(url, timeout=5, allow_redirects=False)
    return Response(upstream.content, mimetype=upstream.headers.get("Content-Type"))
