import os

import hvac


def smtp_credentials() -> tuple[str, str]:
    client = hvac.Client(url=os.environ["VAULT_ADDR"], token=os.environ["VAULT_TOKEN"])
    secret = client.secrets.kv.v2.read_secret_version(path="smtp/alerts")
    data = secret["data"]["data"]
    return data["username"], data["password"]
