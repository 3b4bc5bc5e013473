from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule, leaves_of
from secreview.rules.common import short_source
from secreview.rules.crypto._shared import callee_name, split_words
from secreview.rules.files._shared import (
    ModuleConstants,
    calls_possible,
    flag_names,
    lookup_key,
    receiver_is_object,
    target_key,
)

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

SHARED_TMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/usr/tmp")
NAME_ONLY_FUNCTIONS = frozenset({"tempfile.mktemp", "os.tempnam", "os.tmpnam"})
SAFE_TEMP_APIS = frozenset(
    {
        "tempfile.mkstemp",
        "tempfile.mkdtemp",
        "tempfile.NamedTemporaryFile",
        "tempfile.TemporaryFile",
        "tempfile.SpooledTemporaryFile",
        "tempfile.TemporaryDirectory",
    }
)
OPEN_FUNCTIONS = frozenset({"open", "io.open", "codecs.open"})
# Functions that create or write the file named by one argument: name -> (position, keyword).
WRITING_FUNCTIONS: dict[str, tuple[int, str]] = {
    "shutil.copy": (1, "dst"),
    "shutil.copy2": (1, "dst"),
    "shutil.copyfile": (1, "dst"),
    "shutil.move": (1, "dst"),
    "os.rename": (1, "dst"),
    "os.replace": (1, "dst"),
    "os.symlink": (1, "dst"),
    "os.link": (1, "dst"),
    "os.mkdir": (0, "path"),
    "os.makedirs": (0, "name"),
    "os.mkfifo": (0, "path"),
    "logging.FileHandler": (0, "filename"),
    "logging.handlers.RotatingFileHandler": (0, "filename"),
    "logging.handlers.TimedRotatingFileHandler": (0, "filename"),
    "logging.handlers.WatchedFileHandler": (0, "filename"),
    "sqlite3.connect": (0, "database"),
    "urllib.request.urlretrieve": (1, "filename"),
    "numpy.save": (0, "file"),
    "numpy.savez": (0, "file"),
    "numpy.savetxt": (0, "fname"),
    "joblib.dump": (1, "filename"),
    "torch.save": (1, "f"),
    "pickle.dump": (1, "file"),
    "pathlib.Path.write_text": (0, "self"),
    "pathlib.Path.write_bytes": (0, "self"),
    "pathlib.Path.touch": (0, "self"),
}
# Functions returning the system temp directory (/tmp unless TMPDIR is set).
TEMP_DIR_FUNCTIONS = frozenset({"tempfile.gettempdir", "tempfile.gettempdirb"})
PATH_CONSTRUCTORS = frozenset(
    {"pathlib.Path", "pathlib.PosixPath", "pathlib.PurePath", "pathlib.PurePosixPath"}
)
PATH_WRITE_METHODS = frozenset({"write_text", "write_bytes", "touch", "mkdir"})
# Methods of other objects (DataFrames, figures, images, workbooks) that write to their first
# argument.
SAVE_METHODS = frozenset(
    {
        "to_csv",
        "to_json",
        "to_parquet",
        "to_excel",
        "to_pickle",
        "to_feather",
        "to_hdf",
        "to_html",
        "savefig",
        "save",
    }
)
# Parts of a file name that make it unpredictable: then the shared directory is not the problem.
_RANDOM_PARTS = frozenset(
    {"uuid4", "uuid1", "token_hex", "token_urlsafe", "token_bytes", "urandom", "mkdtemp"}
)
# The expressions that build a path `tmp_path` looks into.
_BUILT_PATHS = frozenset({ast.Call, ast.JoinedStr, ast.BinOp})
_WRITE_MODE_CHARS = frozenset("wa+")
_WRITE_FLAGS = frozenset({"O_CREAT", "O_WRONLY", "O_RDWR", "O_APPEND", "O_TRUNC"})


@dataclass(frozen=True, slots=True)
class TmpPath:
    text: str | ast.expr  # the path, or the expression building it (shown in messages)
    constant: bool  # the whole path is a constant (no variable part)
    is_path_object: bool = False  # a pathlib object, not a string
    is_dir: bool = False  # the shared directory itself ("/tmp"), not a file in it
    random: bool = False  # the name has a random part (uuid4(), token_hex())
    system: bool = False  # below tempfile.gettempdir(): /tmp unless TMPDIR says otherwise


