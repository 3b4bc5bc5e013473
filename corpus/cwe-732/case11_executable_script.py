import os
import sys

TEMPLATE = """#!{python}
import sys
from {module} import main
sys.exit(main())
"""


def write_launcher(bin_dir: str, name: str, module: str) -> str:
    path = os.path.join(bin_dir, name)
    with open(path, "w") as fh:
        fh.write(TEMPLATE.format(python=sys.executable, module=module))
    os.chmod(path, 0o755)
    return path
