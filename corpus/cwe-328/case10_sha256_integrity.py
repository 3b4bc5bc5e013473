import hashlib
import hmac
import urllib.request

RELEASE = "https://downloads.example.com/agent/agent-2.4.1.tar.gz"


def download_agent(expected_sha256: str, dest: str) -> None:
    with urllib.request.urlopen(RELEASE, timeout=60) as resp:
        data = resp.read()
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), expected_sha256):
        raise RuntimeError("checksum mismatch")
    with open(dest, "wb") as fh:
        fh.write(data)
