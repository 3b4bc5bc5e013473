from fastapi import FastAPI
from ldap3 import Connection, Server

app = FastAPI()
SERVER = Server("ldaps://ldap.example.com")


@app.get("/employees/{number}")
def employee(number: int):
    with Connection(SERVER, auto_bind=True) as conn:
        conn.search("dc=example,dc=com", f"(employeeNumber={int(number)})", attributes=["cn"])
        return [str(e.cn) for e in conn.entries]
