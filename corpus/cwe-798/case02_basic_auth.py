import requests


def trigger_deploy(app: str) -> int:
    resp = requests.post(
        f"https://ci.example.com/api/apps/{app}/deploy",
        auth=("deploy-bot", "q8Zr!vX2mLp9"),
        timeout=30,
    )
    return resp.status_code
