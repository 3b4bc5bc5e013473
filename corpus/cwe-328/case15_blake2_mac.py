import hashlib
import hmac


def sign_cookie(key: bytes, value: str) -> str:
    mac = hashlib.blake2b(value.encode(), key=key, digest_size=32).hexdigest()
    return f"{value}.{mac}"


def verify_cookie(key: bytes, cookie: str) -> str | None:
    value, _, mac = cookie.rpartition(".")
    expected = hashlib.blake2b(value.encode(), key=key, digest_size=32).hexdigest()
    return value if hmac.compare_digest(mac, expected) else None
