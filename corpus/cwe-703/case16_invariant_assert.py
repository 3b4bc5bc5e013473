import sqlite3


class Store:
    def __init__(self, path: str):
        self.path = path
        self._conn: sqlite3.Connection | None = None

    def open(self) -> None:
        self._conn = sqlite3.connect(self.path)

    def count(self) -> int:
        assert self._conn is not None, "open() must be called first"
        return self._conn.execute("SELECT count(*) FROM items").fetchone()[0]
