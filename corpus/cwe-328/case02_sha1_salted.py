import hashlib
import os


class PasswordHasher:
    def hash(self, password: str) -> str:
        salt = os.urandom(8).hex()
        return salt + "$" + hashlib.sha1((salt + password).encode()).hexdigest()

    def verify(self, password: str, stored: str) -> bool:
        salt, digest = stored.split("$", 1)
        return hashlib.sha1((salt + password).encode()).hexdigest() == digest
