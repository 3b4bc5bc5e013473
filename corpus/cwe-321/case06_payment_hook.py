import hashlib
import hmac

from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/hooks/payments")
def payments_hook():
    expected = hmac.new(b"whsec_5Yb9Qm2Lx8Kc", request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
        abort(403)
    return "", 204
