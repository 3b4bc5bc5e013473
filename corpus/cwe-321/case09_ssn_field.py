import os

from cryptography.fernet import Fernet

_FERNET = Fernet(os.environ["FIELD_ENCRYPTION_KEY"])


def encrypt_ssn(ssn: str) -> bytes:
    return _FERNET.encrypt(ssn.encode())
