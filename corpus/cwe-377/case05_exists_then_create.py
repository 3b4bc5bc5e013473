import os

LOCK = "/tmp/nightly-sync.lock"


def acquire() -> bool:
    if os.path.exists(LOCK):
        return False
    with open(LOCK, "w") as fh:
        fh.write(str(os.getpid()))
    return True


def release() -> None:
    os.unlink(LOCK)
