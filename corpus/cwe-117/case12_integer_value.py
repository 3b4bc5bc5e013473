import logging

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.post("/orders/<order_id>/ship")
def ship(order_id):
    oid = int(order_id)
    carrier_count = len(request.get_json().get("parcels", []))
    log.info("order %d shipped in %d parcels", oid, carrier_count)
    return {"shipped": oid}
