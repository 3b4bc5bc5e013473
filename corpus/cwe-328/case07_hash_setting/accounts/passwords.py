import hashlib
import hmac

from accounts import settings


def hash_password(password: str, salt: bytes) -> str:
    h = hashlib.new(settings.PASSWORD_DIGEST)
    h.update(salt + password.encode())
    return h.hexdigest()


def verify(password: str, salt: bytes, expected: str) -> bool:
    return hmac.compare_digest(hash_password(password, salt), expected)
