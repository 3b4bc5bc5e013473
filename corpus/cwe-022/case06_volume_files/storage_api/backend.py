import os

SNAPSHOT_ROOT = "/var/lib/storage/snapshots"


class LocalBackend:
    root = SNAPSHOT_ROOT

    def _path(self, snapshot_id, name):
        return os.path.join(self.root, snapshot_id, name)

    def remove_file(self, snapshot_id, name):
        os.remove(self._path(snapshot_id, name))
