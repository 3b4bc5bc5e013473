from flask import Flask, request
from jinja2.sandbox import SandboxedEnvironment

app = Flask(__name__)
env = SandboxedEnvironment(autoescape=True)


@app.post("/campaigns/preview")
def preview_campaign():
    template = env.from_string(request.form["template"])
    return template.render(first_name="Ada", unsubscribe_url="https://example.com/u/1")
