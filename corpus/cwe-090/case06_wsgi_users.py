import ldap

from identity.api import wsgi


class UsersController(wsgi.Controller):
    def search(self, req, body):
        name = body["user"]["name"]
        conn = ldap.initialize("ldap://directory.internal")
        conn.simple_bind_s("cn=keystone,dc=example,dc=com", req.environ["ldap.password"])
        res = conn.search_s("ou=Users,dc=example,dc=com", ldap.SCOPE_ONELEVEL, f"(cn={name})")
        return {"users": [dn for dn, _ in res]}
