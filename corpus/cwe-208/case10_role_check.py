from flask import Flask, abort, g, request

app = Flask(__name__)


@app.route("/admin/users", methods=["GET", "POST"])
def admin_users():
    if g.user.role != "admin":
        abort(403)
    if request.method == "POST":
        return {"created": True}, 201
    return {"users": []}
