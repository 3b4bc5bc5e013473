import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/config/import")
def import_config():
    config = yaml.load(request.files["config"].read(), Loader=yaml.SafeLoader)
    return {"keys": sorted(config)}
