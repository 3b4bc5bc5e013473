from http.server import BaseHTTPRequestHandler, HTTPServer


class EvalHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        source = self.rfile.read(length).decode()
        answer = repr(eval(source))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(answer.encode())


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 9000), EvalHandler).serve_forever()
