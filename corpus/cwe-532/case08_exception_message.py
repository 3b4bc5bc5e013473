import psycopg2


def connect(host: str, user: str, password: str):
    try:
        return psycopg2.connect(host=host, user=user, password=password, connect_timeout=5)
    except psycopg2.OperationalError as exc:
        raise RuntimeError(f"cannot connect to {host} as {user} with password {password}: {exc}")
