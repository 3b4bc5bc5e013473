import os
import subprocess
import tempfile


def render_diagram(dot_source: str) -> bytes:
    fd, path = tempfile.mkstemp(suffix=".dot")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(dot_source)
        return subprocess.run(["dot", "-Tsvg", path], capture_output=True, check=True).stdout
    finally:
        os.unlink(path)
