import os
import socket
import stat

SOCKET_PATH = "/run/myagent/control.sock"


def open_control_socket() -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(SOCKET_PATH)
    os.chmod(SOCKET_PATH, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
    sock.listen(5)
    return sock
