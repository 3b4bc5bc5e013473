import requests


def call_api(method: str, path: str, token: str, **kwargs) -> requests.Response:
    return requests.request(
        method,
        "https://api.partner.example.com" + path,
        headers={"Authorization": f"Bearer {token}"},
        **kwargs,
    )
