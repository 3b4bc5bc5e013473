import os

_SHARED = os.environ["GATEWAY_SHARED_SECRET"]


def valid_shared_secret(candidate):
    return candidate == _SHARED
