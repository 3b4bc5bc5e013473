"""CWE-1007: identifiers that look like other identifiers (homoglyphs, mixed scripts)."""

from __future__ import annotations

import ast
import io
import re
import tokenize
import unicodedata
from dataclasses import dataclass

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.source_integrity._shared import TextPosition

# Letters of other scripts that look like Latin letters, and the letter they look like.
LOOKALIKES: dict[str, str] = {
    # Cyrillic
    "\u0430": "a",  # CYRILLIC SMALL LETTER A
    "\u0432": "b",  # CYRILLIC SMALL LETTER VE
    "\u0435": "e",  # CYRILLIC SMALL LETTER IE
    "\u043e": "o",  # CYRILLIC SMALL LETTER O
    "\u0440": "p",  # CYRILLIC SMALL LETTER ER
    "\u0441": "c",  # CYRILLIC SMALL LETTER ES
    "\u0443": "y",  # CYRILLIC SMALL LETTER U
    "\u0445": "x",  # CYRILLIC SMALL LETTER HA
    "\u0455": "s",  # CYRILLIC SMALL LETTER DZE
    "\u0456": "i",  # CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
    "\u0458": "j",  # CYRILLIC SMALL LETTER JE
    "\u04bb": "h",  # CYRILLIC SMALL LETTER SHHA
    "\u0501": "d",  # CYRILLIC SMALL LETTER KOMI DE
    "\u051b": "q",  # CYRILLIC SMALL LETTER QA
    "\u051d": "w",  # CYRILLIC SMALL LETTER WE
    "\u04cf": "l",  # CYRILLIC SMALL LETTER PALOCHKA
    "\u04af": "y",  # CYRILLIC SMALL LETTER STRAIGHT U
    "\u044c": "b",  # CYRILLIC SMALL LETTER SOFT SIGN
    "\u0410": "A",  # CYRILLIC CAPITAL LETTER A
    "\u0412": "B",  # CYRILLIC CAPITAL LETTER VE
    "\u0415": "E",  # CYRILLIC CAPITAL LETTER IE
    "\u041a": "K",  # CYRILLIC CAPITAL LETTER KA
    "\u041c": "M",  # CYRILLIC CAPITAL LETTER EM
    "\u041d": "H",  # CYRILLIC CAPITAL LETTER EN
    "\u041e": "O",  # CYRILLIC CAPITAL LETTER O
    "\u0420": "P",  # CYRILLIC CAPITAL LETTER ER
    "\u0421": "C",  # CYRILLIC CAPITAL LETTER ES
    "\u0422": "T",  # CYRILLIC CAPITAL LETTER TE
    "\u0425": "X",  # CYRILLIC CAPITAL LETTER HA
    "\u0423": "Y",  # CYRILLIC CAPITAL LETTER U
    "\u0405": "S",  # CYRILLIC CAPITAL LETTER DZE
    "\u0406": "I",  # CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I
    "\u0408": "J",  # CYRILLIC CAPITAL LETTER JE
    "\u04ae": "Y",  # CYRILLIC CAPITAL LETTER STRAIGHT U
    "\u051a": "Q",  # CYRILLIC CAPITAL LETTER QA
    "\u051c": "W",  # CYRILLIC CAPITAL LETTER WE
    # Greek
    "\u03bf": "o",  # GREEK SMALL LETTER OMICRON
    "\u03f2": "c",  # GREEK LUNATE SIGMA SYMBOL
    "\u03f3": "j",  # GREEK LETTER YOT
    "\u03b1": "a",  # GREEK SMALL LETTER ALPHA
    "\u03b9": "i",  # GREEK SMALL LETTER IOTA
    "\u03ba": "k",  # GREEK SMALL LETTER KAPPA
    "\u03bd": "v",  # GREEK SMALL LETTER NU
    "\u03c1": "p",  # GREEK SMALL LETTER RHO
    "\u03c5": "u",  # GREEK SMALL LETTER UPSILON
    "\u0391": "A",  # GREEK CAPITAL LETTER ALPHA
    "\u0392": "B",  # GREEK CAPITAL LETTER BETA
    "\u0395": "E",  # GREEK CAPITAL LETTER EPSILON
    "\u0396": "Z",  # GREEK CAPITAL LETTER ZETA
    "\u0397": "H",  # GREEK CAPITAL LETTER ETA
    "\u0399": "I",  # GREEK CAPITAL LETTER IOTA
    "\u039a": "K",  # GREEK CAPITAL LETTER KAPPA
    "\u039c": "M",  # GREEK CAPITAL LETTER MU
    "\u039d": "N",  # GREEK CAPITAL LETTER NU
    "\u039f": "O",  # GREEK CAPITAL LETTER OMICRON
    "\u03a1": "P",  # GREEK CAPITAL LETTER RHO
    "\u03a4": "T",  # GREEK CAPITAL LETTER TAU
    "\u03a5": "Y",  # GREEK CAPITAL LETTER UPSILON
    "\u03a7": "X",  # GREEK CAPITAL LETTER CHI
    "\u03f9": "C",  # GREEK CAPITAL LUNATE SIGMA SYMBOL
    # Armenian
    "\u0585": "o",  # ARMENIAN SMALL LETTER OH
    "\u0578": "n",  # ARMENIAN SMALL LETTER VO
    "\u057d": "u",  # ARMENIAN SMALL LETTER SEH
    "\u0570": "h",  # ARMENIAN SMALL LETTER HO
    "\u0581": "g",  # ARMENIAN SMALL LETTER CO
    "\u0566": "q",  # ARMENIAN SMALL LETTER ZA
    "\u0555": "O",  # ARMENIAN CAPITAL LETTER OH
    "\u054d": "U",  # ARMENIAN CAPITAL LETTER SEH
    # Cherokee
    "\u13aa": "A",  # CHEROKEE LETTER GO
    "\u13f4": "B",  # CHEROKEE LETTER YV
    "\u13df": "C",  # CHEROKEE LETTER TLI
    "\u13ac": "E",  # CHEROKEE LETTER GV
    "\u13bb": "H",  # CHEROKEE LETTER MI
    "\u13b3": "W",  # CHEROKEE LETTER LA
    "\u13b7": "M",  # CHEROKEE LETTER LU
    "\u13da": "S",  # CHEROKEE LETTER DU
    "\u13e6": "K",  # CHEROKEE LETTER TSO
}
# Greek letters common in scientific code (alpha, rho, nu...) are only suspicious when the
# whole identifier collides with another; mixed into a Latin word, only these are.
GREEK_IN_LATIN = frozenset(
    "\u03bf\u03f2\u03f3\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u03f9"
)
# Scripts whose letters never belong inside a Latin word.
FOREIGN_IN_LATIN = frozenset({"CYRILLIC", "ARMENIAN", "CHEROKEE", "COPTIC"})
_SEGMENTS = re.compile(r"[_0-9]+")


