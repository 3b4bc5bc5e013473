import json

import requests
from flask import Flask, request

app = Flask(__name__)
SUBSCRIPTIONS = []


class Subscription:
    def __init__(self, url, events):
        self.url = url
        self.events = set(events)

    def deliver(self, event, payload):
        if event in self.events:
            requests.post(self.url, data=json.dumps(payload), timeout=5)


@app.post("/subscriptions")
def subscribe():
    body = request.get_json()
    sub = Subscription(body["url"], body.get("events", ["*"]))
    SUBSCRIPTIONS.append(sub)
    sub.deliver("*", {"hello": True})
    return {"subscribed": True}, 201
