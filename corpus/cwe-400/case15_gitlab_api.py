import requests

TIMEOUT = (3.05, 27)


class GitLabClient:
    def __init__(self, base: str, token: str):
        self.base = base
        self.session = requests.Session()
        self.session.headers["PRIVATE-TOKEN"] = token

    def merge_requests(self, project: int) -> list[dict]:
        resp = self.session.get(
            f"{self.base}/api/v4/projects/{project}/merge_requests", timeout=TIMEOUT
        )
        resp.raise_for_status()
        return resp.json()
