from django.http import JsonResponse
from ldap3 import ALL, Connection, Server

server = Server("ldaps://ldap.example.com", get_info=ALL)


def find_by_mail(request):
    email = request.GET.get("email", "")
    conn = Connection(server, auto_bind=True)
    conn.search(
        "dc=example,dc=com", f"(&(objectClass=person)(mail={email}))", attributes=["cn", "uid"]
    )
    return JsonResponse({"entries": [e.entry_to_json() for e in conn.entries]})
