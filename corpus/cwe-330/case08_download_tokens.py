import random
import time


def mint_download_token(file_id: int) -> str:
    random.seed(time.time())
    return "%d-%08x" % (file_id, random.randint(0, 2**32 - 1))
