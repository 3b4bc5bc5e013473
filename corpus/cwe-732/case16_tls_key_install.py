import os
import shutil


def install_tls_key(src: str, dest: str, group: str) -> None:
    shutil.copyfile(src, dest)
    shutil.chown(dest, user="root", group=group)
    os.chmod(dest, 0o440)
