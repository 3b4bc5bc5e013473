from flask import request


def get_redirect_target():
    for target in (request.values.get("next"), request.referrer):
        if target:
            return target
    return None
