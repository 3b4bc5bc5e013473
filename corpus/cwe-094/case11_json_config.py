import json

from flask import Flask, request

app = Flask(__name__)


@app.post("/widgets/config")
def widget_config():
    config = json.loads(request.form.get("config", "{}"))
    return {"columns": config.get("columns", 3), "theme": config.get("theme", "light")}
