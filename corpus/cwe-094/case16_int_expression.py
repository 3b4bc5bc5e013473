from flask import Flask, abort, request

app = Flask(__name__)


@app.get("/quiz/check")
def check_answer():
    a = int(request.args["a"])
    b = int(request.args["b"])
    op = request.args.get("op", "+")
    if op not in ("+", "-", "*"):
        abort(400)
    expected = eval(f"{a} {op} {b}")
    return {"correct": expected == int(request.args["answer"])}
