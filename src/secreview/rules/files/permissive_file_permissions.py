from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.common import short_source
from secreview.rules.crypto._shared import expr_names, split_words
from secreview.rules.files._shared import fold_mode, forced_bits, receiver_is_object

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

WORLD_WRITE = 0o002
WORLD_READ = 0o004
WORLD_ALL = 0o007
STICKY = 0o1000

# Functions setting an absolute mode: name -> (mode position, mode keyword, path position).
CHMOD_FUNCTIONS: dict[str, tuple[int, str, int]] = {
    "os.chmod": (1, "mode", 0),
    "os.lchmod": (1, "mode", 0),
    "os.fchmod": (1, "mode", 0),
    "pathlib.Path.chmod": (1, "mode", 0),
    "pathlib.Path.lchmod": (1, "mode", 0),
}
# Functions creating a file or directory with a mode the umask is applied to:
# name -> (mode position, mode keyword, path position, default mode).
CREATE_FUNCTIONS: dict[str, tuple[int | None, str, int, int]] = {
    "os.open": (2, "mode", 0, 0o777),
    "os.mkdir": (1, "mode", 0, 0o777),
    "os.makedirs": (1, "mode", 0, 0o777),
    "os.mkfifo": (1, "mode", 0, 0o666),
    "pathlib.Path.mkdir": (1, "mode", 0, 0o777),
    "pathlib.Path.touch": (1, "mode", 0, 0o666),
}
_METHOD_CREATE_DEFAULTS = {"mkdir": 0o777, "touch": 0o666}
# Words in a path that say the file holds a secret (then world-readable matters too).
_SECRET_PATH_WORDS = frozenset(
    {
        "key",
        "keys",
        "pem",
        "secret",
        "secrets",
        "password",
        "passwords",
        "passwd",
        "token",
        "tokens",
        "credential",
        "credentials",
        "creds",
        "shadow",
        "private",
        "rsa",
        "ed25519",
        "keytab",
        "keyring",
        "keystore",
        "pgpass",
        "netrc",
        "htpasswd",
        "kubeconfig",
        "privkey",
        "apikey",
    }
)
_PUBLIC_WORDS = frozenset({"pub", "public", "pubkey", "cert", "crt", "known", "hosts"})


@dataclass(frozen=True, slots=True)
class _Creation:
    node: ast.Call
    label: str
    target: str
    mode: int
    mode_expr: ast.expr


