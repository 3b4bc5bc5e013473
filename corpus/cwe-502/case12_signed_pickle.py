import hashlib
import hmac
import os
import pickle

SECRET = os.environ["CACHE_SIGNING_KEY"].encode()


class SignatureError(Exception):
    pass


def dumps(obj) -> bytes:
    data = pickle.dumps(obj)
    return hmac.new(SECRET, data, hashlib.sha256).digest() + data


def loads(blob: bytes):
    mac, data = blob[:32], blob[32:]
    if not hmac.compare_digest(mac, hmac.new(SECRET, data, hashlib.sha256).digest()):
        raise SignatureError("bad signature")
    return pickle.loads(data)
