import datetime

import jwt


def issue_token(user_id: int) -> str:
    payload = {
        "sub": str(user_id),
        "exp": datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1),
    }
    return jwt.encode(payload, "s3cr3t-jwt-signing-key-2024", algorithm="HS256")


def read_token(token: str) -> dict:
    return jwt.decode(token, "s3cr3t-jwt-signing-key-2024", algorithms=["HS256"])
