from string import Template

from flask import Flask, request

app = Flask(__name__)


@app.post("/sms/preview")
def sms_preview():
    tpl = Template(request.form["message"])
    return {"text": tpl.safe_substitute(name="Ada", code="123456")}
