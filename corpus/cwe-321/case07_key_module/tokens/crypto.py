import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tokens.keys import KEY_VERSION, MASTER_KEY


def wrap(data: bytes) -> bytes:
    nonce = os.urandom(12)
    return bytes([KEY_VERSION]) + nonce + AESGCM(MASTER_KEY).encrypt(nonce, data, None)
