import requests

CONSUL_AGENT = "http://127.0.0.1:8500"


def register_service(name: str, port: int) -> None:
    resp = requests.put(
        f"{CONSUL_AGENT}/v1/agent/service/register",
        json={"Name": name, "Port": port, "Check": {"TTL": "15s"}},
        timeout=5,
    )
    resp.raise_for_status()
