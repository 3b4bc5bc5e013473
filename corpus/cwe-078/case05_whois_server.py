import subprocess
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote


class WhoisHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        domain = unquote(self.path.lstrip("/"))
        proc = subprocess.Popen(
            "whois %s" % domain, shell=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        out, _ = proc.communicate(timeout=15)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(out)


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", 8043), WhoisHandler).serve_forever()
