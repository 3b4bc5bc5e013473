import os
import zipfile


def install_plugin(archive_path, plugins_dir):
    with zipfile.ZipFile(archive_path) as zf:
        for member in zf.namelist():
            if member.endswith("/"):
                continue
            target = os.path.join(plugins_dir, member)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(zf.read(member))
