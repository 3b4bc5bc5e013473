import random

from flask import Flask, request, session

from myapp.sms import send_sms

app = Flask(__name__)


@app.post("/login/otp")
def send_otp():
    code = str(random.randint(100000, 999999))
    session["otp"] = code
    send_sms(request.form["phone"], f"Your login code is {code}")
    return {"sent": True}
