from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class ISCSIConnector:
    def connect_volume(self, connection_info):
        props = {
            "target_portal": connection_info["target_portal"],
            "target_iqn": connection_info["target_iqn"],
            "auth_username": connection_info.get("auth_username"),
            "auth_password": connection_info.get("auth_password"),
        }
        LOG.debug("Connecting volume with properties %s", props)
        return self._login(props)

    def _login(self, props):
        return {"path": f"/dev/disk/by-path/ip-{props['target_portal']}-iscsi-{props['target_iqn']}"}
