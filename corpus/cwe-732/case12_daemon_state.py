import json
import os


def daemonize_and_write(state_dir: str, creds: dict) -> None:
    os.umask(0o077)
    os.makedirs(state_dir, exist_ok=True)
    with open(os.path.join(state_dir, "credentials.json"), "w") as fh:
        json.dump(creds, fh)
