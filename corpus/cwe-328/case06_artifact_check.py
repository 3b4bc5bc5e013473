import hashlib
import urllib.request

RELEASE = "https://downloads.example.com/agent/agent-2.4.1.tar.gz"


def download_agent(expected_sha1: str, dest: str) -> None:
    with urllib.request.urlopen(RELEASE, timeout=60) as resp:
        data = resp.read()
    if hashlib.sha1(data).hexdigest() != expected_sha1:
        raise RuntimeError("checksum mismatch")
    with open(dest, "wb") as fh:
        fh.write(data)
