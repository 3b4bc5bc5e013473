import os
import stat
from pathlib import Path


def write_db_config(path: Path, host: str, user: str, password: str) -> None:
    path.write_text(f"[client]\nhost={host}\nuser={user}\npassword={password}\n")
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
