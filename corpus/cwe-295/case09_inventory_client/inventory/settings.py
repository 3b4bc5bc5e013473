import os

INVENTORY_URL = os.environ.get("INVENTORY_URL", "https://cmdb.example.com")
INSECURE_SKIP_VERIFY = True
