import ldap
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/directory")
def directory():
    q = request.args.get("q", "")
    conn = ldap.initialize("ldap://ldap.internal:389")
    conn.start_tls_s()
    flt = "(|(cn=*%s*)(sn=*%s*))" % (q, q)
    entries = conn.search_s("ou=people,dc=corp", ldap.SCOPE_ONELEVEL, flt, ["cn", "mail"])
    return jsonify([attrs["mail"][0].decode() for _, attrs in entries if "mail" in attrs])