@dataclass(slots=True)
class _Identifier:
    name: str  # as Python sees it (NFKC-normalised)
    line: int
    text: str  # the physical line
    start: int
    end: int
    count: int = 1


def script(char: str) -> str:
    """The first word of the character's Unicode name: LATIN, CYRILLIC, GREEK, CJK..."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


def skeleton(name: str) -> str:
    return "".join(LOOKALIKES.get(char, char) for char in name)


class ConfusableIdentifier(Rule):
    r"""Uses an identifier with letters from another script that look like Latin ones.

    ## What it does
    In files that are not pure ASCII, reads every identifier (names, functions, classes,
    arguments, attributes, imports) as Python sees it (NFKC-normalised) and reports:
    identifiers that look exactly like another identifier of the module but are different
    names (`\u0430dmin` with a Cyrillic `\u0430` next to `admin`), and words that mix Latin
    letters with Cyrillic, Armenian or Cherokee letters, or with Greek letters that look Latin
    (`\u03bf`, `\u0391`...).
    Each identifier is reported once, where it first appears. Identifiers written entirely in
    one script (Russian or Greek names, `\u03b1`, `\u0394t`, `\u03c1_air`) are fine.

    (The rule reads the tokens in `begin_module`; it subscribes to `ast.Module`, which the
    walker never dispatches, because the framework requires a subscription.)

    ## Why is this bad?
    Homoglyphs let a change pass review while doing something else than it shows: a call to
    `is_\u0430dmin()` runs an attacker-defined function instead of the real `is_admin()`; an
    assignment to `\u0430ccess_granted` leaves the real variable untouched. Nobody sees the
    difference on screen (Trojan Source, CVE-2021-42694).

    ## Example
    ```python
    def check(user):
        # the "a" of is_admin below is U+0430 CYRILLIC SMALL LETTER A, shown escaped
        is_\u0430dmin = user.role == "admin"
        return is_admin
    ```

    ## Use instead
    ```python
    def check(user):
        is_admin = user.role == "admin"
        return is_admin
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/1007.html
    - https://trojansource.codes/
    - https://www.unicode.org/reports/tr39/
    """

    id = "SR802"
    slug = "confusable-identifier"
    cwe = 1007
    related_cwes = (838,)
    title = "Identifier with confusable characters"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    node_types = (ast.Module,)
    in_tests = "report"

    def check(self, node: ast.AST) -> None:
        """Never called: the walker does not dispatch the Module root (see begin_module)."""

    def begin_module(self) -> None:
        text = self.walker.parsed.text
        if text.isascii():
            return
        ascii_names: set[str] = set()
        others: dict[str, _Identifier] = {}
        try:
            for token in tokenize.generate_tokens(io.StringIO(text).readline):
                if token.type != tokenize.NAME:
                    continue
                if token.string.isascii():
                    ascii_names.add(token.string)
                    continue
                name = unicodedata.normalize("NFKC", token.string)
                if name.isascii():
                    ascii_names.add(name)  # fullwidth or mathematical letters: the same name
                    continue
                known = others.get(name)
                if known is not None:
                    known.count += 1
                    continue
                (line, start), (_, end) = token.start, token.end
                others[name] = _Identifier(name, line, token.line, start, end)
        except (tokenize.TokenError, SyntaxError, IndentationError):
            return
        if not others:
            return
        skeletons: dict[str, list[str]] = {}
        for name in others:
            skeletons.setdefault(skeleton(name), []).append(name)
        for identifier in others.values():
            self._judge(identifier, ascii_names, skeletons)

    def _judge(
        self, ident: _Identifier, ascii_names: set[str], skeletons: dict[str, list[str]]
    ) -> None:
        walker = self.walker
        name = ident.name
        position = TextPosition(ident.line, ident.text, ident.start, ident.end)
        suspects = [c for c in name if c in LOOKALIKES]
        shape = skeleton(name)
        twins = [shape] if shape in ascii_names else []
        twins += [n for n in skeletons.get(shape, ()) if n != name]
        times = f" (used {ident.count} times)" if ident.count > 1 else ""
        if twins and suspects:
            walker.examine(1007, position, "identifier", "flagged", name)
            walker.report(
                self,
                position,
                f"identifier `{name}`{times} looks like `{twins[0]}` but is a different name: "
                f"{_describe(suspects)}",
                severity=Severity.HIGH,
                evidence="homoglyph of another identifier",
                fix=Fix(f"rename it with plain letters (`{shape}` is what it appears to be)"),
            )
            return
        mixed = _mixed_word(name)
        if mixed:
            foreign = [c for c in mixed if c.isalpha() and script(c) != "LATIN"]
            walker.examine(1007, position, "identifier", "flagged", name)
            walker.report(
                self,
                position,
                f"identifier `{name}`{times} mixes Latin letters with "
                f"{script(foreign[0]).title()} ones in `{mixed}`: {_describe(foreign)}",
                confidence=Confidence.HIGH
                if script(foreign[0]) in FOREIGN_IN_LATIN
                else Confidence.MEDIUM,
                evidence="mixed-script identifier",
                fix=Fix(f"write `{mixed}` in one script (probably `{skeleton(mixed)}`)"),
            )
            return
        walker.examine(1007, position, "identifier", "single-script", name)


def _mixed_word(name: str) -> str:
    """The first `_`-separated word of `name` mixing Latin with a confusable script, or ""."""
    for word in _SEGMENTS.split(name):
        letters = [c for c in word if c.isalpha()]
        scripts = {script(c) for c in letters}
        if "LATIN" not in scripts or len(scripts) < 2:
            continue
        if scripts & FOREIGN_IN_LATIN:
            return word
        if any(c in GREEK_IN_LATIN for c in letters):
            return word
    return ""


def _describe(chars: list[str]) -> str:
    seen: list[str] = []
    for char in chars:
        if char not in seen:
            seen.append(char)
    parts = []
    for char in seen[:3]:
        looks = LOOKALIKES.get(char)
        like = f" (looks like '{looks}')" if looks else ""
        parts.append(f"U+{ord(char):04X} {unicodedata.name(char, '?')}{like}")
    return ", ".join(parts)
