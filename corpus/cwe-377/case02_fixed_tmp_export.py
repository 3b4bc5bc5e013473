import json


def export_users(users: list[dict]) -> str:
    path = "/tmp/users_export.json"
    with open(path, "w") as fh:
        json.dump(users, fh)
    return path
