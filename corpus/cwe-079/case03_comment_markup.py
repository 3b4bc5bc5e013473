from flask import Flask, render_template, request
from markupsafe import Markup

app = Flask(__name__)
COMMENTS: list[Markup] = []


@app.post("/comments")
def add_comment():
    author = request.form["author"]
    text = request.form["text"]
    COMMENTS.append(Markup(f"<p><b>{author}</b>: {text}</p>"))
    return render_template("comments.html", comments=COMMENTS)
