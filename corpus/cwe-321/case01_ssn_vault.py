from cryptography.fernet import Fernet

_FERNET = Fernet(b"q3P0mT9rJ2vXc8Lk1Zs7Wd4Yb6Nh5Ga0Ue3Rf2Ti9Oo=")


def encrypt_ssn(ssn: str) -> bytes:
    return _FERNET.encrypt(ssn.encode())


def decrypt_ssn(token: bytes) -> str:
    return _FERNET.decrypt(token).decode()
