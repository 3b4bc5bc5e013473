from flask import Flask, render_template, session

from myapp.models import Order

app = Flask(__name__)


@app.route("/orders", methods=["GET"])
def orders():
    rows = Order.query.filter_by(user_id=session["uid"]).order_by(Order.created.desc()).all()
    return render_template("orders.html", orders=rows)
