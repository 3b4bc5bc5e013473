import sqlite3 as lite

from flask import Flask
from flask import request as rq

app = Flask(__name__)


@app.post("/notes/by-tag")
def notes_by_tag():
    payload = rq.get_json(force=True)
    tag = payload["tag"]
    conn = lite.connect("notes.db")
    query = "SELECT id, title FROM notes WHERE tags LIKE '%%" + tag + "%%'"
    rows = conn.execute(query).fetchall()
    conn.close()
    return {"notes": [{"id": r[0], "title": r[1]} for r in rows]}
