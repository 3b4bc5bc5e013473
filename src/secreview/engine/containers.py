"""What a local list or dict holds, element by element, while a function is lowered.

`args = []; args.append("sh"); args.append("-c"); args.append(cmd)` builds the same argument
list as `["sh", "-c", cmd]`, and `m = {}; m["a"] = "x"; m["b"] = param; bar = m["a"]` reads
the constant. The lowering keeps, for a local last assigned a list or dict display, what each
position or constant key holds, as long as every use of the local is one it understands:
`append`, `insert`, `extend` with a display, `pop`, `remove`, `clear`, an index or key read
or write with a constant; and for a `configparser.ConfigParser()`, `set` and `get` of a
constant section and option. Any other use (passing the local to a call,
iterating it, a computed index) ends the tracking at that point, and the local is then the
container it always was: every element's taint flows to it as a whole.

Branches join position by position when both leave a list of the same length (the constants
an element may be are kept: `"sh"` on one branch and `"cmd.exe"` on the other), and key by key
for dicts. Loops and `try` forget what they touch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Op = Any  # an operand of the IR (see ir.py)
MAX_ITEMS = 64  # longer lists or dicts are not followed element by element


@dataclass(slots=True)
class Element:
    """One position of a list: the constants it may be (empty: not a constant) and its taint."""

    constants: tuple[Any, ...]
    op: Op
    reported: bool = False  # already a shell command where a display `["sh", "-c", x]` was


@dataclass(slots=True)
class ListShape:
    items: list[Element] = field(default_factory=list)
    removed: Op = None  # what `pop`, `remove` and `clear` took out

    def copy(self) -> ListShape:
        return ListShape(list(self.items), self.removed)


@dataclass(slots=True)
class DictShape:
    items: dict[Any, Op] = field(default_factory=dict)
    # A configparser: keys are (section, option), written by `set` and read by `get`.
    options: bool = False

    def copy(self) -> DictShape:
        return DictShape(dict(self.items), self.options)


Shape = ListShape | DictShape


def union(ops: list[Op]) -> Op:
    kept = [op for op in ops if op is not None]
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    return ("u", tuple(kept))


def joined(left: dict[str, Shape], right: dict[str, Shape]) -> dict[str, Shape]:
    """The shapes that hold after either of two branches."""
    result: dict[str, Shape] = {}
    for name, one in left.items():
        other = right.get(name)
        if isinstance(one, ListShape) and isinstance(other, ListShape):
            if len(one.items) != len(other.items):
                continue
            result[name] = ListShape(
                [
                    Element(
                        (*a.constants, *(c for c in b.constants if c not in a.constants))
                        if a.constants and b.constants
                        else (),
                        union([a.op, b.op]),
                        a.reported and b.reported,
                    )
                    for a, b in zip(one.items, other.items, strict=True)
                ],
                union([one.removed, other.removed]),
            )
        elif (
            isinstance(one, DictShape)
            and isinstance(other, DictShape)
            and one.options == other.options
        ):
            keys = [*one.items, *(k for k in other.items if k not in one.items)]
            result[name] = DictShape(
                {k: union([one.items.get(k), other.items.get(k)]) for k in keys}, one.options
            )
    return result


def alternatives(shape: ListShape) -> list[list[Any]]:
    """The constant lists `shape` may be, as far as its first elements go: the i-th
    alternative takes each element's i-th constant (or its last), so elements set together on
    one branch stay together. Non-constant elements are `None`."""
    widest = max((len(e.constants) for e in shape.items), default=0)
    return [
        [e.constants[min(i, len(e.constants) - 1)] if e.constants else None for e in shape.items]
        for i in range(max(widest, 1))
    ]
