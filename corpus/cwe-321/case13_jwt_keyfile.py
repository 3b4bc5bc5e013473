import datetime
from pathlib import Path

import jwt

PRIVATE_KEY = Path("/run/secrets/jwt_private.pem").read_text()


def issue_token(user_id: int) -> str:
    payload = {
        "sub": str(user_id),
        "exp": datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1),
    }
    return jwt.encode(payload, PRIVATE_KEY, algorithm="RS256")
