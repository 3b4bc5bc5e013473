import sqlite3

from flask import Flask, abort, jsonify, request

app = Flask(__name__)


@app.route("/profile")
def profile():
    username = request.args.get("username", "")
    conn = sqlite3.connect("users.db")
    try:
        row = conn.execute(
            "SELECT id, username, email FROM users WHERE username = ?", (username,)
        ).fetchone()
    finally:
        conn.close()
    if row is None:
        abort(404)
    return jsonify({"id": row[0], "username": row[1], "email": row[2]})