class InsecureTempFile(Rule):
    """Creates a temporary file insecurely: `tempfile.mktemp()`, or a fixed name in `/tmp`.

    ## What it does
    Finds `tempfile.mktemp()` (and Python 2's `os.tempnam`/`os.tmpnam`), which only return a
    name, and files created or written at a hard-coded path in a shared, world-writable
    directory (`/tmp`, `/var/tmp`, `/dev/shm`): `open("/tmp/x", "w")`, `os.open` with
    `O_CREAT`/`O_WRONLY`, `Path("/tmp/x").write_text()`, `shutil.copy(src, "/tmp/x")`,
    `os.makedirs("/tmp/app")`, logging file handlers, `sqlite3.connect`, `numpy.save`,
    `torch.save`, `joblib.dump`, `urlretrieve` and `df.to_csv()` / `fig.savefig()` /
    `img.save()` on such paths.
    Paths are constant-folded (`LOCK = "/tmp/app.lock"`), and paths built from a `/tmp/` prefix
    (`f"/tmp/{name}.csv"`, `"/tmp/" + db + "-" + stamp + ".sql"`, `os.path.join("/tmp", name)`)
    count too, with medium confidence, also when they are first assigned to a local name.
    `tempfile.gettempdir()` is the shared `/tmp` unless `TMPDIR` points elsewhere: fixed or
    guessable names below it (`os.path.join(tempfile.gettempdir(), "upload_%d.part" % pid)`,
    `f"{tempfile.gettempdir()}/app.lock"`) are reported with medium confidence.

    A module-level constant naming a fixed file in `/tmp` (`STATE_FILE =
    "/tmp/agent-state.json"`, `PID_FILE`, `LOCK_PATH`, `CACHE_DIR`) that its own module never
    uses is reported where it is defined, with low confidence: a settings module whose paths
    other modules create, out of this per-module rule's sight. Used in its own module, it is
    judged where it is opened.

    Not reported: reading such files; strings that are never opened (Bandit's B108 flags every
    "/tmp" literal, this rule does not); exclusive creation (`"x"` mode, `O_EXCL`), which fails
    instead of following a planted file; names with a random part (`uuid4()`, `token_hex()`).

    ## Why is this bad?
    Every local user can create files in `/tmp`. One who creates the predictable name first
    (as a symlink to `~/.ssh/authorized_keys`, or as a file they can read) makes the program
    overwrite a file of the attacker's choice or write its data where the attacker reads it.
    `mktemp()` has the same race between choosing the name and creating the file.

    Test code often writes scratch files to fixed paths; findings there are kept at low
    severity.

    ## Example
    ```python
    import tempfile

    def export_report(rows):
        path = tempfile.mktemp(suffix=".csv")
        with open(path, "w") as fh:
            fh.writelines(rows)
        with open("/tmp/last_report.csv", "w") as fh:
            fh.writelines(rows)
    ```

    ## Use instead
    ```python
    import tempfile

    def export_report(rows):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
            fh.writelines(rows)
        return fh.name
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/377.html
    - https://cwe.mitre.org/data/definitions/379.html
    - https://docs.python.org/3/library/tempfile.html#tempfile.mktemp
    """

    id = "SR501"
    slug = "insecure-temp-file"
    cwe = 377
    related_cwes = (379,)
    title = "Insecure temporary file"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    node_types = (ast.Call, ast.Assign, ast.AnnAssign, ast.withitem)
    # `_call` judges the functions of the tables by name and methods of objects by their name.
    call_leaves = (
        leaves_of(
            NAME_ONLY_FUNCTIONS,
            SAFE_TEMP_APIS,
            OPEN_FUNCTIONS,
            WRITING_FUNCTIONS,
            ("os.open", "logging.basicConfig"),
        )
        | SAVE_METHODS
        | PATH_WRITE_METHODS
        | {"open"}
    )
    in_tests = "lower"

    def __init__(self, walker: Walker) -> None:
        super().__init__(walker)
        # The names bound to temp paths serve only the calls this rule is handed: in a module
        # that can hold none of them, only its constants are left to record.
        self._tracks_names = calls_possible(walker, self.call_leaves)
        if not self._tracks_names:
            self.node_types = (ast.Assign, ast.AnnAssign)

    def begin_module(self) -> None:
        self._names: dict[tuple[int, str], TmpPath] = {}
        self.constants = ModuleConstants(self.walker)

    # -- names bound to temp paths --------------------------------------------------------------
    def _remember(self, targets: list[ast.expr], value: ast.expr | None) -> None:
        if value is None:
            return
        found = self.tmp_path(value)
        if found is None and not self._names:
            return  # nothing to record, nothing to forget
        for target in targets:
            key = target_key(self.walker, target)
            if key is None:
                continue
            if found is not None:
                self._names[key] = found
            else:
                self._names.pop(key, None)

    def tmp_path(self, expr: ast.expr, depth: int = 0) -> TmpPath | None:
        """Is `expr` a path in a shared temp directory (or that directory itself)?"""
        walker = self.walker
        if depth > 6:
            return None
        value = walker.const_value(expr)
        if isinstance(value, str):
            if value.rstrip("/") in SHARED_TMP_DIRS:
                return TmpPath(value, True, is_dir=True)
            return TmpPath(value, True) if _in_shared_tmp(value) else None
        if self._names:
            for key in lookup_key(walker, expr):
                if key in self._names:
                    return self._names[key]
        if expr.__class__ not in _BUILT_PATHS:
            return None  # none of the cases below
        text: ast.expr = expr  # turned into source text only when reported
        match expr:
            case ast.Call(args=[], keywords=[]) if walker.call_name(expr) in TEMP_DIR_FUNCTIONS:
                # The system temp directory: /tmp unless TMPDIR points somewhere private.
                return TmpPath(text, True, is_dir=True, system=True)
            case ast.JoinedStr(values=[ast.Constant(value=str() as head), *_]):
                if _in_shared_tmp(head, prefix=True):
                    return TmpPath(text, False, random=_random_part(expr))
            case ast.JoinedStr(values=[ast.FormattedValue(value=first), *rest]) if rest:
                # f"{tempfile.gettempdir()}/app-{pid}.lock"
                inner = self.tmp_path(first, depth + 1)
                if inner is not None and inner.is_dir and inner.constant:
                    return TmpPath(text, False, random=_random_part(expr), system=inner.system)
            case ast.BinOp(op=ast.Add(), left=left):
                # "/tmp/" + name + ".sql": the chain's first operand fixes the directory.
                while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Add):
                    left = left.left
                head = walker.const_value(left)
                if isinstance(head, str) and _in_shared_tmp(head, prefix=True):
                    return TmpPath(text, False, random=_random_part(expr))
                inner = self.tmp_path(left, depth + 1) if not isinstance(head, str) else None
                if inner is not None and inner.is_dir and inner.constant:
                    return TmpPath(text, False, random=_random_part(expr), system=inner.system)
            case ast.BinOp(op=ast.Mod(), left=left):
                head = walker.const_value(left)
                if isinstance(head, str) and _in_shared_tmp(head, prefix=True):
                    return TmpPath(text, False, random=_random_part(expr))
            case ast.BinOp(op=ast.Div(), left=left, right=right):
                inner = self.tmp_path(left, depth + 1)
                if inner is not None and inner.is_path_object:
                    constant = inner.constant and walker.is_constant(right)
                    return TmpPath(
                        text,
                        constant,
                        True,
                        random=_random_part(expr) or inner.random,
                        system=inner.system,
                    )
            case ast.Call(func=ast.Attribute(attr="format", value=template)):
                head = walker.const_value(template)
                if isinstance(head, str) and _in_shared_tmp(head, prefix=True):
                    return TmpPath(text, False, random=_random_part(expr))
            case ast.Call(args=[first, *rest]):
                name = walker.call_name(expr)
                if name in ("os.path.join", "posixpath.join"):
                    inner = self.tmp_path(first, depth + 1)
                    if inner is not None and inner.constant:
                        constant = all(walker.is_constant(r) for r in rest)
                        return TmpPath(
                            text,
                            constant,
                            is_dir=not rest and inner.is_dir,
                            random=_random_part(expr),
                            system=inner.system,
                        )
                elif name in PATH_CONSTRUCTORS and not rest:
                    inner = self.tmp_path(first, depth + 1)
                    if inner is not None:
                        return TmpPath(
                            text, inner.constant, True, inner.is_dir, inner.random, inner.system
                        )
        return None

    def _shown(self, found: TmpPath) -> str:
        if isinstance(found.text, str):
            return found.text
        return short_source(self.walker, found.text)

    # -- checks ---------------------------------------------------------------------------------
    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            if self._tracks_names:
                self._remember(node.targets, node.value)
            self.constants.note_assignment(self.walker, node)
        elif isinstance(node, ast.AnnAssign):
            if self._tracks_names:
                self._remember([node.target], node.value)
            self.constants.note_assignment(self.walker, node)
        elif isinstance(node, ast.withitem):
            if node.optional_vars is not None:
                self._remember([node.optional_vars], None)
        elif isinstance(node, ast.Call):
            self._call(node)

    def _call(self, node: ast.Call) -> None:
        walker = self.walker
        if isinstance(node.func, ast.Attribute) and receiver_is_object(walker, node.func):
            self._path_method(node, node.func)
            return
        name = walker.call_name(node)
        if name in NAME_ONLY_FUNCTIONS:
            walker.examine(377, node, "temp-file", "flagged", f"{name}()")
            walker.report(
                self,
                node,
                f"{name}() only returns a name: another process can create that file between "
                "the call and its use",
                evidence="insecure API",
                fix=Fix(
                    "use tempfile.mkstemp() (returns an open descriptor) or "
                    "tempfile.NamedTemporaryFile(delete=False) / TemporaryDirectory()"
                ),
            )
            return
        if name in SAFE_TEMP_APIS:
            walker.examine(377, node, "temp-file", "secure-api", f"{name}()")
            return
        if name in OPEN_FUNCTIONS:
            self._open(node, name, walker.argument(node, 0, "file"), node.args[1:2], "mode")
        elif name == "os.open":
            self._os_open(node)
        elif name in WRITING_FUNCTIONS:
            position, keyword = WRITING_FUNCTIONS[name]
            self._write(node, name, walker.argument(node, position, keyword))
        elif name == "logging.basicConfig":
            filename = walker.keyword(node, "filename")
            if filename is not None:
                self._write(node, name, filename)

    def _open(
        self,
        node: ast.Call,
        name: str,
        target: ast.expr | None,
        mode_args: list[ast.expr],
        keyword: str,
    ) -> None:
        walker = self.walker
        if target is None:
            return
        found = self.tmp_path(target)
        if found is None:
            return
        mode_expr = mode_args[0] if mode_args else walker.keyword(node, keyword)
        mode = walker.const_value(mode_expr) if mode_expr is not None else "r"
        if not isinstance(mode, str):
            walker.examine(
                377, node, "temp-file", "unknown-mode", f"{name}() of {self._shown(found)}"
            )
            return
        if "x" in mode:
            walker.examine(
                377, node, "temp-file", "exclusive-create", f"{name}() of {self._shown(found)}"
            )
            return
        if not _WRITE_MODE_CHARS & set(mode):
            walker.examine(377, node, "temp-file", "read-only", f"{name}() of {self._shown(found)}")
            return
        self._report(node, f'{name}(..., "{mode}")', found)

    def _os_open(self, node: ast.Call) -> None:
        walker = self.walker
        target = walker.argument(node, 0, "path")
        found = self.tmp_path(target) if target is not None else None
        if found is None:
            return
        flags = flag_names(walker, walker.argument(node, 1, "flags"))
        if flags is None:
            walker.examine(
                377, node, "temp-file", "unknown-mode", f"os.open() of {self._shown(found)}"
            )
            return
        if "O_EXCL" in flags and "O_CREAT" in flags:
            walker.examine(
                377, node, "temp-file", "exclusive-create", f"os.open() {self._shown(found)}"
            )
            return
        if not flags & _WRITE_FLAGS:
            walker.examine(
                377, node, "temp-file", "read-only", f"os.open() of {self._shown(found)}"
            )
            return
        shown = "|".join(sorted(flags & _WRITE_FLAGS))
        self._report(node, f"os.open(..., {shown})", found)

    def _write(self, node: ast.Call, name: str, target: ast.expr | None) -> None:
        if target is None:
            return
        found = self.tmp_path(target)
        if found is not None:
            self._report(node, f"{name}()", found)

    def _path_method(self, node: ast.Call, func: ast.Attribute) -> None:
        if func.attr in SAVE_METHODS:
            target = self.walker.argument(node, 0, "path_or_buf")
            found = self.tmp_path(target) if target is not None else None
            if found is not None:
                self._report(node, f".{func.attr}()", found)
            return
        if func.attr not in PATH_WRITE_METHODS and func.attr != "open":
            return
        found = self.tmp_path(func.value)
        if found is None or not found.is_path_object:
            return
        if func.attr == "open":
            self._open(node, "Path.open", func.value, node.args[0:1], "mode")
        else:
            self._report(node, f"Path.{func.attr}()", found)

    def _report(self, node: ast.Call, action: str, found: TmpPath) -> None:
        walker = self.walker
        if found.is_dir:
            return
        if found.random:
            walker.examine(
                377, node, "temp-file", "unpredictable-name", f"{action} {self._shown(found)}"
            )
            return
        walker.examine(377, node, "temp-file", "flagged", f"{action} {self._shown(found)}")
        where = (
            "the system temporary directory (/tmp unless TMPDIR is set)"
            if found.system
            else "a shared temporary directory"
        )
        if found.constant:
            what = f"a predictable name in {where}"
        else:
            what = f"a name built in {where}, guessable unless it is random"
        if found.system:
            evidence = "tempfile.gettempdir() with a name that is not random"
        else:
            evidence = "constant argument" if found.constant else "hard-coded directory"
        walker.report(
            self,
            node,
            f"{action} writes `{self._shown(found)}`: {what}; another local user can plant a "
            "symlink or file there first",
            confidence=Confidence.HIGH
            if found.constant and not found.system
            else Confidence.MEDIUM,
            evidence=evidence,
            fix=_FIX,
        )

    # -- paths defined here, written elsewhere --------------------------------------------------
    def end_module(self) -> None:
        walker = self.walker
        for name, node, _, value in self.constants.unread():
            if not isinstance(value, str) or not _in_shared_tmp(value):
                continue
            words = split_words(name)
            if not words or words[-1] not in _PATH_NAME_HEADS:
                continue
            if _random_part(node.value):
                continue
            walker.examine(377, node, "temp-file", "flagged", f"{name} = {value!r} (exported)")
            walker.report(
                self,
                node,
                f"`{name}` names a fixed file in a shared temporary directory (`{value}`), for "
                "other modules to create or write: another local user can plant a symlink or "
                "file there first",
                confidence=Confidence.LOW,
                evidence="constant path, name heuristic (not used in its own module)",
                fix=_FIX,
            )


