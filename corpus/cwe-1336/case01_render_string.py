from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.get("/welcome")
def welcome():
    name = request.args.get("name", "friend")
    template = "<h1>Welcome, " + name + "!</h1><p>Enjoy your stay.</p>"
    return render_template_string(template)
