import re

from flask import Flask, jsonify, request

from notes.store import all_notes

app = Flask(__name__)


@app.get("/notes/grep")
def grep_notes():
    pattern = request.args.get("pattern", "")
    matches = [n.id for n in all_notes() if re.search(pattern, n.body)]
    return jsonify(matches)
