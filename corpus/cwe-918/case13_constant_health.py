import requests

DEPENDENCIES = {
    "billing": "https://billing.internal.example.com/healthz",
    "search": "https://search.internal.example.com/healthz",
}


def check_dependencies() -> dict[str, bool]:
    status = {}
    for name, url in DEPENDENCIES.items():
        try:
            status[name] = requests.get(url, timeout=2).ok
        except requests.RequestException:
            status[name] = False
    return status
