import os
import tempfile


def spool_upload(chunks) -> str:
    path = os.path.join(tempfile.gettempdir(), "upload_%d.part" % os.getpid())
    with open(path, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    return path
