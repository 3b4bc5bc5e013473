from __future__ import annotations

from typing import TYPE_CHECKING

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule

if TYPE_CHECKING:
    from secreview.engine.taint import FlowHit

# A path only checked for a file (`os.path.exists`, `Path.is_file`, `os.stat`): what leaks is
# whether it exists and its size or age, not its content.
_PROBE = "FileProbe"


class PathTraversal(FlowRule):
    """Untrusted input chooses a file system path.

    ## What it does
    Follows request data (query string, form, JSON body, uploaded file names, URL parameters,
    controller arguments, `self.path` of an `http.server` handler) and the member names of a zip
    or tar archive ("zip slip": `namelist()`, `infolist()`, `getmembers()`) through assignments, string
    building, `os.path.join()`, `pathlib` and helper functions, to a path that is opened, read,
    written, listed, removed, copied, extracted to or sent to the client: `open()`, `os.*`,
    `shutil.*`, `glob.glob()`, `pathlib.Path` methods, `FileStorage.save()`, `send_file()`,
    Django's and Starlette's `FileResponse`. A path that is only probed (`os.path.exists()`,
    `os.stat()`, `Path.is_file()`) is reported at low severity, and only when the same input
    reaches no other file sink in the function.

    Clean: `os.path.basename()` (and a path's `.name`), `werkzeug.utils.secure_filename()`,
    Django's `get_valid_filename()`, `safe_join()` (werkzeug's, Flask's and Django's, under a
    trusted directory), numbers, an allow-list check, a containment check on the
    resolved path (`if not full.startswith(BASE): abort(404)` after `os.path.realpath()`),
    and a name refused when it holds `..` that is then put after a directory in a built string
    (`f"{BASE}/{name}"`), or joined to it by `os.path.join()` or `Path(BASE) / name` when it
    is refused for being absolute as well (`name.startswith("/")`, `os.path.isabs(name)`):
    a join keeps an absolute name whole. A name decoded after the checks is not clean.
    `flask.send_from_directory(directory, name)` joins `name` safely and is reported only for
    its directory.

    ## Why is this bad?
    `../` sequences and absolute paths leave the intended directory: a download endpoint
    serves `/etc/passwd` or the application's own secrets, an upload endpoint overwrites code
    or `~/.ssh/authorized_keys`. Only remote input counts: a command-line tool opening the path
    it was given does what it is for. The finding is lowered in test code.

    ## Example
    ```python
    import os

    from flask import Flask, request, send_file

    app = Flask(__name__)
    REPORTS = "/srv/reports"

    @app.route("/reports")
    def report():
        return send_file(os.path.join(REPORTS, request.args["name"]))
    ```

    ## Use instead
    ```python
    from flask import send_from_directory

    @app.route("/reports")
    def report():
        return send_from_directory(REPORTS, request.args["name"])  # refuses ../ and absolute paths
    ```
    Elsewhere, resolve the path and check it is still inside the base directory:
    `full = os.path.realpath(os.path.join(BASE, name)); if not full.startswith(BASE + os.sep): abort(404)`.

    ## References
    - https://cwe.mitre.org/data/definitions/22.html
    - https://owasp.org/www-community/attacks/Path_Traversal
    - https://flask.palletsprojects.com/en/stable/api/#flask.send_from_directory
    """

    id = "SR903"
    slug = "path-traversal"
    cwe = 22
    title = "Untrusted input chooses a file path"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    fix = (
        "keep only the file name (os.path.basename / werkzeug.utils.secure_filename), or resolve "
        "the joined path with os.path.realpath() and refuse it unless it starts with the base "
        "directory; Flask's send_from_directory() does both"
    )

    @classmethod
    def judge(
        cls, hit: FlowHit, severity: Severity, confidence: Confidence
    ) -> tuple[Severity, Confidence]:
        if hit.sink.concept == _PROBE:
            severity = min(severity, Severity.LOW)
        return severity, confidence

    @classmethod
    def select(cls, hits: list[FlowHit]) -> list[FlowHit]:
        """A probe is left out when the input it checks also reaches a file sink of the same
        function (`if os.path.isfile(path): return send_file(path)` is one finding)."""
        used = {_use(hit) for hit in hits if hit.cwe == cls.cwe and hit.sink.concept != _PROBE}
        return [
            hit
            for hit in hits
            if not (hit.cwe == cls.cwe and hit.sink.concept == _PROBE and _use(hit) in used)
        ]


def _use(hit: FlowHit) -> tuple[str, int, int, str]:
    """A source and the function where a value of it is used."""
    return (hit.source.path, hit.source.line, hit.source.col, hit.sink.function)
