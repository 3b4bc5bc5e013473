from defusedxml import ElementTree as SafeET
from flask import Flask, request

app = Flask(__name__)


@app.post("/orders/import")
def import_orders():
    root = SafeET.fromstring(request.data)
    return {"orders": [o.findtext("id") for o in root.iter("order")]}
