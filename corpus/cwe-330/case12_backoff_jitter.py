import random
import time

import requests


def get_with_retries(url: str, attempts: int = 5) -> requests.Response:
    for attempt in range(attempts):
        try:
            return requests.get(url, timeout=10)
        except requests.ConnectionError:
            delay = min(30.0, 2**attempt) + random.uniform(0, 1)
            time.sleep(delay)
    raise RuntimeError(f"giving up on {url}")
