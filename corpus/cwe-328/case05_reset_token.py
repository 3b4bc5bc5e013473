import hashlib
import time

from flask import Flask, request, url_for

from myapp.mail import send_mail
from myapp.models import User

app = Flask(__name__)


@app.post("/password/forgot")
def forgot_password():
    user = User.query.filter_by(email=request.form["email"]).first_or_404()
    token = hashlib.sha1(f"{user.email}:{time.time()}".encode()).hexdigest()
    user.reset_token = token
    user.save()
    send_mail(user.email, "Reset", url_for("reset_password", token=token, _external=True))
    return {"sent": True}
