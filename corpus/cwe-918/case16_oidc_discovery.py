import os

import requests

ISSUER = os.environ.get("OIDC_ISSUER", "https://login.example.com")


def jwks() -> dict:
    config = requests.get(f"{ISSUER}/.well-known/openid-configuration", timeout=5).json()
    return requests.get(config["jwks_uri"], timeout=5).json()
