import logging

from storage.config import BackendConfig

LOG = logging.getLogger(__name__)


class SanDriver:
    def __init__(self):
        self.config = BackendConfig()
        LOG.debug("initialising SAN driver with %s", vars(self.config))
