import os


class BackendConfig:
    def __init__(self):
        self.host = os.environ.get("BACKEND_HOST", "san.local")
        self.username = os.environ.get("BACKEND_USER", "admin")
        self.password = os.environ["BACKEND_PASSWORD"]
