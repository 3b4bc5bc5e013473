"""What a local list or dict holds, element by element, while a function is lowered.

`args = []; args.append("sh"); args.append("-c"); args.append(cmd)` builds the same argument
list as `["sh", "-c", cmd]`, and `m = {}; m["a"] = "x"; m["b"] = param; bar = m["a"]` reads
the constant. The lowering keeps, for a local last assigned a list or dict display, what each
position or constant key holds, as long as every use of the local is one it understands:
`append`, `insert`, `extend` with a display, `pop`, `remove`, `clear`, an index or key read
or write with a constant; and for a `configparser.ConfigParser()`, `set` and `get` of a
constant section and option. Any other use (iterating it, a computed index into a list,
assigning it to another name) ends the tracking at that point, and the local is then the
container it always was: every element's taint flows to it as a whole.

A dict keeps its keys through what cannot name them:

- a store under a computed key (`filters[opt] = value`) goes to every key known so far, and to
  `some`, what a key the program never stored under a constant holds: a later read of a
  constant key gets that key's entry (with the computed stores made after it) or `some`; a
  later constant-key store replaces that key only. A read by a computed key gets everything.
- passing the dict to a call (`lookup(context, filters)`): the callee may store into it what it
  was given with it (the call's other arguments), under any key, so these join every entry and
  `some`; the keys known before the call stay. The engine follows no callee's writes into its
  arguments beyond that (what the callee reads from its own sources and stores is not seen, as
  for a dict followed whole).
- `key in filters` and tests (`if filters:`, `filters is None`) only read it.
- a loop or `try` whose uses of the dict are all key reads, key stores, `.get` and `in`: every
  key and `some` may hold anything the statement stores, from then on and inside it.

A list built by a call (`info = list(pwd.getpwnam(name))`, `info = self.user_info()`) is
followed by position (`Positions`) while only literal non-negative indexes read or write it
and tests read it (`if info is False:`): `info[1] = password` changes position 1, and
`info[2]` is what the call made at position 2 (what the callee returned there, when the solver
knows it by position; else its whole value). Returning a followed list gives the solver each
position (up to MAX_RETURN_ITEMS), so a caller reading `info[2]` does not get what was stored
at `info[1]`.

Branches join position by position when both leave a list of the same length (the constants
an element may be are kept: `"sh"` on one branch and `"cmd.exe"` on the other), and key by key
for dicts. Loops and `try` forget what they touch, except the dicts above.
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
    # What a key not in `items` holds: the values stored under keys the program computes.
    some: Op = None

    def copy(self) -> DictShape:
        return DictShape(dict(self.items), self.options, self.some)

    def entry(self, key: Any) -> Op:
        """A constant key's value (None: a missing key, which raises)."""
        return self.items.get(key, self.some)

    def everything(self) -> Op:
        return union([*self.items.values(), self.some])

    def keyed(self) -> dict[Any, Op] | None:
        """Every key and its value, when they are all known."""
        return None if self.options or self.some is not None else dict(self.items)

    def store_anywhere(self, op: Op) -> None:
        """A store under a key that cannot be told: any entry may now be `op`."""
        if op is None:
            return
        self.items = {k: union([v, op]) for k, v in self.items.items()}
        self.some = union([self.some, op])


@dataclass(slots=True)
class Positions:
    """A list of unknown length, made by a call (`made_by`, its op): the positions written
    with a constant index since, and what the others hold (`rest`: the call's value)."""

    made_by: Op
    items: dict[int, Op] = field(default_factory=dict)

    def copy(self) -> Positions:
        return Positions(self.made_by, dict(self.items))

    def at(self, index: int) -> Op:
        if index in self.items:
            return self.items[index]
        return ("e", self.made_by, index) if self.made_by is not None else None

    def everything(self) -> Op:
        return union([*self.items.values(), self.made_by])


Shape = ListShape | DictShape | Positions


def union(ops: list[Op]) -> Op:
    """Flat and without repeats: entries joined again and again by computed-key stores and
    loops stay the size of what they may hold."""
    kept: dict[Op, None] = {}
    for op in ops:
        if op is None:
            continue
        if op[0] == "u":
            kept.update(dict.fromkeys(op[1]))
        else:
            kept[op] = None
    if not kept:
        return None
    if len(kept) == 1:
        return next(iter(kept))
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
                {k: union([one.entry(k), other.entry(k)]) for k in keys},
                one.options,
                union([one.some, other.some]),
            )
        elif isinstance(one, Positions) and isinstance(other, Positions):
            if one.made_by != other.made_by:
                continue
            indexes = [*one.items, *(i for i in other.items if i not in one.items)]
            result[name] = Positions(
                one.made_by, {i: union([one.at(i), other.at(i)]) for i in indexes}
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
