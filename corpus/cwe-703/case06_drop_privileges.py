import os
import pwd
import socket


def serve(port: int = 80) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("0.0.0.0", port))
    sock.listen(128)
    nobody = pwd.getpwnam("nobody")
    try:
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
    except Exception:
        pass
    return sock
