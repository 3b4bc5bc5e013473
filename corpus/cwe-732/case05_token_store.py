import os


def save_token(path: str, token: str) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o666)
    with os.fdopen(fd, "w") as fh:
        fh.write(token)
