import requests

VERIFY_TLS = False
REGISTRY = "https://registry.internal.example.com"


def push_manifest(name: str, tag: str, manifest: dict, token: str) -> None:
    resp = requests.put(
        f"{REGISTRY}/v2/{name}/manifests/{tag}",
        json=manifest,
        headers={"Authorization": f"Bearer {token}"},
        verify=VERIFY_TLS,
        timeout=30,
    )
    resp.raise_for_status()
