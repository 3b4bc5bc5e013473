from http.server import BaseHTTPRequestHandler, HTTPServer

from lxml import etree


class ConfigHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        data = self.rfile.read(int(self.headers["Content-Length"]))
        doc = etree.fromstring(data, etree.XMLParser(resolve_entities=True))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(etree.tostring(doc.find("settings")))


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8088), ConfigHandler).serve_forever()
