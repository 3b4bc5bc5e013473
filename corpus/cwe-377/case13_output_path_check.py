import os

SHARED_DIRS = ("/tmp/", "/var/tmp/", "/dev/shm/")


def validate_output_path(path: str) -> str:
    real = os.path.realpath(path)
    if real.startswith(SHARED_DIRS):
        raise ValueError("refusing to write into a world-writable directory")
    return real
