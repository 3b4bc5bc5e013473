import logging

_audit = logging.getLogger("billing.audit")


def record(event, detail):
    _audit.info(f"{event}: {detail}")
