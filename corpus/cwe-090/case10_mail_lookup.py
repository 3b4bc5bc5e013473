from django.http import JsonResponse
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars

server = Server("ldaps://ldap.example.com")


def find_by_mail(request):
    email = escape_filter_chars(request.GET.get("email", ""))
    conn = Connection(server, auto_bind=True)
    conn.search("dc=example,dc=com", f"(&(objectClass=person)(mail={email}))", attributes=["cn"])
    return JsonResponse({"entries": [e.entry_to_json() for e in conn.entries]})
