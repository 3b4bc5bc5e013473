from flask import Flask, abort, request

from gateway.auth import valid_shared_secret

app = Flask(__name__)


@app.before_request
def check_gateway():
    if not valid_shared_secret(request.headers.get("X-Gateway-Secret", "")):
        abort(403)
