from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Edit, Fix, Severity
from secreview.rules.base import Rule, leaves_of
from secreview.rules.common import short_source
from secreview.rules.crypto._shared import expr_names, has_unpacking, split_words
from secreview.rules.files._shared import (
    calls_possible,
    lookup_key,
    receiver_is_object,
    target_key,
)

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

TAR_OPENERS = frozenset(
    {
        "tarfile.open",
        "tarfile.TarFile",
        "tarfile.TarFile.open",
        "tarfile.TarFile.taropen",
        "tarfile.TarFile.gzopen",
        "tarfile.TarFile.bz2open",
        "tarfile.TarFile.xzopen",
        "tarfile.TarFile.zstopen",
    }
)
ZIP_OPENERS = frozenset({"zipfile.ZipFile", "zipfile.PyZipFile"})
TAR_CLASSES = frozenset({"tarfile.TarFile"})
ZIP_CLASSES = frozenset({"zipfile.ZipFile", "zipfile.PyZipFile"})
SAFE_FILTER_NAMES = frozenset({"data", "tar"})
SAFE_FILTER_FUNCTIONS = frozenset({"tarfile.data_filter", "tarfile.tar_filter"})
TRUSTING_FILTERS = frozenset({"fully_trusted"})
TRUSTING_FILTER_FUNCTIONS = frozenset({"tarfile.fully_trusted_filter"})
TAR_FORMATS = frozenset({"tar", "gztar", "bztar", "xztar", "zstdtar"})
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst")
_TARISH_WORDS = frozenset({"tar", "tarball", "tarfile", "tgz", "tf"})


