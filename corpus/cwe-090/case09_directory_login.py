import ldap
from ldap.filter import escape_filter_chars
from flask import Flask, abort, request

app = Flask(__name__)
BASE_DN = "ou=people,dc=example,dc=com"


@app.post("/login")
def login():
    username = request.form["username"]
    conn = ldap.initialize("ldaps://ldap.example.com")
    flt = "(uid=%s)" % escape_filter_chars(username)
    results = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, flt, ["dn"])
    if not results:
        abort(401)
    conn.simple_bind_s(results[0][0], request.form["password"])
    return {"ok": True}
