import sqlite3

from flask import Blueprint, jsonify, request

bp = Blueprint("admin_reports", __name__)
DB = "/srv/app/app.db"


@bp.get("/admin/reports/users")
def user_count():
    with sqlite3.connect(DB) as conn:
        total = conn.execute("SELECT count(*) FROM users").fetchone()[0]
    return jsonify({"users": total})


@bp.get("/admin/reports/orders")
def orders_for_user():
    user_id = request.args.get("user_id", "")
    with sqlite3.connect(DB) as conn:
        rows = conn.execute("SELECT id, total FROM orders WHERE user_id = ?", (user_id,)).fetchall()
    return jsonify(rows)


@bp.post("/admin/reports/export")
def export_table():
    table = request.form["table"]
    with sqlite3.connect(DB) as conn:
        rows = conn.execute("SELECT * FROM " + table + " LIMIT 1000").fetchall()
    return jsonify(rows)
