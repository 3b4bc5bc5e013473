import random
import string

_sysrand = random.SystemRandom()
ALPHABET = string.ascii_letters + string.digits + "!@#$%^&*"


def temporary_password(length: int = 16) -> str:
    return "".join(_sysrand.choice(ALPHABET) for _ in range(length))
