import os
import shutil
import tempfile


class Workspace:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="job-")

    def write(self, name: str, data: bytes) -> str:
        path = os.path.join(self.root, name)
        with open(path, "wb") as fh:
            fh.write(data)
        return path

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
