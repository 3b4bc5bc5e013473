from pathlib import Path

import redis

SECRET_FILE = Path("/run/secrets/redis_password")


def redis_client() -> redis.Redis:
    password = SECRET_FILE.read_text().strip()
    return redis.Redis(host="redis", port=6379, password=password, ssl=True)
