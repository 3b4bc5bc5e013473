import httpx


class BillingClient:
    def __init__(self, base_url: str, token: str):
        self._client = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}"},
            verify=False,
            timeout=20.0,
        )

    def invoices(self, customer_id: str) -> list[dict]:
        resp = self._client.get(f"/customers/{customer_id}/invoices")
        resp.raise_for_status()
        return resp.json()["data"]
