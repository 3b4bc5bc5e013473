import hashlib
import sqlite3


def create_user(conn: sqlite3.Connection, username: str, password: str) -> None:
    digest = hashlib.md5(password.encode("utf-8")).hexdigest()
    conn.execute("INSERT INTO users (username, password_hash) VALUES (?, ?)", (username, digest))
    conn.commit()


def check_password(conn: sqlite3.Connection, username: str, password: str) -> bool:
    row = conn.execute("SELECT password_hash FROM users WHERE username = ?", (username,)).fetchone()
    return row is not None and row[0] == hashlib.md5(password.encode("utf-8")).hexdigest()
