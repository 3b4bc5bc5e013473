import requests

from cloudctl import config


def get_token(username: str, password: str, project: str) -> str:
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": username, "domain": {"id": "default"}, "password": password}
                },
            },
            "scope": {"project": {"name": project, "domain": {"id": "default"}}},
        }
    }
    resp = requests.post(config.AUTH_URL + "/auth/tokens", json=body, timeout=10)
    resp.raise_for_status()
    return resp.headers["X-Subject-Token"]
