import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/config/import")
def import_config():
    uploaded = request.files["config"]
    config = yaml.unsafe_load(uploaded.read())
    return {"keys": sorted(config)}
