import ldap
from flask import Flask, abort, request, session

app = Flask(__name__)
BASE_DN = "ou=people,dc=example,dc=com"


@app.post("/login")
def login():
    username = request.form["username"]
    conn = ldap.initialize("ldaps://ldap.example.com")
    results = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(uid=" + username + ")", ["dn"])
    if not results:
        abort(401)
    conn.simple_bind_s(results[0][0], request.form["password"])
    session["user"] = username
    return {"ok": True}
