import os

from cryptography.fernet import Fernet

KEY_FILE = "/etc/myapp/field.key"


def provision_key() -> None:
    fd = os.open(KEY_FILE, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(Fernet.generate_key())


def load_fernet() -> Fernet:
    with open(KEY_FILE, "rb") as fh:
        return Fernet(fh.read())
