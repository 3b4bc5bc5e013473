import paramiko


class BackupTarget:
    CONFIG = {
        "hostname": "nas01.internal",
        "username": "backup",
        "password": "nas-B4ckup-7731",
    }

    def connect(self) -> paramiko.SFTPClient:
        transport = paramiko.Transport((self.CONFIG["hostname"], 22))
        transport.connect(username=self.CONFIG["username"], password=self.CONFIG["password"])
        return paramiko.SFTPClient.from_transport(transport)
