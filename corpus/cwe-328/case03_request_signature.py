import hashlib
import time
from urllib.parse import urlencode


def signed_params(params: dict, app_secret: str) -> dict:
    params = dict(params, timestamp=str(int(time.time())))
    payload = urlencode(sorted(params.items())) + app_secret
    params["sign"] = hashlib.new("md5", payload.encode()).hexdigest()
    return params
