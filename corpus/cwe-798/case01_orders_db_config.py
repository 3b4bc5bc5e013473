import psycopg2

DB_HOST = "db.prod.internal"
DB_USER = "orders_app"
DB_PASSWORD = "Tr0ub4dor&3-orders"


def connect():
    return psycopg2.connect(host=DB_HOST, user=DB_USER, password=DB_PASSWORD, dbname="orders")
