import tarfile
import tempfile

from flask import Flask, request

app = Flask(__name__)
THEMES = "/srv/app/themes"


@app.post("/themes")
def upload_theme():
    upload = request.files["theme"]
    with tempfile.NamedTemporaryFile(suffix=".tar.gz") as tmp:
        upload.save(tmp.name)
        with tarfile.open(tmp.name) as tar:
            tar.extractall(THEMES, filter="data")
    return {"installed": True}
