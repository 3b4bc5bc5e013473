import ldap
from ldap.filter import escape_filter_chars
from flask import Flask, request

app = Flask(__name__)


@app.get("/staff")
def staff():
    name = escape_filter_chars(request.args.get("name", ""))
    dept = request.args.get("department", "*")
    flt = f"(&(cn={name}*)(departmentNumber={dept}))"
    conn = ldap.initialize("ldaps://ldap.example.com")
    return {"dns": [dn for dn, _ in conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, flt)]}
