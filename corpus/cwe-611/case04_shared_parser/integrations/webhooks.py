from flask import Blueprint, request

from integrations.parsers import parse_document

bp = Blueprint("webhooks", __name__)


@bp.post("/webhooks/partner")
def partner_webhook():
    doc = parse_document(request.get_data())
    return {"event": doc.get("type"), "id": doc.findtext("id")}
