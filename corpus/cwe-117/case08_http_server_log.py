import logging
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

logging.basicConfig(filename="/var/log/tracker.log", level=logging.INFO)


class TrackHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        campaign = parse_qs(urlparse(self.path).query).get("c", [""])[0]
        logging.info("click campaign=" + campaign)
        self.send_response(204)
        self.end_headers()


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8090), TrackHandler).serve_forever()
