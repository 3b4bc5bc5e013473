from flask import Flask, request
from jinja2 import Environment, FileSystemLoader

app = Flask(__name__)
env = Environment(loader=FileSystemLoader("templates/mail"), autoescape=False)


@app.post("/newsletter/preview")
def preview():
    template = env.get_template("newsletter.html")
    return template.render(headline=request.form["headline"], body=request.form["body"])
