import os

import markdown


def publish(src: str, public_dir: str) -> str:
    with open(src, encoding="utf-8") as fh:
        html = markdown.markdown(fh.read())
    out = os.path.join(public_dir, os.path.splitext(os.path.basename(src))[0] + ".html")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(html)
    os.chmod(out, 0o644)
    return out
