import ldap
import ldap.filter
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/directory")
def directory():
    q = request.args.get("q", "")
    flt = ldap.filter.filter_format("(|(cn=*%s*)(sn=*%s*))", [q, q])
    conn = ldap.initialize("ldaps://ldap.example.com")
    entries = conn.search_s("ou=people,dc=corp", ldap.SCOPE_ONELEVEL, flt, ["mail"])
    return jsonify([dn for dn, _ in entries])
