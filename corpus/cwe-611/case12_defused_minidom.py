from defusedxml.minidom import parseString
from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/icons")
def upload_icon():
    svg = parseString(request.files["icon"].read())
    root = svg.documentElement
    if root.tagName != "svg":
        abort(400)
    return {"width": root.getAttribute("width"), "height": root.getAttribute("height")}
