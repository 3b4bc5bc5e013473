import json

from agent import config


def save_state(state: dict) -> None:
    with open(config.STATE_FILE, "w") as fh:
        json.dump(state, fh)


def load_state() -> dict:
    try:
        with open(config.STATE_FILE) as fh:
            return json.load(fh)
    except FileNotFoundError:
        return {}
