import os

from flask import Flask, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOADS = "/srv/app/uploads"


@app.post("/upload")
def upload():
    folder = os.path.join(UPLOADS, request.form.get("team", "default").replace("/", ""))
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o777)
    f = request.files["file"]
    f.save(os.path.join(folder, secure_filename(f.filename)))
    return {"ok": True}
