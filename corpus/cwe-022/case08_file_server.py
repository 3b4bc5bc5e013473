from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import unquote, urlparse

DOCROOT = "/srv/www"


class FileHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        rel = unquote(urlparse(self.path).path)
        full = DOCROOT + rel
        try:
            with open(full, "rb") as fh:
                body = fh.read()
        except OSError:
            self.send_error(404)
            return
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8000), FileHandler).serve_forever()
