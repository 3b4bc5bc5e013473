import webob.exc

from storage_api import backend
from storage_api.api import wsgi


class SnapshotFilesController(wsgi.Controller):
    def delete(self, req, id, body):
        name = body.get("file", {}).get("name")
        if not name:
            raise webob.exc.HTTPBadRequest(explanation="file name required")
        backend.LocalBackend().remove_file(id, name)
        return webob.Response(status_int=202)
