from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule, leaves_of
from secreview.rules.common import short_source
from secreview.rules.crypto._shared import expr_names, split_words
from secreview.rules.files._shared import (
    ModuleConstants,
    calls_possible,
    fold_mode,
    forced_bits,
    lookup_key,
    receiver_is_object,
    target_key,
)

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


# Last words of a constant's name that say it holds a permission mode.
_MODE_NAME_HEADS = frozenset({"mode", "perm", "perms", "permission", "permissions", "chmod"})


@dataclass(frozen=True, slots=True)
class _Creation:
    node: ast.Call
    label: str
    target: str
    mode: int
    mode_expr: ast.expr
    secret: str | None  # the word of the path's name that says it holds a secret
    directory: bool


class PermissiveFilePermissions(Rule):
    """Gives a file, directory or socket world-writable permissions (or a secret world-readable).

    ## What it does
    Finds `os.chmod`, `os.fchmod`, `os.lchmod`, `Path.chmod` and other `.chmod(mode)` calls
    (paramiko's `sftp.chmod(path, mode)`) whose constant mode lets every user write (`o+w`,
    `0o777`, `0o666`, `stat.S_IWOTH`): high severity, medium when the sticky bit makes it a
    shared drop directory like `/tmp`. A mode that lets every user read a file whose name says it
    holds a secret (`os.chmod(key_path, 0o644)`, `"/etc/app/secret.pem"`, a `priv` assigned
    `os.path.join(d, "id_rsa")`) is medium; the name is a heuristic (words such as key, pem,
    secret, token, password, credentials, rsa, keytab; pub, cert and crt veto it) and the
    evidence says so. `0o644` on any other file is normal and not reported. Modes are folded
    through `|`, `&` and `~` with the `stat.S_I*` constants.

    `os.umask(0)` (any umask that does not mask `o+w`) is reported: every file and directory
    created afterwards with default permissions is world-writable. Modes given when creating a
    file (`os.open(path, flags, 0o666)`, `os.makedirs(path, mode=0o777)`, `os.mkfifo`,
    `Path.mkdir(mode=...)`) pass through the umask:
    - in a module that lowers the umask so that `o+w` survives, a world-writable mode is
      reported (medium);
    - in a module that sets a umask removing `o+w`, it is recorded as examined
      ("umask-masked");
    - otherwise an explicit world-writable mode for a directory (`os.makedirs(path,
      mode=0o777)`) or an executable file is reported at low severity (medium when the name says
      it holds a secret): the code asks for world-writable permissions and only the umask it
      inherits (0 in some daemons, containers and service units) stops it. A file mode of
      `0o666` is what `open()` uses, so it is reported only when the path's name or the
      function's (`save_token()`, `write_credentials()`) says the file holds a secret;
    - a creation mode that lets every user read a file named as a secret
      (`os.open(token_path, flags, 0o644)`) is medium: the usual umask 022 keeps `o+r`.

    A module-level constant named as a mode (`RELEASE_DIR_MODE = 0o777`, `SOCKET_PERMS =
    stat.S_IRWXU | stat.S_IRWXO`, written in octal or with `stat` names) that lets every user
    write, and that its own module never uses, is reported where it is defined: a constants
    module whose mode other modules apply, out of this per-module rule's sight.

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
    node_types = (ast.Call, ast.Assign, ast.AnnAssign)
    # The functions of the tables by name, and `obj.chmod()` / `obj.mkdir()` / `obj.touch()`.
    call_leaves = (
        leaves_of(CHMOD_FUNCTIONS, CREATE_FUNCTIONS, ("os.umask",))
        | {"chmod", "lchmod"}
        | frozenset(_METHOD_CREATE_DEFAULTS)
    )
    # Tests chmod scratch files freely; keep such findings visible but low.
    in_tests = "lower"

    def __init__(self, walker: Walker) -> None:
        super().__init__(walker)
        # The values assigned to names serve only the calls this rule is handed: in a module
        # that can hold none of them, only its constants are left to record.
        self._tracks_paths = calls_possible(walker, self.call_leaves)
        if not self._tracks_paths:
            self.node_types = (ast.Assign, ast.AnnAssign)

    def begin_module(self) -> None:
        self._creations: list[_Creation] = []
        self._permissive_umask = False
        self._masked = 0  # bits the umask set in this module removes (when it removes o+w)
        self._paths: dict[tuple[int, str], ast.expr] = {}  # local name -> assigned value
        self.constants = ModuleConstants(self.walker)

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            self._remember(node)
            return
        assert isinstance(node, ast.Call)
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

    def _remember(self, node: ast.Assign | ast.AnnAssign) -> None:
        """Note what local names were assigned, to read the name of the file they hold."""
        self.constants.note_assignment(self.walker, node)
        if not self._tracks_paths:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            key = target_key(self.walker, target)
            if key is None:
                continue
            if node.value is not None:
                self._paths[key] = node.value
            else:
                self._paths.pop(key, None)

    def _assigned(self, expr: ast.expr) -> ast.expr | None:
        for key in lookup_key(self.walker, expr):
            if key in self._paths:
                return self._paths[key]
        return None

    def _secret_word(self, path: ast.expr | None) -> str | None:
        """The word of the path's name (or of what the path was built from) that says the file
        holds a secret: `key_path`, `os.path.join(d, "id_rsa")`, `"/etc/app/secret.pem"`."""
        if path is None:
            return None
        found = _secret_path(self.walker, path)
        if found is None:
            assigned = self._assigned(path)
            if assigned is not None and assigned is not path:
                found = _secret_path(self.walker, assigned)
        return found

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
        secret = self._secret_word(path) if mode & WORLD_READ else None
        if secret is not None:
            walker.examine(
                732, node, "file-permission", "flagged", f"{name}() {_octal(mode)} on a secret"
            )
            walker.report(
                self,
                node,
                f"{name}() makes{target} world-readable (mode {_octal(mode)}), and its name "
                f"(`{secret}`) says it holds a secret",
                severity=Severity.MEDIUM,
                confidence=Confidence.MEDIUM,
                evidence=f"constant argument, name heuristic (`{secret}`)",
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
            self._masked |= mask
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
        path = self.walker.argument(node, 0, "path")
        if isinstance(node.func, ast.Attribute) and name in _METHOD_CREATE_DEFAULTS:
            path = node.func.value
        secret = None
        if mode & WORLD_ALL:
            secret = self._secret_word(path) or _secret_function(walker)
        if not mode & WORLD_WRITE and secret is None:
            walker.examine(732, node, "file-permission", "restrictive", f"{name}() {_octal(mode)}")
            return
        target = f" `{short_source(self.walker, path, 40)}`" if path is not None else ""
        directory = name.rpartition(".")[2] in ("mkdir", "makedirs")
        self._creations.append(_Creation(node, name, target, mode, mode_expr, secret, directory))

    def end_module(self) -> None:
        walker = self.walker
        for site in self._creations:
            exposed = WORLD_WRITE if site.mode & WORLD_WRITE else WORLD_READ
            if self._masked & exposed and not self._permissive_umask:
                walker.examine(
                    732,
                    site.node,
                    "file-permission",
                    "umask-masked",
                    f"{site.label}() {_octal(site.mode)}; this module's umask removes "
                    + ("o+w" if exposed == WORLD_WRITE else "o+r"),
                )
            elif exposed == WORLD_READ:
                self._readable_secret(site)
            elif self._permissive_umask:
                self._world_writable(site)
            elif not site.directory and not site.mode & 0o111 and site.secret is None:
                # `os.open(path, flags, 0o666)` is what open() does: nothing asked for beyond it.
                walker.examine(
                    732,
                    site.node,
                    "file-permission",
                    "open-default",
                    f"{site.label}() {_octal(site.mode)}, as open() creates files",
                )
            else:
                self._relies_on_umask(site)
        for name, node, value_expr, value in self.constants.unread():
            self._exported_mode(name, node, value_expr, value)

    def _readable_secret(self, site: _Creation) -> None:
        """`os.open(token_path, flags, 0o644)`: the usual umask (022) keeps o+r."""
        walker = self.walker
        walker.examine(
            732, site.node, "file-permission", "flagged", f"{site.label}() {_octal(site.mode)}"
        )
        walker.report(
            self,
            site.node,
            f"{site.label}() creates{site.target} readable by every user (mode "
            f"{_octal(site.mode)}; the usual umask 022 keeps o+r){_holds_secret(site.secret)}",
            severity=Severity.MEDIUM,
            confidence=Confidence.MEDIUM,
            evidence=f"constant argument, name heuristic (`{site.secret}`)",
            fix=_mode_fix(
                walker, site.mode_expr, site.mode & ~WORLD_ALL, "create secrets 0o600 or 0o640"
            ),
        )

    def _relies_on_umask(self, site: _Creation) -> None:
        """`os.makedirs(path, mode=0o777)`: world-writable unless the umask says otherwise."""
        walker = self.walker
        walker.examine(
            732, site.node, "file-permission", "flagged", f"{site.label}() {_octal(site.mode)}"
        )
        secret = _holds_secret(site.secret) if site.secret else ""
        walker.report(
            self,
            site.node,
            f"{site.label}() asks for a world-writable mode ({_octal(site.mode)}) for{site.target}"
            f"{secret}: only the umask inherited from the environment keeps it from being "
            "world-writable (a umask of 0 in a daemon, container or service unit does not)",
            severity=Severity.MEDIUM if site.secret else Severity.LOW,
            confidence=Confidence.MEDIUM,
            evidence="constant argument"
            + (f", name heuristic (`{site.secret}`)" if secret else ""),
            fix=_mode_fix(
                walker,
                site.mode_expr,
                (site.mode & ~WORLD_ALL) if site.secret else (site.mode & ~WORLD_WRITE & ~0o020),
                "ask for the permissions the file needs (0o700/0o750 for directories, 0o600/0o640 "
                "for files)",
            ),
        )

    def _exported_mode(
        self, name: str, node: ast.stmt, value_expr: ast.expr, value: object
    ) -> None:
        """`RELEASE_DIR_MODE = 0o777` in a constants module, applied by another module."""
        walker = self.walker
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 0o7777:
            return
        words = split_words(name)
        if not words or words[-1] not in _MODE_NAME_HEADS:
            return
        text = walker.segment(value_expr)
        if "0o" not in text.lower() and "S_I" not in text:
            return  # `DEBUG_MODE = 2`: an enumeration, not a permission mode
        if not value & WORLD_WRITE:
            walker.examine(732, node, "file-permission", "restrictive", f"{name} = {_octal(value)}")
            return
        walker.examine(732, node, "file-permission", "flagged", f"{name} = {_octal(value)}")
        walker.report(
            self,
            node,
            f"`{name}` is a world-writable permission mode ({_octal(value)}) defined for other "
            "modules to apply: whatever gets it can be changed by any local user",
            severity=Severity.MEDIUM,
            confidence=Confidence.MEDIUM,
            evidence="constant value, name heuristic (not used in its own module)",
            fix=_mode_fix(walker, value_expr, value & ~WORLD_WRITE, "drop the o+w bit"),
        )

    def _world_writable(self, site: _Creation) -> None:
        walker = self.walker
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


def _secret_path(walker: Walker, path: ast.expr) -> str | None:
    """The name (or file-name part) of `path` that says the file holds a secret, or None."""
    value = walker.const_value(path)
    names = [value] if isinstance(value, str) else [*expr_names(path, 3), *_literals(path)]
    for name in names:
        words = split_words(name)
        if any(w in _PUBLIC_WORDS for w in words):
            return None
        if any(w in _SECRET_PATH_WORDS for w in words):
            return name
    return None


# Words of a function name that say the file it creates holds a secret (`save_token`,
# `write_credentials`, `store_private_key`); `key` alone is too common (cache keys, dict keys).
_SECRET_FUNCTION_WORDS = _SECRET_PATH_WORDS - {"key", "keys", "pem", "private", "rsa"}
_KEY_QUALIFIERS = frozenset({"private", "secret", "api", "ssh", "signing", "host", "priv"})


def _secret_function(walker: Walker) -> str | None:
    """The enclosing function's name, when it says the function writes a secret."""
    function = walker.function
    if function is None:
        return None
    words = split_words(function.name)
    if any(w in _PUBLIC_WORDS for w in words):
        return None
    if any(w in _SECRET_FUNCTION_WORDS for w in words) or (
        "key" in words and any(w in _KEY_QUALIFIERS for w in words)
    ):
        return f"{function.name}()"
    return None


def _holds_secret(secret: str | None) -> str:
    """ ", and its name (`id_rsa`) says it holds a secret" for messages."""
    if secret is None:
        return ""
    if secret.endswith("()"):
        return f", and `{secret}` says the file holds a secret"
    return f", and its name (`{secret}`) says it holds a secret"


def _literals(expr: ast.expr) -> list[str]:
    """String constants a path is built from: `os.path.join(d, "id_rsa")`, `f"{d}/x.key"`."""
    parts: list[ast.expr] = []
    match expr:
        case ast.Call(args=args, keywords=keywords):
            parts = [*args[:4], *(k.value for k in keywords[:2])]
        case ast.JoinedStr(values=values):
            parts = list(values[:8])
        case ast.BinOp(left=left, right=right):
            parts = [left, right]
    return [p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)]


def _mode_fix(walker: Walker, mode_expr: ast.expr, new_mode: int, words: str) -> Fix:
    if isinstance(mode_expr, ast.Constant) and isinstance(mode_expr.value, int):
        return walker.replace_fix(mode_expr, _octal(new_mode), f"{words}: {_octal(new_mode)}")
    return Fix(f"{words} (e.g. {_octal(new_mode)})")


def _octal(mode: int) -> str:
    return f"0o{mode:03o}"
