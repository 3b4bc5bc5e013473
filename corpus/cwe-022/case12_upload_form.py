import os

from flask import Flask, abort, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_DIR = "/srv/app/uploads"


@app.post("/upload")
def upload():
    f = request.files.get("file")
    if f is None or not f.filename:
        abort(400)
    name = secure_filename(f.filename)
    f.save(os.path.join(UPLOAD_DIR, name))
    with open(os.path.join(UPLOAD_DIR, name + ".meta"), "w") as meta:
        meta.write(request.form.get("description", ""))
    return {"stored": name}
