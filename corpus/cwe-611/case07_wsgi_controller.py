import webob.exc
from lxml import etree

from volume.api import wsgi


class VolumeMetadataController(wsgi.Controller):
    def create(self, req, volume_id, body=None):
        parser = etree.XMLParser(resolve_entities=True, huge_tree=True)
        try:
            root = etree.fromstring(req.body, parser)
        except etree.XMLSyntaxError:
            raise webob.exc.HTTPBadRequest()
        meta = {m.get("key"): m.text for m in root.findall("meta")}
        return {"metadata": meta}
