import hmac
import os

_SHARED = os.environ["GATEWAY_SHARED_SECRET"]


def check_token(candidate: str) -> bool:
    return hmac.compare_digest(candidate.encode(), _SHARED.encode())


def is_internal(request_headers: dict) -> bool:
    return check_token(request_headers.get("X-Gateway-Secret", ""))
