import telnetlib


def save_switch_config(host: str, password: str) -> bytes:
    tn = telnetlib.Telnet(host, 23, timeout=10)
    tn.read_until(b"Password: ")
    tn.write(password.encode() + b"\n")
    tn.write(b"show running-config\n")
    tn.write(b"exit\n")
    return tn.read_all()
