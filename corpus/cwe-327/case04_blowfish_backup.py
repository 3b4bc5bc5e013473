import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_backup(data: bytes, key: bytes) -> bytes:
    iv = os.urandom(8)
    cipher = Cipher(algorithms.Blowfish(key), modes.CBC(iv))
    enc = cipher.encryptor()
    pad_len = 8 - len(data) % 8
    return iv + enc.update(data + bytes([pad_len]) * pad_len) + enc.finalize()
