from Crypto.Cipher import DES
from Crypto.Util.Padding import pad, unpad


class TokenCipher:
    def __init__(self, key: bytes):
        self._key = key[:8]

    def encrypt(self, token: str) -> bytes:
        cipher = DES.new(self._key, DES.MODE_ECB)
        return cipher.encrypt(pad(token.encode(), DES.block_size))

    def decrypt(self, blob: bytes) -> str:
        cipher = DES.new(self._key, DES.MODE_ECB)
        return unpad(cipher.decrypt(blob), DES.block_size).decode()
