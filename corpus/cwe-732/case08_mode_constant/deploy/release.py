import os
import shutil
import time

from deploy import constants


def stage_release(build_dir: str, releases: str) -> str:
    target = os.path.join(releases, time.strftime("%Y%m%d%H%M%S"))
    shutil.copytree(build_dir, target)
    os.chmod(target, constants.RELEASE_DIR_MODE)
    return target