_FIX = Fix(
    "create it with tempfile.NamedTemporaryFile() / mkstemp() / TemporaryDirectory() "
    "(random name, exclusive creation, mode 0600), or keep it in a directory only "
    "this service can write"
)
# Last words of a constant's name that say it is a file or directory the program makes
# (sockets are left out: a client connects to another program's socket as often as not).
_PATH_NAME_HEADS = frozenset(
    {
        "file",
        "filename",
        "path",
        "dir",
        "directory",
        "folder",
        "lock",
        "lockfile",
        "pid",
        "pidfile",
        "db",
        "database",
        "log",
        "logfile",
        "cache",
        "state",
        "dump",
        "output",
        "out",
        "fifo",
        "spool",
        "journal",
        "store",
    }
)


def _in_shared_tmp(path: str, prefix: bool = False) -> bool:
    """A file below a shared temp directory (`prefix`: the start of such a path)."""
    for directory in SHARED_TMP_DIRS:
        if path.startswith(directory + "/") and (prefix or len(path) > len(directory) + 1):
            return True
    return False


def _random_part(expr: ast.expr | None, depth: int = 0) -> bool:
    """Does the expression call something random (`uuid.uuid4()`, `secrets.token_hex()`)?"""
    if expr is None or depth > 4:
        return False
    match expr:
        case ast.Call(func=func, args=args):
            if callee_name(func) in _RANDOM_PARTS:
                return True
            return any(_random_part(a, depth + 1) for a in args[:3])
        case ast.Attribute(value=value, attr=attr):
            return attr in _RANDOM_PARTS or _random_part(value, depth + 1)
        case ast.JoinedStr(values=values):
            return any(
                _random_part(v.value, depth + 1)
                for v in values[:8]
                if isinstance(v, ast.FormattedValue)
            )
        case ast.BinOp(left=left, right=right):
            return _random_part(left, depth + 1) or _random_part(right, depth + 1)
        case ast.Tuple(elts=elts):
            return any(_random_part(e, depth + 1) for e in elts[:4])
    return False
