import os
import subprocess
import tempfile


def build_wheel(project_dir: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="build-") as out:
        subprocess.run(["python", "-m", "pip", "wheel", "--no-deps", "-w", out, project_dir], check=True)
        wheel = next(name for name in os.listdir(out) if name.endswith(".whl"))
        with open(os.path.join(out, wheel), "rb") as fh:
            return fh.read()
