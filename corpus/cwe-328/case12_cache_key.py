import hashlib
import json
import os

import requests

CACHE_DIR = os.path.expanduser("~/.cache/weather")


def cached_get(url: str) -> dict:
    key = hashlib.md5(url.encode()).hexdigest()
    path = os.path.join(CACHE_DIR, key + ".json")
    if os.path.exists(path):
        with open(path) as fh:
            return json.load(fh)
    data = requests.get(url, timeout=10).json()
    os.makedirs(CACHE_DIR, exist_ok=True)
    with open(path, "w") as fh:
        json.dump(data, fh)
    return data
