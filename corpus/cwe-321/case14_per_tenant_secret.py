import hashlib
import hmac

from flask import Flask, abort, request

from hooks.models import Endpoint

app = Flask(__name__)


@app.post("/hooks/<endpoint_id>")
def hook(endpoint_id):
    endpoint = Endpoint.query.get_or_404(endpoint_id)
    expected = hmac.new(endpoint.signing_secret.encode(), request.get_data(), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), request.headers.get("X-Signature", "")):
        abort(403)
    return "", 204
