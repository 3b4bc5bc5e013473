MASTER_KEY = bytes.fromhex("9a1c5e7f3b2d4c6e8a0b1d3f5e7c9a2b4d6f8e0a1c3b5d7f9e2a4c6b8d0f1e3a")
KEY_VERSION = 3
