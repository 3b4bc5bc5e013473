import requests

GATEWAY = "http://api.payments-gateway.example.com/v1/charges"


def charge(card_number: str, expiry: str, cvc: str, amount_cents: int) -> str:
    resp = requests.post(
        GATEWAY,
        json={"card": card_number, "exp": expiry, "cvc": cvc, "amount": amount_cents},
        timeout=15,
    )
    resp.raise_for_status()
    return resp.json()["charge_id"]
