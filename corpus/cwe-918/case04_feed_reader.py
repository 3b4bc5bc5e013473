import urllib.request
import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)


@app.get("/feeds/titles")
def feed_titles():
    feed = request.args.get("feed")
    with urllib.request.urlopen(feed, timeout=10) as resp:
        root = ET.fromstring(resp.read())
    return {"titles": [i.findtext("title") for i in root.iter("item")]}
