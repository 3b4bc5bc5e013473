from http.server import BaseHTTPRequestHandler, HTTPServer

MAX_BODY = 1 << 20


class UploadHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        if length > MAX_BODY:
            self.send_error(413)
            return
        body = self.rfile.read(length)
        with open("/srv/inbox/latest.bin", "wb") as fh:
            fh.write(body)
        self.send_response(201)
        self.end_headers()


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8070), UploadHandler).serve_forever()
