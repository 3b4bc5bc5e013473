import random

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class MessageSealer:
    def __init__(self, key: bytes):
        self._aead = AESGCM(key)
        self._rng = random.Random()

    def seal(self, message: bytes) -> bytes:
        nonce = self._rng.randbytes(12)
        return nonce + self._aead.encrypt(nonce, message, None)
