import requests
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/weather/<city>")
def weather(city):
    resp = requests.get(
        "https://api.weather.example.com/v1/current", params={"q": city}, timeout=(3.05, 10)
    )
    return jsonify(resp.json())