class PermissiveFilePermissions(Rule):
    """Gives a file, directory or socket world-writable permissions (or a secret world-readable).

    ## What it does
    Finds `os.chmod`, `os.fchmod`, `os.lchmod`, `Path.chmod` and other `.chmod(mode)` calls
    (paramiko's `sftp.chmod(path, mode)`) whose constant mode lets every user write (`o+w`,
    `0o777`, `0o666`, `stat.S_IWOTH`): high severity, medium when the sticky bit makes it a
    shared drop directory like `/tmp`. A mode that lets every user read a file whose name says it
    holds a secret (`os.chmod(key_path, 0o644)`, `"/etc/app/secret.pem"`) is medium. Modes are
    folded through `|`, `&` and `~` with the `stat.S_I*` constants.

    `os.umask(0)` (any umask that does not mask `o+w`) is reported: every file and directory
    created afterwards with default permissions is world-writable. Modes given when creating a
    file (`os.open(path, flags, 0o666)`, `os.makedirs(path, 0o777)`, `os.mkfifo`,
    `Path.mkdir(mode=...)`) pass through the umask, and `0o777` is those functions' default, so
    they are reported only in a module that also lowers the umask that far; otherwise they are
    recorded as examined ("umask-masked").

    ## Why is this bad?
    A world-writable file can be changed by any local user or compromised service: config files
    become code execution, a world-writable UNIX socket lets anyone drive the service, a
    world-writable directory lets anyone replace the files in it. A world-readable key or
    password file gives its secret away.

    Tests chmod scratch files to exercise permission handling; findings in test code are kept
    at low severity.

    ## Example
    ```python
    import os

    def start_agent(sock_path):
        server = bind_unix_socket(sock_path)
        os.chmod(sock_path, 0o777)
        return server
    ```

    ## Use instead
    ```python
    import os

    def start_agent(sock_path):
        server = bind_unix_socket(sock_path)
        os.chmod(sock_path, 0o660)  # owner and the service group only
        return server
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/732.html
    - https://docs.python.org/3/library/os.html#os.chmod
    - https://docs.python.org/3/library/os.html#os.umask
    """

    id = "SR502"
    slug = "permissive-file-permissions"
    cwe = 732
    title = "World-writable (or secret world-readable) file permissions"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    node_types = (ast.Call,)
    bandit_ids = ("B103",)
    # Tests chmod scratch files freely; keep such findings visible but low.
    in_tests = "lower"

    def begin_module(self) -> None:
        self._creations: list[_Creation] = []
        self._permissive_umask = False

    def check(self, node: ast.Call) -> None:
        walker = self.walker
        if receiver_is_object(walker, node.func):
            self._method(node, node.func)  # type: ignore[arg-type]
            return
        name = walker.call_name(node)
        if name in CHMOD_FUNCTIONS:
            mode_pos, mode_kw, path_pos = CHMOD_FUNCTIONS[name]
            self._chmod(
                node,
                name,
                walker.argument(node, mode_pos, mode_kw),
                walker.argument(node, path_pos, "path"),
            )
        elif name in CREATE_FUNCTIONS:
            mode_pos, mode_kw, _, default = CREATE_FUNCTIONS[name]
            self._creation(node, name, walker.argument(node, mode_pos, mode_kw), default)
        elif name == "os.umask":
            self._umask(node)

    def _method(self, node: ast.Call, func: ast.Attribute) -> None:
        walker = self.walker
        if func.attr in ("chmod", "lchmod") and not node.keywords:
            if len(node.args) == 1:  # Path.chmod(mode)
                self._chmod(node, f"{func.attr}", node.args[0], func.value)
            elif len(node.args) == 2:  # sftp.chmod(path, mode)
                self._chmod(node, f"{func.attr}", node.args[1], node.args[0])
        elif func.attr in _METHOD_CREATE_DEFAULTS:
            mode = walker.keyword(node, "mode")
            if mode is None and func.attr == "mkdir" and node.args:
                mode = node.args[0]
            if mode is not None:
                self._creation(node, f"{func.attr}", mode, _METHOD_CREATE_DEFAULTS[func.attr])

    # -- absolute modes ------------------------------------------------------------------------
    def _chmod(
        self, node: ast.Call, name: str, mode_expr: ast.expr | None, path: ast.expr | None
    ) -> None:
        walker = self.walker
        if mode_expr is None:
            return
        mode = fold_mode(walker, mode_expr)
        target = f" `{short_source(walker, path, 40)}`" if path is not None else ""
        if mode is None:
            added = forced_bits(walker, mode_expr)
            if added & WORLD_WRITE:
                # os.chmod(p, os.stat(p).st_mode | stat.S_IWOTH): whatever the old mode was.
                walker.examine(732, node, "file-permission", "flagged", f"{name}() adds o+w")
                walker.report(
                    self,
                    node,
                    f"{name}() adds o+w ({_octal(added)}) to{target}'s mode: any local user can "
                    "change it",
                    evidence="constant argument",
                    fix=Fix("do not add the S_IWOTH bit"),
                )
            else:
                walker.examine(732, node, "file-permission", "non-constant", f"{name}()")
            return
        if mode & WORLD_WRITE:
            shared = bool(mode & STICKY)
            walker.examine(732, node, "file-permission", "flagged", f"{name}() {_octal(mode)}")
            walker.report(
                self,
                node,
                f"{name}() makes{target} world-writable (mode {_octal(mode)})"
                + (
                    "; the sticky bit only stops users deleting each other's files"
                    if shared
                    else ""
                )
                + ": any local user can change it",
                severity=Severity.MEDIUM if shared else Severity.HIGH,
                evidence="constant argument",
                fix=_mode_fix(walker, mode_expr, mode & ~WORLD_WRITE, "drop the o+w bit"),
            )
            return
        if mode & WORLD_READ and path is not None and _secret_path(walker, path):
            walker.examine(
                732, node, "file-permission", "flagged", f"{name}() {_octal(mode)} on a secret"
            )
            walker.report(
                self,
                node,
                f"{name}() makes{target} world-readable (mode {_octal(mode)}), and it looks like a "
                "file holding a secret",
                severity=Severity.MEDIUM,
                confidence=Confidence.MEDIUM,
                evidence="constant argument, name heuristic",
                fix=_mode_fix(walker, mode_expr, mode & ~WORLD_ALL, "keep secrets 0o600 or 0o640"),
            )
            return
        walker.examine(732, node, "file-permission", "restrictive", f"{name}() {_octal(mode)}")

    # -- umask and creation modes --------------------------------------------------------------
    def _umask(self, node: ast.Call) -> None:
        walker = self.walker
        mask_expr = walker.argument(node, 0, "mask")
        mask = fold_mode(walker, mask_expr)
        if mask is None or mask_expr is None:
            walker.examine(732, node, "umask", "non-constant", "os.umask()")
            return
        if mask & WORLD_WRITE:
            walker.examine(732, node, "umask", "restrictive", f"os.umask({_octal(mask)})")
            return
        if self._restored_at_once(node):
            # `old = os.umask(0); os.umask(old)`: the idiom for reading the current umask.
            walker.examine(732, node, "umask", "umask-query", f"os.umask({_octal(mask)}) restored")
            return
        self._permissive_umask = True
        walker.examine(732, node, "umask", "flagged", f"os.umask({_octal(mask)})")
        walker.report(
            self,
            node,
            f"os.umask({_octal(mask)}) does not mask o+w: files and directories created afterwards "
            "with default modes are world-writable",
            severity=Severity.MEDIUM,
            evidence="constant argument",
            fix=_mode_fix(walker, mask_expr, mask | 0o022, "use a umask of at least 0o022"),
        )

    def _restored_at_once(self, node: ast.Call) -> bool:
        """Is `name = os.umask(x)` directly followed by `os.umask(name)`?"""
        ancestors = self.walker.ancestors
        if len(ancestors) < 2:
            return False
        statement, block = ancestors[-1], ancestors[-2]
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            return False
        saved = statement.targets[0].id
        for field in ("body", "orelse", "finalbody"):
            body = getattr(block, field, None)
            if isinstance(body, list) and statement in body:
                index = body.index(statement)
                following = body[index + 1 : index + 2]
                break
        else:
            return False
        if not following or not isinstance(following[0], ast.Expr):
            return False
        call = following[0].value
        return (
            isinstance(call, ast.Call)
            and self.walker.call_name(call) == "os.umask"
            and len(call.args) == 1
            and isinstance(call.args[0], ast.Name)
            and call.args[0].id == saved
        )

    def _creation(
        self, node: ast.Call, name: str, mode_expr: ast.expr | None, default: int
    ) -> None:
        walker = self.walker
        if mode_expr is None:
            return
        mode = fold_mode(walker, mode_expr)
        if mode is None:
            walker.examine(732, node, "file-permission", "non-constant", f"{name}()")
            return
        if not mode & WORLD_WRITE:
            walker.examine(732, node, "file-permission", "restrictive", f"{name}() {_octal(mode)}")
            return
        if mode == default:
            walker.examine(
                732, node, "file-permission", "default-mode", f"{name}() {_octal(mode)} (default)"
            )
            return
        path = self.walker.argument(node, 0, "path")
        if isinstance(node.func, ast.Attribute) and name in _METHOD_CREATE_DEFAULTS:
            path = node.func.value
        target = f" `{short_source(self.walker, path, 40)}`" if path is not None else ""
        self._creations.append(_Creation(node, name, target, mode, mode_expr))

    def end_module(self) -> None:
        walker = self.walker
        for site in self._creations:
            if not self._permissive_umask:
                walker.examine(
                    732,
                    site.node,
                    "file-permission",
                    "umask-masked",
                    f"{site.label}() {_octal(site.mode)}; the umask removes o+w",
                )
                continue
            walker.examine(732, site.node, "file-permission", "flagged", f"{site.label}()")
            walker.report(
                self,
                site.node,
                f"{site.label}() creates{site.target} with mode {_octal(site.mode)}, and this "
                "module lowers the umask so that o+w is kept: it is created world-writable",
                severity=Severity.MEDIUM,
                confidence=Confidence.MEDIUM,
                evidence="constant argument",
                fix=_mode_fix(walker, site.mode_expr, site.mode & ~WORLD_WRITE, "drop the o+w bit"),
            )


def _secret_path(walker: Walker, path: ast.expr) -> bool:
    value = walker.const_value(path)
    names = [value] if isinstance(value, str) else expr_names(path, 3)
    for name in names:
        words = split_words(name)
        if any(w in _PUBLIC_WORDS for w in words):
            return False
        if any(w in _SECRET_PATH_WORDS for w in words):
            return True
    return False


def _mode_fix(walker: Walker, mode_expr: ast.expr, new_mode: int, words: str) -> Fix:
    if isinstance(mode_expr, ast.Constant) and isinstance(mode_expr.value, int):
        return walker.replace_fix(mode_expr, _octal(new_mode), f"{words}: {_octal(new_mode)}")
    return Fix(f"{words} (e.g. {_octal(new_mode)})")


def _octal(mode: int) -> str:
    return f"0o{mode:03o}"
