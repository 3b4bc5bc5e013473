try:
    import ujson as json
except ImportError:
    import json


def dumps(obj) -> str:
    return json.dumps(obj)


def loads(text: str):
    return json.loads(text)
