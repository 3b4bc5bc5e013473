import contextlib
import os

import psycopg2


@contextlib.contextmanager
def connection():
    conn = psycopg2.connect(os.environ["INVENTORY_DSN"])
    try:
        yield conn
    finally:
        conn.close()
