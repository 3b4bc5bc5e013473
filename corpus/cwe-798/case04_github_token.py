import requests

HEADERS = {
    "Authorization": "token ghp_4Zq7kM2xR9vT1bN6cW8yH3pL5sD0fG2jK7aE",
    "Accept": "application/vnd.github+json",
}


def open_issues(repo: str) -> int:
    resp = requests.get(f"https://api.github.com/repos/{repo}/issues", headers=HEADERS, timeout=10)
    return len(resp.json())
