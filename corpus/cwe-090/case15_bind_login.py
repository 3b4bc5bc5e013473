import ldap
from ldap.dn import escape_dn_chars
from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/login")
def login():
    uid = escape_dn_chars(request.form["username"])
    conn = ldap.initialize("ldaps://ldap.example.com")
    try:
        conn.simple_bind_s(f"uid={uid},ou=people,dc=example,dc=com", request.form["password"])
    except ldap.INVALID_CREDENTIALS:
        abort(401)
    return {"ok": True}
