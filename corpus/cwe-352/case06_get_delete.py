from flask import Flask, redirect, session

from myapp.models import User

app = Flask(__name__)


@app.route("/account/delete", methods=["GET"])
def delete_account():
    user = User.query.get_or_404(session["uid"])
    user.delete()
    session.clear()
    return redirect("/")
