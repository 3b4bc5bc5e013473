import logging

import requests

logger = logging.getLogger(__name__)


def fetch_access_token(client_id: str, client_secret: str) -> str:
    resp = requests.post(
        "https://login.example.com/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, client_secret),
        timeout=10,
    )
    token = resp.json()["access_token"]
    logger.info("obtained access token %s", token)
    return token
