from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.post("/orders/import")
def import_orders():
    parser = etree.XMLParser(resolve_entities=True)
    root = etree.fromstring(request.data, parser)
    return {"orders": [o.findtext("id") for o in root.iter("order")]}
