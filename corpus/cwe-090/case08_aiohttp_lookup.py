from aiohttp import web
from ldap3 import Connection, Server

SERVER = Server("ldaps://ldap.example.com")


async def lookup(request: web.Request) -> web.Response:
    phone = request.query.get("phone", "")
    conn = Connection(SERVER, auto_bind=True)
    conn.search("dc=example,dc=com", "(telephoneNumber=" + phone + ")", attributes=["cn"])
    return web.json_response([str(e.cn) for e in conn.entries])
