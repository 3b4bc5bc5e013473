from flask import Flask, request
from markupsafe import Markup

app = Flask(__name__)


@app.post("/preview")
def preview():
    author = request.form["author"]
    text = request.form["text"]
    snippet = Markup("<p><b>{}</b>: {}</p>").format(author, text)
    return str(snippet)
