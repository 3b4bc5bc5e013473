from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/api/echo")
def echo():
    message = request.args.get("message", "")
    return jsonify({"message": message, "length": len(message)})
