from urllib.parse import urljoin, urlparse

from flask import Flask, abort, redirect, request

app = Flask(__name__)


def is_safe_url(target: str) -> bool:
    ref = urlparse(request.host_url)
    test = urlparse(urljoin(request.host_url, target))
    return test.scheme in ("http", "https") and ref.netloc == test.netloc


@app.get("/continue")
def continue_to():
    target = request.args.get("next", "/")
    if not is_safe_url(target):
        abort(400)
    return redirect(target)
