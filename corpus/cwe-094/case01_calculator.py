from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/calc")
def calc():
    expression = request.args.get("expr", "0")
    result = eval(expression)
    return jsonify({"expr": expression, "result": result})
