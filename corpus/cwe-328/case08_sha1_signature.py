from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def sign_license(private_pem: bytes, license_blob: bytes) -> bytes:
    key = serialization.load_pem_private_key(private_pem, password=None)
    return key.sign(license_blob, padding.PKCS1v15(), hashes.SHA1())
