import sqlite3
import time


class SessionDB:
    def __init__(self):
        self.conn = sqlite3.connect("/tmp/webapp-sessions.db")
        self.conn.execute("CREATE TABLE IF NOT EXISTS s (sid TEXT PRIMARY KEY, uid INT, ts REAL)")

    def put(self, sid: str, uid: int) -> None:
        self.conn.execute("INSERT OR REPLACE INTO s VALUES (?, ?, ?)", (sid, uid, time.time()))
        self.conn.commit()
