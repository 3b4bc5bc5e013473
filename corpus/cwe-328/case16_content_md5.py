import base64
import hashlib

import requests


def put_object(url: str, data: bytes, auth_headers: dict) -> int:
    content_md5 = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
    headers = dict(auth_headers)
    headers["Content-MD5"] = content_md5
    headers["x-amz-content-sha256"] = hashlib.sha256(data).hexdigest()
    return requests.put(url, data=data, headers=headers, timeout=60).status_code
