from flask import Flask, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)


@app.post("/account/email")
@csrf.exempt
@login_required
def change_email():
    current_user.email = request.form["email"]
    current_user.save()
    return redirect(url_for("account"))
