import urllib.request

from flask import Flask, abort, request

app = Flask(__name__)
FEEDS = {
    "news": "https://news.example.com/rss.xml",
    "blog": "https://blog.example.com/feed.xml",
}


@app.get("/feeds")
def feed():
    url = FEEDS.get(request.args.get("name", ""))
    if url is None:
        abort(404)
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read()
