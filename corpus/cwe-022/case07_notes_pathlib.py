from pathlib import Path

from flask import Flask, abort, request

app = Flask(__name__)
NOTES = Path("/srv/notes")


@app.get("/notes")
def read_note():
    note = NOTES / request.args.get("path", "index.md")
    if not note.exists():
        abort(404)
    return note.read_text(encoding="utf-8")
