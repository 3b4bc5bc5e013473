import operator

from flask import Flask, abort, request

app = Flask(__name__)
OPERATIONS = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
}


@app.get("/calc")
def calc():
    op = OPERATIONS.get(request.args.get("op", ""))
    if op is None:
        abort(400)
    a = float(request.args["a"])
    b = float(request.args["b"])
    return {"result": op(a, b)}
