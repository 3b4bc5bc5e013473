from flask import Blueprint, jsonify, request

from exporter.queries import fetch_accounts

bp = Blueprint("export", __name__)


@bp.post("/export")
def export_accounts():
    ids = [str(i) for i in request.get_json()["account_ids"]]
    return jsonify(fetch_accounts(ids))
