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
    import os  # already loaded by the interpreter at start-up, never from sys.path

    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # the working directory was removed: only "" can name it
        here = None
    kept = []
    for entry in sys.path:
        if entry in ("", "."):
            continue
        if here is not None and os.path.realpath(entry) == here:
            continue
        kept.append(entry)
    sys.path[:] = kept


def _shadowed_before_start() -> str | None:
    """A module the interpreter imported from the working directory before this file ran
    (runpy's own imports, on the way to `-m`): its code has run, so the scan must not."""
    import os

    try:
        here = os.path.realpath(os.getcwd())
    except OSError:
        return None
    package = os.path.dirname(os.path.realpath(__file__))
    for name, module in list(sys.modules.items()):
        location = getattr(module, "__file__", None)
        if not isinstance(location, str):
            continue
        location = os.path.realpath(location)
        if os.path.dirname(location) == here and not location.startswith(package + os.sep):
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
