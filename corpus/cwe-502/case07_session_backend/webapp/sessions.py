import base64
import pickle
import zlib


def decode_session(blob: str) -> dict:
    return pickle.loads(zlib.decompress(base64.urlsafe_b64decode(blob)))


def encode_session(data: dict) -> str:
    return base64.urlsafe_b64encode(zlib.compress(pickle.dumps(data))).decode()
