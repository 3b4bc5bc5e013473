import secrets

from flask import Flask, request, session

from myapp.sms import send_sms

app = Flask(__name__)


@app.post("/login/otp")
def send_otp():
    code = f"{secrets.randbelow(10**6):06d}"
    session["otp"] = code
    send_sms(request.form["phone"], f"Your login code is {code}")
    return {"sent": True}
