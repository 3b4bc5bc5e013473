import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def encrypt_field(key: bytes, value: str, aad: bytes = b"") -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, value.encode(), aad)


def decrypt_field(key: bytes, blob: bytes, aad: bytes = b"") -> str:
    return AESGCM(key).decrypt(blob[:12], blob[12:], aad).decode()
