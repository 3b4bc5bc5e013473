import os

from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305


class SecureChannel:
    def __init__(self, key: bytes):
        self._aead = ChaCha20Poly1305(key)

    def wrap(self, message: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, message, None)

    def unwrap(self, frame: bytes) -> bytes:
        return self._aead.decrypt(frame[:12], frame[12:], None)
