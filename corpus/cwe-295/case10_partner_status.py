import requests

STATUS_API = "https://status.partner.example.com/api/v2/summary.json"


def fetch_partner_status():
    resp = requests.get(STATUS_API, timeout=10, verify=True)
    resp.raise_for_status()
    return resp.json()["status"]["indicator"]
