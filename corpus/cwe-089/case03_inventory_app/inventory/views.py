from flask import Blueprint, jsonify, request

from inventory import repository

bp = Blueprint("inventory", __name__)


@bp.get("/items")
def list_items():
    category = request.args.get("category", "all")
    rows = repository.items_in_category(category)
    return jsonify(rows)
