import socket
import ssl


def open_tls(host: str, port: int) -> ssl.SSLSocket:
    ctx = ssl.create_default_context(cafile="/etc/ssl/certs/ca-certificates.crt")
    ctx.load_cert_chain("/etc/myapp/client.crt", "/etc/myapp/client.key")
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    sock = socket.create_connection((host, port), timeout=5)
    return ctx.wrap_socket(sock, server_hostname=host)
