from oslo_log import log as logging

LOG = logging.getLogger(__name__)
SENSITIVE = {"auth_password", "auth_username"}


def mask(props: dict) -> dict:
    return {k: ("***" if k in SENSITIVE else v) for k, v in props.items()}


class ISCSIConnector:
    def connect_volume(self, connection_info):
        props = {
            "target_portal": connection_info["target_portal"],
            "target_iqn": connection_info["target_iqn"],
            "auth_password": connection_info.get("auth_password"),
        }
        LOG.debug("Connecting volume with properties %s", mask(props))
        return props["target_portal"]
