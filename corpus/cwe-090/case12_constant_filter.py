import ldap

GROUP_FILTER = "(&(objectClass=groupOfNames)(cn=app-*))"


def sync_groups(bind_dn: str, password: str) -> dict[str, list[str]]:
    conn = ldap.initialize("ldaps://ldap.example.com")
    conn.simple_bind_s(bind_dn, password)
    result = conn.search_s("ou=groups,dc=example,dc=com", ldap.SCOPE_SUBTREE, GROUP_FILTER)
    return {dn: [m.decode() for m in attrs.get("member", [])] for dn, attrs in result}
