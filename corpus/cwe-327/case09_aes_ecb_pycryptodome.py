from Crypto.Cipher import AES
from Crypto.Util.Padding import pad


class CardVault:
    def __init__(self, key: bytes):
        self.key = key

    def tokenize(self, pan: str) -> bytes:
        return AES.new(self.key, AES.MODE_ECB).encrypt(pad(pan.encode(), 16))
