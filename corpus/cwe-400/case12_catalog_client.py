import httpx

CLIENT = httpx.Client(base_url="https://catalog.example.com", timeout=httpx.Timeout(10.0))


def fetch_catalog(page: int = 1) -> list[dict]:
    resp = CLIENT.get("/v1/items", params={"page": page})
    resp.raise_for_status()
    return resp.json()["items"]
