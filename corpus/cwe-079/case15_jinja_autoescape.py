from flask import Flask, request
from jinja2 import Environment, FileSystemLoader, select_autoescape

app = Flask(__name__)
env = Environment(
    loader=FileSystemLoader("templates/mail"),
    autoescape=select_autoescape(["html", "xml"]),
)


@app.post("/newsletter/preview")
def preview():
    template = env.get_template("newsletter.html")
    return template.render(headline=request.form["headline"], body=request.form["body"])
