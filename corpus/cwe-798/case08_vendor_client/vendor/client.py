import hashlib
import hmac
import time

import requests

from vendor.credentials import API_KEY_ID, API_SECRET


def signed_get(path: str) -> dict:
    ts = str(int(time.time()))
    sig = hmac.new(API_SECRET.encode(), (ts + path).encode(), hashlib.sha256).hexdigest()
    headers = {"X-Key-Id": API_KEY_ID, "X-Timestamp": ts, "X-Signature": sig}
    return requests.get("https://api.vendor.example.com" + path, headers=headers, timeout=10).json()
