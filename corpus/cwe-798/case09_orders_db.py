import os

import psycopg2

DB_HOST = os.environ.get("DB_HOST", "localhost")
DB_USER = os.environ.get("DB_USER", "orders_app")
DB_PASSWORD = os.environ["DB_PASSWORD"]


def connect():
    return psycopg2.connect(host=DB_HOST, user=DB_USER, password=DB_PASSWORD, dbname="orders")