class ArchivePathTraversal(Rule):
    """Extracts a tar archive without an extraction filter, so its members can escape the
    target directory.

    ## What it does
    Finds `TarFile.extractall()` and `TarFile.extract()` without `filter="data"` (or `"tar"`,
    `tarfile.data_filter`, `tarfile.tar_filter`), including `filter="fully_trusted"`, and
    `shutil.unpack_archive()` of a tar (or unknown-format) archive without a filter. Method calls
    are matched to archives the same function opened (`tf = tarfile.open(...)`,
    `with tarfile.open(...) as tf:`, `tarfile.open(...).extractall()`), to parameters annotated
    `tarfile.TarFile`, and, with medium confidence, to receivers named like a tarball in a
    module that imports `tarfile`. A `members=` argument chosen by the code (for example a
    validating function's result) is trusted, except `members=tf.getmembers()`, which selects
    everything. A module that sets `TarFile.extraction_filter` to a safe filter is not reported.

    `zipfile` is not reported: `ZipFile.extract()` / `extractall()` strip drive letters and
    leading slashes and drop `..` components from member names, and create no links (documented
    in the zipfile module). Its calls are recorded as examined ("sanitised-by-zipfile"). Code that
    extracts members by hand (`open(os.path.join(dest, info.filename), "wb")`) is not covered.

    ## Why is this bad?
    Without a filter (the default before Python 3.14), tarfile trusts member names and link
    targets: a member called `../../home/app/.ssh/authorized_keys`, an absolute path, or a symlink
    followed by a file written through it lands anywhere the process can write (CVE-2007-4559,
    "TarSlip"). Archives uploaded by users or downloaded from elsewhere are attacker-controlled.

    Test code extracts archives it has just built; findings there are kept at low severity.

    ## Example
    ```python
    import tarfile

    def import_image(upload, dest):
        with tarfile.open(fileobj=upload) as tf:
            tf.extractall(dest)
    ```

    ## Use instead
    ```python
    import tarfile

    def import_image(upload, dest):
        with tarfile.open(fileobj=upload) as tf:
            tf.extractall(dest, filter="data")  # Python 3.12+, and 3.8.17+/3.9.17+/3.10.12+/3.11.4+
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/22.html
    - https://peps.python.org/pep-0706/
    - https://docs.python.org/3/library/tarfile.html#extraction-filters
    - https://docs.python.org/3/library/zipfile.html#zipfile.ZipFile.extract
    """

    id = "SR503"
    slug = "archive-path-traversal"
    cwe = 22
    title = "Archive extracted without protection against path traversal"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    node_types = (ast.Call, ast.Assign, ast.AnnAssign, ast.withitem)
    # `_call` judges shutil.unpack_archive() and the extract methods of archive objects.
    call_leaves = leaves_of(("shutil.unpack_archive",)) | {"extractall", "extract"}
    in_tests = "lower"

    def __init__(self, walker: Walker) -> None:
        super().__init__(walker)
        if not calls_possible(walker, self.call_leaves):
            # No extraction to judge: the archives and filter settings recorded from
            # assignments and `with` statements would serve nothing.
            self.node_types = ()

    def begin_module(self) -> None:
        self._archives: dict[tuple[int, str], str] = {}  # -> "tar" or "zip"
        self._safe_default_filter = False

    # -- archive objects ---------------------------------------------------------------------
    def _opened_kind(self, value: ast.expr | None) -> str | None:
        if not isinstance(value, ast.Call):
            return None
        name = self.walker.call_name(value)
        if name in TAR_OPENERS:
            return "tar"
        if name in ZIP_OPENERS:
            return "zip"
        return None

    def _remember(self, target: ast.expr, value: ast.expr | None) -> None:
        kind = self._opened_kind(value)
        if kind is None and not self._archives:
            return  # nothing to record, nothing to forget
        key = target_key(self.walker, target)
        if key is None:
            return
        if kind is not None:
            self._archives[key] = kind
        else:
            self._archives.pop(key, None)

    def _kind_of(self, receiver: ast.expr) -> tuple[str, bool] | None:
        """("tar" | "zip", known) for an archive object; known=False when guessed by name."""
        walker = self.walker
        kind = self._opened_kind(receiver)
        if kind is not None:
            return kind, True
        for key in lookup_key(walker, receiver):
            if key in self._archives:
                return self._archives[key], True
        if isinstance(receiver, ast.Name):
            annotated = self._annotation(receiver.id)
            if annotated is not None:
                return annotated, True
        if "tarfile" not in walker.framework_hints:
            return None
        words = [w for n in expr_names(receiver, 2) for w in split_words(n)]
        if any(w in _TARISH_WORDS for w in words) and not any(w == "zip" for w in words):
            return "tar", False
        return None

    def _annotation(self, name: str) -> str | None:
        function = self.walker.function
        if function is None:
            return None
        args = function.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            if arg.arg == name and arg.annotation is not None:
                annotation = self.walker.qualname(arg.annotation)
                if annotation in TAR_CLASSES:
                    return "tar"
                if annotation in ZIP_CLASSES:
                    return "zip"
        return None

    # -- checks --------------------------------------------------------------------------------
    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._remember(target, node.value)
                self._default_filter(target, node.value)
        elif isinstance(node, ast.AnnAssign):
            self._remember(node.target, node.value)
        elif isinstance(node, ast.withitem):
            if node.optional_vars is not None:
                self._remember(node.optional_vars, node.context_expr)
        elif isinstance(node, ast.Call):
            self._call(node)

    def _default_filter(self, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Attribute):
            if target.attr != "extraction_filter":
                return  # the qualified name of an attribute ends with its own name
        elif not isinstance(target, ast.Name):
            return  # subscripts, tuples and starred targets have no qualified name
        name = self.walker.qualname(target) or ""
        if name.endswith("TarFile.extraction_filter"):
            parts = {self.walker.qualname(value) or ""} | set(expr_names(value, 3))
            if parts & (SAFE_FILTER_FUNCTIONS | {"data_filter", "tar_filter"}):
                self._safe_default_filter = True

    def _call(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        if name == "shutil.unpack_archive":
            self._unpack_archive(node)
            return
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in ("extractall", "extract"):
            return
        if not receiver_is_object(walker, func):
            return  # tarfile.TarFile.extractall(tf, ...): not how anyone writes it
        method = func.attr
        receiver = func.value
        kind = self._kind_of(receiver)
        if kind is None:
            return
        archive, known = kind
        label = f"{'TarFile' if archive == 'tar' else 'ZipFile'}.{method}()"
        if archive == "zip":
            walker.examine(
                22,
                node,
                "archive-extraction",
                "sanitised-by-zipfile",
                f"{label}: zipfile drops absolute paths and '..' components",
            )
            return
        self._tar_extract(node, label, method, receiver, known)

    def _tar_extract(
        self, node: ast.Call, label: str, method: str, receiver: ast.expr | None, known: bool
    ) -> None:
        walker = self.walker
        if has_unpacking(node):
            walker.examine(22, node, "archive-extraction", "unknown-arguments", label)
            return
        verdict = self._filter_verdict(walker.keyword(node, "filter"))
        if verdict == "safe" or (verdict == "missing" and self._safe_default_filter):
            walker.examine(22, node, "archive-extraction", "data-filter", f"{label} with a filter")
            return
        if verdict == "custom":
            walker.examine(
                22, node, "archive-extraction", "custom-filter", f"{label} with a custom filter"
            )
            return
        if verdict == "missing" and method == "extractall":
            members = walker.argument(node, 1, "members")
            if members is not None and not _selects_everything(members):
                walker.examine(
                    22,
                    node,
                    "archive-extraction",
                    "members-selected",
                    f"{label} with members={short_source(walker, members, 40)}",
                )
                return
        where = walker.argument(node, 0 if method == "extractall" else 1, "path")
        dest = f" into `{short_source(walker, where, 40)}`" if where is not None else ""
        who = f"`{short_source(walker, receiver, 30)}`" if receiver is not None else "the archive"
        if verdict == "trusting":
            problem = 'with filter="fully_trusted"'
        else:
            problem = "without an extraction filter (the default before Python 3.14)"
        walker.examine(22, node, "archive-extraction", "flagged", f"{label} {problem}")
        walker.report(
            self,
            node,
            f"{label} of {who}{dest} {problem}: members named `../…`, absolute paths or links "
            "can write outside the target directory",
            severity=Severity.HIGH if method == "extractall" else Severity.MEDIUM,
            confidence=Confidence.HIGH if known else Confidence.MEDIUM,
            evidence="missing argument" if verdict == "missing" else "constant argument",
            fix=self._fix(node),
        )

    def _filter_verdict(self, value: ast.expr | None) -> str:
        """ "missing", "safe", "trusting" or "custom"."""
        walker = self.walker
        if value is None:
            return "missing"
        constant = walker.const_value(value)
        if constant is None:
            return "missing"
        if isinstance(constant, str):
            if constant in SAFE_FILTER_NAMES:
                return "safe"
            if constant in TRUSTING_FILTERS:
                return "trusting"
            return "custom"
        name = walker.qualname(value)
        if name in SAFE_FILTER_FUNCTIONS:
            return "safe"
        if name in TRUSTING_FILTER_FUNCTIONS:
            return "trusting"
        return "custom"

    def _unpack_archive(self, node: ast.Call) -> None:
        walker = self.walker
        if has_unpacking(node) or walker.argument(node, 0, "filename") is None:
            walker.examine(22, node, "archive-extraction", "unknown-arguments", "unpack_archive")
            return
        verdict = self._filter_verdict(walker.keyword(node, "filter"))
        if verdict in ("safe", "custom") or (verdict == "missing" and self._safe_default_filter):
            walker.examine(
                22, node, "archive-extraction", "data-filter", "shutil.unpack_archive() filter"
            )
            return
        archive = walker.argument(node, 0, "filename")
        fmt = walker.const_value(walker.argument(node, 2, "format"))
        suffix = _archive_suffix(walker, archive)
        if fmt == "zip" or (not isinstance(fmt, str) and suffix == "zip"):
            walker.examine(
                22, node, "archive-extraction", "sanitised-by-zipfile", "unpack_archive of a zip"
            )
            return
        known = (isinstance(fmt, str) and fmt in TAR_FORMATS) or suffix == "tar"
        shown = short_source(walker, archive, 40) if archive is not None else "the archive"
        what = "a tar archive" if known else "an archive that may be a tar file"
        problem = (
            'with filter="fully_trusted"'
            if verdict == "trusting"
            else "without filter= (the default before Python 3.14)"
        )
        walker.examine(22, node, "archive-extraction", "flagged", f"unpack_archive {problem}")
        walker.report(
            self,
            node,
            f"shutil.unpack_archive() unpacks `{shown}`, {what}, {problem}: members named "
            "`../…`, absolute paths or links can write outside the target directory",
            confidence=Confidence.HIGH if known else Confidence.MEDIUM,
            evidence="missing argument",
            fix=self._fix(node),
        )

    def _fix(self, node: ast.Call) -> Fix:
        walker = self.walker
        words = (
            'pass filter="data" (Python 3.12+, backported to 3.8.17+); on older Pythons check '
            "each member's resolved path and skip links before extracting"
        )
        current = walker.keyword(node, "filter")
        if current is not None:
            return walker.replace_fix(current, '"data"', words)
        if any(isinstance(a, ast.Starred) for a in node.args) or node.end_lineno is None:
            return Fix(words)
        arguments: list[ast.AST] = [*node.args, *node.keywords]
        if arguments:
            # Right after the last argument: keeps the layout, a trailing comma, and comments.
            last = max(arguments, key=lambda a: (a.end_lineno or 0, a.end_col_offset or 0))
            line, col, insert = last.end_lineno, last.end_col_offset, ', filter="data"'
        else:
            line, col, insert = node.end_lineno, (node.end_col_offset or 1) - 1, 'filter="data"'
        if line is None or col is None:
            return Fix(words)
        text = walker.segment(node)
        shown = f"{text[:-1].rstrip().rstrip(',')}{insert})" if "\n" not in text else None
        return Fix(words, (Edit(line, col, line, col, insert),), shown)


def _selects_everything(members: ast.expr) -> bool:
    """`members=tf.getmembers()` selects every member: no validation at all."""
    return (
        isinstance(members, ast.Call)
        and isinstance(members.func, ast.Attribute)
        and members.func.attr == "getmembers"
    )


def _archive_suffix(walker: Walker, archive: ast.expr | None) -> str | None:
    """ "zip" or "tar" when the archive's name visibly ends that way."""
    if archive is None:
        return None
    value = walker.const_value(archive)
    text = value if isinstance(value, str) else ""
    if not text and isinstance(archive, ast.JoinedStr) and archive.values:
        last = archive.values[-1]
        if isinstance(last, ast.Constant) and isinstance(last.value, str):
            text = last.value
    lowered = text.lower()
    if lowered.endswith(".zip"):
        return "zip"
    if lowered.endswith(TAR_SUFFIXES):
        return "tar"
    return None
