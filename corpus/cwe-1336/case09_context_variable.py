from flask import Flask, render_template_string, request

app = Flask(__name__)
WELCOME = "<h1>Welcome, {{ name }}!</h1><p>Enjoy your stay.</p>"


@app.get("/welcome")
def welcome():
    return render_template_string(WELCOME, name=request.args.get("name", "friend"))
