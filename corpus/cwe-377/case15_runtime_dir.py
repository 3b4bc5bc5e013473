import os


def acquire_lock(name: str) -> int:
    runtime = os.environ.get("XDG_RUNTIME_DIR") or os.path.expanduser("~/.local/run")
    os.makedirs(runtime, mode=0o700, exist_ok=True)
    path = os.path.join(runtime, name + ".lock")
    return os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
