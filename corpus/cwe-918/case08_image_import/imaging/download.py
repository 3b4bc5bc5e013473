import shutil

import requests

STORE = "/var/lib/imaging/images"


class ImportTask:
    def __init__(self, name, location):
        self.name = name
        self.location = location

    def run(self):
        with requests.get(self.location, stream=True, timeout=60) as resp:
            resp.raise_for_status()
            with open(f"{STORE}/{self.name}.img", "wb") as out:
                shutil.copyfileobj(resp.raw, out)
