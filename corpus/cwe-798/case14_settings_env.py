import os

API_TOKEN = os.environ.get("API_TOKEN")
CLIENT_SECRET = os.getenv("OAUTH_CLIENT_SECRET", "")
TOKEN_URL = "https://login.example.com/oauth2/token"
SECRET_ROTATION_DAYS = 90


def oauth_config() -> dict:
    if not API_TOKEN or not CLIENT_SECRET:
        raise RuntimeError("OAuth settings missing")
    return {"token_url": TOKEN_URL, "client_secret": CLIENT_SECRET}
