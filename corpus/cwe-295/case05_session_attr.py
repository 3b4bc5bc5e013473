import requests
import urllib3

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def make_session(user: str, password: str) -> requests.Session:
    session = requests.Session()
    session.auth = (user, password)
    session.verify = False
    session.headers["Accept"] = "application/json"
    return session


def list_vms(base: str, user: str, password: str) -> list[str]:
    s = make_session(user, password)
    return [vm["name"] for vm in s.get(base + "/api/vms", timeout=30).json()]
