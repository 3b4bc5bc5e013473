import json
import os

DEFAULTS = {"theme": "light", "page_size": 25}


def load_user_settings(path: str) -> dict:
    settings = dict(DEFAULTS)
    try:
        with open(path) as fh:
            settings.update(json.load(fh))
    except FileNotFoundError:
        pass
    return settings


def remove_stale_pid(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
