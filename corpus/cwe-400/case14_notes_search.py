import re

from flask import Flask, jsonify, request

from notes.store import all_notes

app = Flask(__name__)


@app.get("/notes/grep")
def grep_notes():
    needle = re.compile(re.escape(request.args.get("q", "")), re.IGNORECASE)
    return jsonify([n.id for n in all_notes() if needle.search(n.body)])
