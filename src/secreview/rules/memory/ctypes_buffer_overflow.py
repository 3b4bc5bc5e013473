from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule, leaves_of
from secreview.rules.common import short_source

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

WRITE_OPERATIONS = {"ctypes.memmove": (0, 2), "ctypes.memset": (0, 2)}  # (dst, count) positions
READ_OPERATIONS = {"ctypes.string_at": 0, "ctypes.wstring_at": 0}  # address position; size is 1
BUFFER_FACTORIES = frozenset({"ctypes.create_string_buffer", "ctypes.create_unicode_buffer"})
# The last segments of the functions above: a method call named otherwise is none of them.
_OPERATION_LEAVES = leaves_of(WRITE_OPERATIONS, READ_OPERATIONS, BUFFER_FACTORIES)
_SIZE_FUNCTIONS = frozenset({"sizeof", "len"})
_CWE_OUT_OF_BOUNDS_READ = 125
_CWE_MISSING_TERMINATOR = 170


_FIXES = {
    120: "bound the size by the destination: check it against ctypes.sizeof(buf) first, or copy "
    "min(n, ctypes.sizeof(buf)) bytes; size buffers from the data they receive",
    _CWE_OUT_OF_BOUNDS_READ: "read no more than the memory holds: take the size from the C side "
    "that owns it, or check it against the allocation's size",
    _CWE_MISSING_TERMINATOR: "leave out the size (create_string_buffer(init) adds the NUL "
    "terminator) or pass len(init) + 1",
}


@dataclass(frozen=True, slots=True)
class _Buffer:
    size_text: str  # source of the size expression ("len(data)", "64")
    size: int | None  # folded size when constant


