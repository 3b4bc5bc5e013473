import ldap
from ldap.filter import escape_filter_chars
from flask import Flask, abort, request

app = Flask(__name__)
SEARCHABLE = {"cn", "mail", "uid", "telephoneNumber"}


@app.get("/search")
def search():
    attr = request.args.get("attr", "cn")
    if attr not in SEARCHABLE:
        abort(400)
    value = escape_filter_chars(request.args.get("value", ""))
    conn = ldap.initialize("ldaps://ldap.example.com")
    res = conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, f"({attr}={value})", ["dn"])
    return {"dns": [dn for dn, _ in res]}
