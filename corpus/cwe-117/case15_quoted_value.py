import logging
from urllib.parse import quote

from flask import Flask, jsonify, request

from catalog.search import run_search

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.get("/search")
def search():
    term = request.args.get("q", "")
    log.info("search requested: %s", quote(term, safe=""))
    return jsonify(run_search(term))
