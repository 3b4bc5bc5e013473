import logging
import os

LOG = logging.getLogger(__name__)


def load_settings() -> dict:
    settings = {
        "db_host": os.environ.get("DB_HOST", "localhost"),
        "db_password": os.environ["DB_PASSWORD"],
        "api_token": os.environ["API_TOKEN"],
    }
    LOG.info("loaded settings: %s", ", ".join(sorted(settings)))
    return settings
