from fastapi import FastAPI
from ldap3 import Connection, Server

app = FastAPI()
SERVER = Server("ldaps://ldap.example.com")


@app.get("/users/{uid}/groups")
def user_groups(uid: str):
    with Connection(SERVER, auto_bind=True) as conn:
        conn.search("ou=groups,dc=example,dc=com", "(memberUid=%s)" % uid, attributes=["cn"])
        return [str(e.cn) for e in conn.entries]
