from http.server import BaseHTTPRequestHandler, HTTPServer


class UploadHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        with open("/srv/inbox/latest.bin", "wb") as fh:
            fh.write(body)
        self.send_response(201)
        self.end_headers()


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8070), UploadHandler).serve_forever()
