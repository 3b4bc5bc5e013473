import hashlib
import hmac
import logging

LOG = logging.getLogger(__name__)


def verify_metadata_request(instance_id: str, provided: str, shared_secret: bytes) -> bool:
    expected = hmac.new(shared_secret, instance_id.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, provided):
        LOG.warning(
            "X-Instance-ID-Signature %s does not match the expected value %s for id %s",
            provided,
            expected,
            instance_id,
        )
        return False
    return True
