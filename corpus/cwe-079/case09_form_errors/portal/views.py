from flask import Blueprint, make_response, request

from portal.html import error_box

bp = Blueprint("portal", __name__)


@bp.post("/signup")
def signup():
    email = request.form.get("email", "")
    if "@" not in email:
        resp = make_response(error_box("Invalid address: " + email), 400)
        resp.headers["Content-Type"] = "text/html"
        return resp
    return {"ok": True}
