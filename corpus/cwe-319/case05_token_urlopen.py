import json
import urllib.request

METADATA_API = "http://config.internal.example.com/api/v1/secrets"


def load_secrets(token: str) -> dict:
    req = urllib.request.Request(METADATA_API, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)
