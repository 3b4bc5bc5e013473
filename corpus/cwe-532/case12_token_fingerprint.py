import hashlib
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
    fingerprint = hashlib.sha256(token.encode()).hexdigest()[:8]
    logger.info("obtained access token (sha256 prefix %s)", fingerprint)
    return token
