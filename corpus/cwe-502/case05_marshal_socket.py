import marshal
import socketserver


class TaskHandler(socketserver.StreamRequestHandler):
    def handle(self):
        size = int.from_bytes(self.rfile.read(4), "big")
        payload = marshal.loads(self.rfile.read(size))
        result = len(payload.get("items", []))
        self.wfile.write(str(result).encode())


if __name__ == "__main__":
    with socketserver.TCPServer(("0.0.0.0", 7000), TaskHandler) as server:
        server.serve_forever()
