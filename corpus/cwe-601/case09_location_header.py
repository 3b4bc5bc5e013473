from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse


class ShortLinkHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        query = parse_qs(urlparse(self.path).query)
        target = query.get("u", ["/"])[0]
        self.send_response(302)
        self.send_header("Location", target)
        self.end_headers()


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8081), ShortLinkHandler).serve_forever()
