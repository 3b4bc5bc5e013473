from flask import Blueprint, redirect, request, session

from shop.helpers import get_redirect_target

bp = Blueprint("cart", __name__)


@bp.post("/cart/add")
def add_to_cart():
    session.setdefault("cart", []).append(request.form["sku"])
    return redirect(get_redirect_target() or "/cart")
