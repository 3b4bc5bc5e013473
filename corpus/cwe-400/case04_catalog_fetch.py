import httpx


def fetch_catalog(url: str) -> list[dict]:
    resp = httpx.get(url, timeout=None)
    resp.raise_for_status()
    return resp.json()["items"]
