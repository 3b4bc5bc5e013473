from Crypto.Cipher import AES
from Crypto.Random import get_random_bytes

KEY = b"7f3a9c2e1b8d4f60"


def seal(data: bytes) -> bytes:
    nonce = get_random_bytes(12)
    cipher = AES.new(KEY, AES.MODE_GCM, nonce=nonce)
    ct, tag = cipher.encrypt_and_digest(data)
    return nonce + tag + ct
