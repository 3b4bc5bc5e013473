from Crypto.Cipher import AES
from Crypto.Util.Padding import pad

from vault import config


def seal(key: bytes, plaintext: bytes) -> bytes:
    cipher = AES.new(key[: config.KEY_BYTES], config.CIPHER_MODE)
    return cipher.encrypt(pad(plaintext, AES.block_size))
