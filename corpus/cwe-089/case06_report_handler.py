import json
import sqlite3
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse


class ReportHandler(BaseHTTPRequestHandler):
    db_path = "reports.db"

    def do_GET(self):
        params = parse_qs(urlparse(self.path).query)
        self.filters = {"region": params.get("region", ["emea"])[0]}
        body = json.dumps(self.load_rows()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def load_rows(self):
        region = self.filters["region"]
        conn = sqlite3.connect(self.db_path)
        try:
            sql = "SELECT month, revenue FROM sales WHERE region = '%s'" % region
            return conn.execute(sql).fetchall()
        finally:
            conn.close()


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8080), ReportHandler).serve_forever()
