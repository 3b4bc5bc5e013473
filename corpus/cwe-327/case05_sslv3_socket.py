import socket
import ssl


def legacy_connect(host: str, port: int) -> ssl.SSLSocket:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    ctx.load_verify_locations("/etc/ssl/certs/ca-certificates.crt")
    ctx.verify_mode = ssl.CERT_REQUIRED
    sock = socket.create_connection((host, port), timeout=10)
    return ctx.wrap_socket(sock, server_hostname=host)
