from Crypto.Cipher import AES

CIPHER_MODE = AES.MODE_ECB
KEY_BYTES = 32
