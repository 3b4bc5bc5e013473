import psycopg2
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/feed")
def feed():
    limit = min(int(request.args.get("limit", 20)), 100)
    offset = int(request.args.get("offset", 0))
    conn = psycopg2.connect("dbname=feed")
    with conn.cursor() as cur:
        cur.execute(
            "SELECT id, title, published FROM posts ORDER BY published DESC "
            "LIMIT %d OFFSET %d" % (limit, offset)
        )
        rows = cur.fetchall()
    conn.close()
    return jsonify(rows)
