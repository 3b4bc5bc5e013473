import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


class StreamEncryptor:
    def __init__(self, key: bytes, mac_key: bytes):
        self.key = key
        self.mac_key = mac_key

    def encrypt(self, chunk: bytes) -> bytes:
        nonce = os.urandom(16)
        enc = Cipher(algorithms.AES(self.key), modes.CTR(nonce)).encryptor()
        body = nonce + enc.update(chunk) + enc.finalize()
        return body + hmac.digest(self.mac_key, body, hashlib.sha256)
