from flask import Blueprint, request

from notify.rendering import render_notification

bp = Blueprint("notify", __name__)


@bp.post("/notifications/test")
def test_notification():
    body = request.get_json()
    text = render_notification(body["template"], {"user": "test-user", "count": 3})
    return {"rendered": text}
