from oslo_log import log as logging

from compute.api import wsgi

LOG = logging.getLogger(__name__)


class KeypairsController(wsgi.Controller):
    def delete(self, req, id):
        client_ref = req.headers.get("X-Client-Ref", "")
        LOG.info("Deleting keypair %(id)s for client %(ref)s" % {"id": id, "ref": client_ref})
        req.environ["compute.context"].keypairs.delete(id)
        return None
