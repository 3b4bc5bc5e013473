import ldap
from django.http import JsonResponse

from idm.filters import member_filter


def group_members(request):
    conn = ldap.initialize("ldaps://ldap.example.com")
    result = conn.search_s(
        "ou=groups,dc=example,dc=com", ldap.SCOPE_SUBTREE, member_filter(request.GET["group"])
    )
    members = [m.decode() for _, attrs in result for m in attrs.get("member", [])]
    return JsonResponse({"members": members})
