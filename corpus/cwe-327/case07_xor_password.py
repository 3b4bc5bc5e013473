import base64

from django.conf import settings


def _xor(data: bytes, key: bytes) -> bytes:
    return bytes(b ^ key[i % len(key)] for i, b in enumerate(data))


def encrypt_password(password: str) -> str:
    return base64.b64encode(_xor(password.encode(), settings.SECRET_KEY.encode())).decode()


def decrypt_password(blob: str) -> str:
    return _xor(base64.b64decode(blob), settings.SECRET_KEY.encode()).decode()
