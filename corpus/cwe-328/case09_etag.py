import hashlib

from flask import Flask, Response, request

app = Flask(__name__)


@app.get("/feed.xml")
def feed():
    body = open("/srv/site/feed.xml", "rb").read()
    etag = hashlib.md5(body, usedforsecurity=False).hexdigest()
    if request.headers.get("If-None-Match") == etag:
        return Response(status=304)
    return Response(body, mimetype="application/rss+xml", headers={"ETag": etag})
