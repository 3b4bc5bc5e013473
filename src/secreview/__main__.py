"""`python -m secreview`: the command line, safe to run inside the project it scans.

`python -m` puts the working directory first on sys.path, so a scanned project's own
`argparse.py`, `json.py` or `tokenize.py` would be imported, and run, in place of the standard
library's. Those entries are removed before anything else is imported. (`python -P -m
secreview`, from Python 3.11, never adds them; a `secreview.py` or `secreview/` in the
working directory is imported before this file runs, so only `-P` or the `secreview` command
protects against that one.)
"""

import sys


def _drop_working_directory() -> None:
    """Remove the entry `-m` put first on sys.path (the working directory), and any "" (which
    also means it). An entry the user configured that happens to be the working directory
    (PYTHONPATH, or running from inside the standard library's directory) is kept."""
    import os  # already loaded by the interpreter at start-up, never from sys.path

    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # the working directory was removed: only "" can name it
        here = None
    first = sys.path[0] if sys.path and not sys.flags.safe_path else None
    if first is not None and (first in ("", ".") or os.path.realpath(first) == here):
        del sys.path[0]
    sys.path[:] = [entry for entry in sys.path if entry not in ("", ".")]


def _shadowed_before_start() -> str | None:
    """A module the interpreter imported from the working directory before this file ran
    (runpy's own imports, on the way to `-m`): its code has run, so the scan must not."""
    import os

    try:
        here = os.path.realpath(os.getcwd())
    except OSError:
        return None
    if here in {os.path.realpath(entry) for entry in sys.path}:
        return None  # the working directory is on sys.path by the user's choice
    package = os.path.dirname(os.path.realpath(__file__))
    for name, module in list(sys.modules.items()):
        location = getattr(module, "__file__", None)
        if not isinstance(location, str):
            continue
        location = os.path.realpath(location)
        parent = os.path.dirname(location)
        if os.path.basename(location) == "__init__.py":  # a package: its directory's parent
            parent = os.path.dirname(parent)
        if parent == here and not location.startswith(package + os.sep):
            return name
    return None


_drop_working_directory()
_shadow = _shadowed_before_start()
if _shadow is not None:
    sys.stderr.write(
        f"secreview: error: the module {_shadow!r} was imported from the working directory "
        "before secreview started; run `python -P -m secreview` or the `secreview` command\n"
    )
    raise SystemExit(2)

from secreview.cli import main  # noqa: E402  (after sys.path is safe)

raise SystemExit(main())
