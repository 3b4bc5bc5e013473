from flask import Flask
from flask import request as incoming

app = Flask(__name__)


@app.post("/webhook")
def webhook():
    selector = incoming.headers.get("X-Select", "payload")
    payload = incoming.get_json()
    selected = eval(selector, {}, {"payload": payload})
    return {"selected": selected}
