import webob

from compute import guest_utils
from compute.api import wsgi


class ServersController(wsgi.Controller):
    @wsgi.response(200)
    def update(self, req, id, body):
        server = body["server"]
        if "hostname" in server:
            guest_utils.set_hostname(id, server["hostname"])
        if "description" in server and len(server["description"]) > 255:
            raise webob.exc.HTTPBadRequest()
        return {"server": {"id": id, "hostname": server.get("hostname")}}
