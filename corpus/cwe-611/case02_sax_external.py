import xml.sax
from xml.sax.handler import feature_external_ges

from django.http import JsonResponse


class TitleHandler(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.titles, self._in_title, self._buf = [], False, []

    def startElement(self, name, attrs):
        self._in_title = name == "title"

    def characters(self, content):
        if self._in_title:
            self._buf.append(content)

    def endElement(self, name):
        if name == "title":
            self.titles.append("".join(self._buf))
            self._buf, self._in_title = [], False


def import_feed(request):
    handler = TitleHandler()
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.setContentHandler(handler)
    parser.parse(request.FILES["feed"])
    return JsonResponse({"titles": handler.titles})
