import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def write_keypair(directory: str) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    priv = os.path.join(directory, "id_rsa")
    with open(priv, "wb") as fh:
        fh.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    os.chmod(priv, 0o644)
