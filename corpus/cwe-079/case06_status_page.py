from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse


class StatusHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        qs = parse_qs(urlparse(self.path).query)
        service = qs.get("service", ["all"])[0]
        page = "<html><body><h1>Status of %s</h1><p>OK</p></body></html>" % service
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(page.encode("utf-8"))


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8000), StatusHandler).serve_forever()
