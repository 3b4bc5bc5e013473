from flask import Flask, request
from jinja2 import Environment

app = Flask(__name__)
env = Environment()


@app.post("/campaigns/preview")
def preview_campaign():
    source = request.form["template"]
    template = env.from_string(source)
    return template.render(first_name="Ada", unsubscribe_url="https://example.com/u/1")
