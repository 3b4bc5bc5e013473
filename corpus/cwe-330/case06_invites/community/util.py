import random
import string


def random_string(length: int = 12) -> str:
    return "".join(random.choices(string.ascii_uppercase + string.digits, k=length))
