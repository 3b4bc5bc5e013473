import requests

from inventory import settings


def hosts_in_group(group: str) -> list[str]:
    resp = requests.get(
        f"{settings.INVENTORY_URL}/api/groups/{group}/hosts",
        verify=not settings.INSECURE_SKIP_VERIFY,
        timeout=15,
    )
    resp.raise_for_status()
    return [h["fqdn"] for h in resp.json()]