class CtypesBufferOverflow(Rule):
    """Copies into or reads from raw memory with ctypes using a size not tied to the buffer.

    ## What it does
    Looks at every ctypes memory operation (recorded as examined, so a review can also say
    there are none) and reports:

    - `ctypes.memmove(dst, src, n)` and `ctypes.memset(dst, c, n)` whose count is not a
      constant and not bounded by the destination: `ctypes.sizeof(dst)`, `len(dst)`, a `min()`
      with one of those, or the same expression the destination buffer was created with in this
      function (`buf = create_string_buffer(len(data)); memmove(buf, data, len(data))`);
    - a constant count larger than a destination created with a constant size in the same
      function;
    - `ctypes.string_at(addr, n)` / `wstring_at` whose size is a parameter of the enclosing
      function, i.e. chosen by the caller rather than reported by the C side (CWE-125);
    - `create_string_buffer(b"...", n)` with `n == len(init)`, which leaves no room for the NUL
      terminator C string functions rely on (CWE-170). (A size smaller than the initialiser is
      not an overflow: ctypes raises ValueError.)
    - a buffer of constant size passed to a foreign function followed by a larger constant length
      (`libc.gethostname(buf, 256)` with `buf = create_string_buffer(64)`).

    ## Why is this bad?
    ctypes does no bounds checking: `memmove` writes `n` bytes wherever `dst` points. A count
    taken from the input rather than from the destination's size corrupts the heap, which can
    crash the interpreter or be turned into code execution; an oversized read leaks adjacent
    memory (keys, tokens) to the caller.

    Tests poke at memory deliberately; findings in test code are kept at low severity.

    ## Example
    ```python
    import ctypes

    def fill(buf, payload):
        ctypes.memmove(buf, payload, len(payload))
    ```

    ## Use instead
    ```python
    import ctypes

    def fill(buf, payload):
        if len(payload) > ctypes.sizeof(buf):
            raise ValueError("payload larger than buffer")
        ctypes.memmove(buf, payload, len(payload))
    ```
    or copy `min(len(payload), ctypes.sizeof(buf))` bytes.

    ## References
    - https://cwe.mitre.org/data/definitions/120.html
    - https://cwe.mitre.org/data/definitions/787.html
    - https://docs.python.org/3/library/ctypes.html#ctypes.memmove
    """

    id = "SR504"
    slug = "ctypes-buffer-overflow"
    cwe = 120
    related_cwes = (787, _CWE_OUT_OF_BOUNDS_READ, _CWE_MISSING_TERMINATOR)
    title = "ctypes memory operation with an unchecked size"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    node_types = (ast.Call, ast.Assign)
    # call_leaves stays None: once a buffer is known, any call passing it with a size may
    # overflow it (`lib.fill(buf, 256)`, `handlers[0](buf, 256)`), whatever the callee's name.
    # Tests poke at memory deliberately; keep the findings but at low severity.
    in_tests = "lower"

    def begin_module(self) -> None:
        self._buffers: dict[tuple[int, str], _Buffer] = {}

    def _key(self, expr: ast.expr) -> tuple[int, str] | None:
        function = self.walker.function
        if isinstance(expr, ast.Name):
            return (id(function) if function else 0, expr.id)
        return None

    def check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            self._remember(node)
            return
        assert isinstance(node, ast.Call)
        func = node.func
        if (
            not self._buffers
            and func.__class__ is ast.Attribute
            and func.attr not in _OPERATION_LEAVES
        ):
            return  # no buffer to overflow yet, and no ctypes memory function
        walker = self.walker
        name = walker.call_name(node)
        if name in WRITE_OPERATIONS:
            self._write(node, name)
        elif name in READ_OPERATIONS:
            self._read(node, name)
        elif name in BUFFER_FACTORIES:
            self._factory(node, name)
        else:
            self._foreign_call(node)

    # -- buffers created in this function ------------------------------------------------------
    def _remember(self, node: ast.Assign) -> None:
        buffer = self._buffer_of(node.value)
        if buffer is None and not self._buffers:
            return  # nothing to record, nothing to forget
        for target in node.targets:
            key = self._key(target)
            if key is None:
                continue
            if buffer is None:
                self._buffers.pop(key, None)
            else:
                self._buffers[key] = buffer

    def _buffer_of(self, value: ast.expr) -> _Buffer | None:
        """Size of a buffer made by `create_string_buffer(...)` or `(c_char * n)()`."""
        walker = self.walker
        if not isinstance(value, ast.Call):
            return None
        if isinstance(value.func, ast.BinOp) and isinstance(value.func.op, ast.Mult):
            return _sized(walker, value.func.right)
        if walker.call_name(value) not in BUFFER_FACTORIES:
            return None
        size = walker.argument(value, 1, "size")
        if size is not None:
            return _sized(walker, size)
        init = walker.argument(value, 0, "init")
        if init is None:
            return None
        folded = _const_size(walker, init)
        if folded is not None:
            return _Buffer(ast.unparse(init), folded)
        if _looks_like_size(init):
            return _Buffer(ast.unparse(init), None)
        folded = walker.const_value(init)
        text = f"len({ast.unparse(init)})"  # the initialiser fits, with its terminator
        if isinstance(folded, bytes | str):
            return _Buffer(text, len(folded) + 1)
        return _Buffer(text, None)

    def _buffer(self, expr: ast.expr) -> _Buffer | None:
        key = self._key(expr)
        return self._buffers.get(key) if key is not None else None

    # -- operations ------------------------------------------------------------------------------
    def _write(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        dst_pos, count_pos = WRITE_OPERATIONS[name]
        dst = walker.argument(node, dst_pos, "dst")
        count = walker.argument(node, count_pos, "count")
        if dst is None or count is None:
            return
        buffer = self._buffer(dst)
        value = _const_size(walker, count)
        if value is not None:
            if buffer is not None and buffer.size is not None and value > buffer.size:
                self._flag(
                    node,
                    name,
                    f"{name}() writes {value} bytes into `{walker.segment(dst)}`, a "
                    f"{buffer.size}-byte buffer",
                    "constant argument",
                    confidence=Confidence.HIGH,
                )
                return
            source = walker.argument(node, 1, "src") if name == "ctypes.memmove" else None
            from_buffer = self._buffer(source) if source is not None else None
            if (
                from_buffer is not None
                and from_buffer.size is not None
                and value > from_buffer.size
            ):
                self._flag(
                    node,
                    name,
                    f"{name}() copies {value} bytes out of `{walker.segment(source)}`, a "
                    f"{from_buffer.size}-byte buffer: the rest is whatever lies next to it",
                    "constant argument",
                    severity=Severity.MEDIUM,
                    confidence=Confidence.HIGH,
                    cwe=_CWE_OUT_OF_BOUNDS_READ,
                )
                return
            walker.examine(120, node, "ctypes-memory-op", "constant-size", f"{name}()")
            return
        if _bounded_by(walker, count, dst) or (
            buffer is not None and _same_size(walker, count, buffer)
        ):
            walker.examine(120, node, "ctypes-memory-op", "bounded-by-destination", f"{name}()")
            return
        self._flag(
            node,
            name,
            f"{name}() writes `{short_source(walker, count, 40)}` bytes into "
            f"`{short_source(walker, dst, 30)}` without bounding the count by the destination's "
            "size",
            "non-constant argument",
        )

    def _read(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        size = walker.argument(node, 1, "size")
        address = walker.argument(node, 0, "ptr")
        if size is None or walker.is_constant(size):
            walker.examine(120, node, "ctypes-memory-op", "constant-size", f"{name}()")
            return
        if address is not None and _bounded_by(walker, size, address):
            walker.examine(120, node, "ctypes-memory-op", "bounded-by-source", f"{name}()")
            return
        if not self._is_parameter(size):
            walker.examine(120, node, "ctypes-memory-op", "size-from-c", f"{name}()")
            return
        self._flag(
            node,
            name,
            f"{name}() reads `{short_source(walker, size, 30)}` bytes, a size chosen by the "
            "caller, not by the memory's owner: an oversized value leaks adjacent memory",
            "non-constant argument",
            severity=Severity.MEDIUM,
            cwe=_CWE_OUT_OF_BOUNDS_READ,
        )

    def _factory(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        init = walker.const_value(walker.argument(node, 0, "init"))
        size = _const_size(walker, walker.argument(node, 1, "size"))
        if (
            name == "ctypes.create_string_buffer"
            and isinstance(init, bytes)
            and isinstance(size, int)
            and size == len(init)
        ):
            self._flag(
                node,
                name,
                f"{name}() of a {len(init)}-byte initialiser with size {size} leaves no room for "
                "the NUL terminator: C string functions will read past the end",
                "constant argument",
                severity=Severity.MEDIUM,
                confidence=Confidence.HIGH,
                cwe=_CWE_MISSING_TERMINATOR,
            )
            return
        walker.examine(120, node, "ctypes-memory-op", "buffer-allocation", f"{name}()")

    def _foreign_call(self, node: ast.Call) -> None:
        """`lib.fn(buf, 256)` where buf was created with fewer bytes in this function."""
        if not self._buffers:
            return
        walker = self.walker
        args = node.args
        for index, arg in enumerate(args[:-1]):
            buffer = self._buffer(arg)
            if buffer is None or buffer.size is None:
                continue
            length = walker.const_value(args[index + 1])
            if isinstance(length, int) and not isinstance(length, bool) and length > buffer.size:
                self._flag(
                    node,
                    "foreign call",
                    f"`{short_source(walker, node.func, 30)}()` is told `{walker.segment(arg)}` "
                    f"holds {length} bytes, but it was created with {buffer.size}",
                    "constant argument",
                    confidence=Confidence.MEDIUM,
                )
                return

    def _is_parameter(self, expr: ast.expr) -> bool:
        function = self.walker.function
        if function is None or not isinstance(expr, ast.Name):
            return False
        args = function.args
        return any(a.arg == expr.id for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))

    def _flag(
        self,
        node: ast.Call,
        name: str,
        message: str,
        evidence: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        cwe: int | None = None,
    ) -> None:
        walker = self.walker
        walker.examine(cwe or 120, node, "ctypes-memory-op", "flagged", name)
        fix = _FIXES.get(cwe or 120, _FIXES[120])
        walker.report(
            self,
            node,
            message,
            severity=severity,
            confidence=confidence,
            evidence=evidence,
            cwe=cwe,
            fix=Fix(fix),
        )


def _sized(walker: Walker, size: ast.expr) -> _Buffer:
    return _Buffer(ast.unparse(size), _const_size(walker, size))


def _const_size(walker: Walker, size: ast.expr | None) -> int | None:
    """A constant integer, also `len(CONSTANT)`."""
    if size is None:
        return None
    value = walker.const_value(size)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(size, ast.Call) and _callee(size.func) == "len" and len(size.args) == 1:
        inner = walker.const_value(size.args[0])
        if isinstance(inner, str | bytes | tuple):
            return len(inner)
    return None


def _looks_like_size(expr: ast.expr) -> bool:
    """`create_string_buffer(len(data))` is a size; `create_string_buffer(data)` an initialiser."""
    if isinstance(expr, ast.BinOp):
        return True
    return isinstance(expr, ast.Call) and _callee(expr.func) in {
        "len",
        "sizeof",
        "int",
        "min",
        "max",
    }


def _bounded_by(walker: Walker, size: ast.expr, buffer: ast.expr) -> bool:
    """`sizeof(buf)`, `len(buf)`, or a `min()` that includes one of them."""
    buffer_text = ast.unparse(_unwrap_address(buffer))
    match size:
        case ast.Call(func=func, args=[arg]) if _callee(func) in _SIZE_FUNCTIONS:
            return ast.unparse(arg) == buffer_text
        case ast.Call(func=func, args=args) if _callee(func) == "min":
            return any(_bounded_by(walker, a, buffer) for a in args)
    return False


def _unwrap_address(expr: ast.expr) -> ast.expr:
    """`ctypes.addressof(obj)`, `byref(obj)`, `pointer(obj)`, `cast(obj, T)` -> `obj`."""
    if (
        isinstance(expr, ast.Call)
        and _callee(expr.func) in {"addressof", "byref", "pointer", "cast"}
        and expr.args
    ):
        return expr.args[0]
    return expr


def _same_size(walker: Walker, size: ast.expr, buffer: _Buffer) -> bool:
    text = ast.unparse(size)
    if text == buffer.size_text:
        return True
    if isinstance(size, ast.Call) and _callee(size.func) == "min":
        return any(ast.unparse(a) == buffer.size_text for a in size.args)
    return False


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""
