import paramiko


def run_remote(host: str, user: str, key_file: str, command: str) -> str:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, username=user, key_filename=key_file, timeout=10)
    try:
        _, stdout, _ = client.exec_command(command, timeout=60)
        return stdout.read().decode()
    finally:
        client.close()
