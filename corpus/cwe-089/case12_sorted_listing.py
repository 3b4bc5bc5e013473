import sqlite3

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
SORTABLE = {"name", "created", "price"}


@app.get("/products")
def products():
    sort = request.args.get("sort", "name")
    if sort not in SORTABLE:
        abort(400)
    direction = "DESC" if request.args.get("desc") == "1" else "ASC"
    conn = sqlite3.connect("catalog.db")
    rows = conn.execute(
        f"SELECT id, name, price FROM products ORDER BY {sort} {direction}"
    ).fetchall()
    conn.close()
    return jsonify(rows)
