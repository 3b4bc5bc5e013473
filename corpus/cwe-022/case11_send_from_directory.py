from flask import Flask, send_from_directory

app = Flask(__name__)
UPLOAD_DIR = "/srv/app/uploads"


@app.route("/uploads/<path:filename>")
def uploaded_file(filename):
    return send_from_directory(UPLOAD_DIR, filename, as_attachment=True)
