import os


class DiskCache:
    def __init__(self, root: str):
        self.root = root
        os.makedirs(root, mode=0o750, exist_ok=True)

    def put(self, key: str, data: bytes) -> None:
        with open(os.path.join(self.root, key), "wb") as fh:
            fh.write(data)
