import pickle
from http.server import BaseHTTPRequestHandler, HTTPServer


class RpcHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        call = pickle.load(self.rfile)
        result = getattr(self.server.service, call["method"])(*call["args"])
        self.send_response(200)
        self.end_headers()
        self.wfile.write(repr(result).encode())


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", 8765), RpcHandler).serve_forever()
