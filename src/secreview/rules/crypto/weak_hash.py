from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.common import is_truthy
from secreview.rules.crypto._shared import (
    HASH_VOCABULARY,
    decide,
    display_name,
    expr_names,
    split_words,
    usage_context,
)

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# Algorithm names as hashlib.new() and OpenSSL spell them.
WEAK_HASH_NAMES = frozenset({"md2", "md4", "md5", "md5-sha1", "md5_sha1", "sha", "sha1", "sha-1"})
STRONG_HASHLIB = frozenset(
    {
        "sha224",
        "sha256",
        "sha384",
        "sha512",
        "sha3_224",
        "sha3_256",
        "sha3_384",
        "sha3_512",
        "blake2b",
        "blake2s",
        "shake_128",
        "shake_256",
        "scrypt",
        "pbkdf2_hmac",
        "file_digest",
    }
)
# The packages whose calls `_weak_algorithm` judges.
_PACKAGES = ("hashlib.", "Crypto.", "Cryptodome.", "cryptography.", "md5.", "sha.")
_PYCRYPTO_WEAK = {"MD2": "MD2", "MD4": "MD4", "MD5": "MD5", "SHA": "SHA-1", "SHA1": "SHA-1"}
_CRYPTOGRAPHY_WEAK = {"MD5": "MD5", "SHA1": "SHA-1"}
# Python 2's md5 and sha modules, before hashlib.
_PYTHON2_MODULES = {"md5.new": "MD5", "md5.md5": "MD5", "sha.new": "SHA-1", "sha.sha": "SHA-1"}

# Constructions where a weak hash is not a weakness: HMAC and the KDFs built on it do not rely
# on collision resistance, and OAEP/MGF1 with SHA-1 is still sound.
_EXEMPT_CALLEES = {
    "HMAC": "hmac-construction",
    "PBKDF2HMAC": "hmac-construction",
    "HKDF": "hmac-construction",
    "HKDFExpand": "hmac-construction",
    "ConcatKDFHMAC": "hmac-construction",
    "MGF1": "oaep-padding",
    "OAEP": "oaep-padding",
}
_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "pw", "passphrase", "passcode"})

_LEVEL_PHRASES = {
    "target": "its result goes to `{}`",
    "data": "it hashes `{}`",
    "callee": "its result is passed to `{}()`",
    "function": "it is used in `{}()`",
    "class": "it is used in class `{}`",
}


class WeakHash(Rule):
    """Uses MD5 or SHA-1 (or MD4/MD2) where the digest may protect something.

    ## What it does
    Finds `hashlib.md5()`, `hashlib.sha1()`, `hashlib.new("md5" | "sha1" | "md4" ...)`,
    Python 2's `md5.new()` and `sha.new()`,
    PyCryptodome's `MD5.new()` / `SHA.new()` / `SHA1.new()` and cryptography's `hashes.MD5()` /
    `hashes.SHA1()`. The finding's strength depends on what the names around the call say:

    - high severity and confidence when the digest goes to, hashes, or is computed inside
      something named like a password, token, signature, session, nonce or credential
      (`token = md5(...)`, `md5(password)`, `def sign_request(...)`);
    - no finding (only an "examined, non-security use" note) for clearly non-security purposes:
      ETags, checksums, cache keys, dedup fingerprints, sharding, Gravatar URLs. Such a name on
      what is hashed or on the enclosing function overrides a security-looking name elsewhere;
    - high as well when the call passes `usedforsecurity=True`;
    - low otherwise: the purpose is unknown, and most digests whose purpose no name states
      name files, cache entries and assets. A reviewer acts on a stated security purpose;
    - low as well inside a class named for the algorithm it implements (`MD5PasswordHasher`,
      `Sha1Signer`): such a class is kept so that old digests still verify, and whether it is
      used is decided where it is chosen (a setting, a list of hashers).

    The names are looked at from the closest to the loosest: the assignment target, keyword,
    dict key or comparison the digest goes to; the data hashed; the function it is passed to;
    the enclosing function; the enclosing class.

    Calls passing `usedforsecurity=False` (Python 3.9+) are never reported: that argument is the
    standard way to say a digest is not a security control. SHA-1 inside HMAC, the HMAC-based
    KDFs and OAEP/MGF1 padding is not reported either, since those do not rely on collision
    resistance.

    ## Why is this bad?
    MD5 and SHA-1 collisions can be computed cheaply (SHAttered, chosen-prefix attacks), so a
    digest used for signatures, integrity against tampering or tokens can be forged. As password
    hashes they are fast to brute-force: billions of guesses per second on one GPU.

    Test code hashes fixture data with MD5 all the time; findings there are kept at low
    severity.

    ## Example
    ```python
    import hashlib

    def make_reset_token(user):
        token = hashlib.md5(f"{user.id}{user.email}".encode()).hexdigest()
        return token

    def check_password(raw, stored):
        return hashlib.sha1(raw.encode()).hexdigest() == stored
    ```

    ## Use instead
    ```python
    import hashlib
    import secrets

    def make_reset_token(user):
        return secrets.token_urlsafe(32)

    def check_password(raw, stored):
        return django.contrib.auth.hashers.check_password(raw, stored)  # or argon2/bcrypt/scrypt

    def etag(body: bytes) -> str:
        return hashlib.md5(body, usedforsecurity=False).hexdigest()  # not a security control
    ```
    Passwords need a slow salted KDF (`hashlib.scrypt`, argon2, bcrypt); other digests
    `hashlib.sha256` or better. The mechanical fix offered replaces the algorithm with SHA-256;
    when the digest is not used for security, pass `usedforsecurity=False` instead.

    ## References
    - https://cwe.mitre.org/data/definitions/328.html
    - https://cwe.mitre.org/data/definitions/327.html
    - https://docs.python.org/3/library/hashlib.html#hashlib.new
    - https://shattered.io/
    """

    id = "SR405"
    slug = "weak-hash"
    cwe = 328
    related_cwes = (327,)
    title = "Weak hash algorithm (MD5/SHA-1) used for security"
    severity = Severity.LOW
    confidence = Confidence.MEDIUM
    node_types = (ast.Call,)
    # None: every class of cryptography's `hashes` whose name starts with SHA or BLAKE is
    # counted as a strong algorithm, whatever its name; `check` drops the calls of other
    # packages first, cheaply.
    call_leaves = None
    # Tests hash fixture data with MD5 all the time; such findings stay visible but low.
    in_tests = "lower"

    def check(self, node: ast.Call) -> None:
        walker = self.walker
        name = walker.call_name(node)
        if name is None or not name.startswith(_PACKAGES):
            return
        found = self._weak_algorithm(node, name)
        if found is None:
            return
        algorithm, data = found
        shown = display_name(walker, node, name)
        if name.startswith("hashlib."):
            used = walker.keyword(node, "usedforsecurity")
            if used is not None and is_truthy(walker, used) is False:
                walker.examine(
                    328,
                    node,
                    "hash-call",
                    "usedforsecurity-false",
                    f"{shown}() ({algorithm}) with usedforsecurity=False",
                )
                return
        context = usage_context(walker, node)
        if context.callees and context.callees[0] in _EXEMPT_CALLEES:
            walker.examine(
                328,
                node,
                "hash-call",
                _EXEMPT_CALLEES[context.callees[0]],
                f"{algorithm} inside {context.callees[0]}()",
            )
            return
        data_names = [n for arg in data for n in expr_names(arg)]
        decision = decide(HASH_VOCABULARY, context, data_names)
        if decision is not None and decision[1] == "benign":
            walker.examine(
                328,
                node,
                "hash-call",
                "non-security-use",
                f"{shown}() ({algorithm}) for `{decision[2]}`",
            )
            return
        walker.examine(328, node, "hash-call", "flagged", f"{shown}() ({algorithm})")
        if decision is not None and _named_for(context.class_name, algorithm):
            # `class MD5PasswordHasher`: an implementation of the algorithm its name states,
            # kept so that old digests still verify. Whether it protects anything is decided
            # where it is chosen (a setting, a list of hashers), not here.
            walker.report(
                self,
                node,
                f"{shown}() uses {algorithm} in class `{context.class_name}`, which implements "
                f"{algorithm} by name; check where that class is chosen: it should only verify "
                "old digests, not make new ones",
                severity=Severity.LOW,
                evidence="class named for the algorithm",
                fix=self._fix(node, name),
            )
            return
        if decision is not None:
            level, _, matched = decision
            reason = _LEVEL_PHRASES[level].format(matched)
            password = any(w in _PASSWORD_WORDS or "passw" in w for w in split_words(matched))
            walker.report(
                self,
                node,
                f"{shown}() uses {algorithm}, a broken hash, for a security purpose: {reason}",
                severity=Severity.HIGH,
                confidence=Confidence.HIGH,
                evidence="name heuristic",
                fix=_password_fix() if password else self._fix(node, name),
            )
            return
        used = walker.keyword(node, "usedforsecurity") if name.startswith("hashlib.") else None
        if used is not None and is_truthy(walker, used) is True:
            walker.report(
                self,
                node,
                f"{shown}() uses {algorithm}, a broken hash, with usedforsecurity=True: the "
                "code says the digest protects something, and it can be forged",
                severity=Severity.HIGH,
                confidence=Confidence.HIGH,
                evidence="usedforsecurity=True",
                fix=self._fix(node, name),
            )
            return
        # Nothing around the call says what the digest is for: most such digests name files,
        # cache entries and assets. Worth a look, not a change by default.
        walker.report(
            self,
            node,
            f"{shown}() uses {algorithm}, a broken hash; nothing around it says what the digest "
            "is for: if it protects anything (signature, token, integrity against tampering) "
            "it can be forged",
            severity=Severity.LOW,
            evidence="weak algorithm, purpose unknown",
            fix=self._fix(node, name),
        )

    # -- what is called ------------------------------------------------------------------------
    def _weak_algorithm(self, node: ast.Call, name: str) -> tuple[str, list[ast.expr]] | None:
        """(algorithm, data arguments) for a weak hash constructor; None otherwise."""
        walker = self.walker
        module, _, attr = name.rpartition(".")
        if module == "hashlib":
            if attr in ("md5", "sha1"):
                data = _args(walker, node, 0, "string") or _args(walker, node, None, "data")
                return attr.upper().replace("SHA1", "SHA-1"), data
            if attr == "new":
                algo = walker.const_value(walker.argument(node, 0, "name"))
                if isinstance(algo, str) and algo.lower() in WEAK_HASH_NAMES:
                    return algo.upper(), _args(walker, node, 1, "data")
                if isinstance(algo, str):
                    walker.examine(
                        328, node, "hash-call", "strong-algorithm", f"hashlib.new({algo!r})"
                    )
                else:
                    walker.examine(328, node, "hash-call", "unknown-algorithm", "hashlib.new()")
                return None
            if attr in STRONG_HASHLIB:
                walker.examine(328, node, "hash-call", "strong-algorithm", f"{name}()")
            return None
        if name in _PYTHON2_MODULES:
            return _PYTHON2_MODULES[name], _args(walker, node, 0, "arg")
        parts = name.split(".")
        if (
            len(parts) == 4
            and parts[0] in ("Crypto", "Cryptodome")
            and parts[1] == "Hash"
            and parts[3] == "new"
        ):
            if parts[2] in _PYCRYPTO_WEAK:
                return _PYCRYPTO_WEAK[parts[2]], _args(walker, node, 0, "data")
            if parts[2].startswith(("SHA", "BLAKE", "keccak")):
                walker.examine(328, node, "hash-call", "strong-algorithm", f"{name}()")
            return None
        if name.startswith("cryptography.") and len(parts) >= 2 and parts[-2] == "hashes":
            if parts[-1] in _CRYPTOGRAPHY_WEAK:
                return _CRYPTOGRAPHY_WEAK[parts[-1]], []
            if parts[-1].startswith(("SHA", "BLAKE")):
                walker.examine(328, node, "hash-call", "strong-algorithm", f"{name}()")
        return None

    def _fix(self, node: ast.Call, name: str) -> Fix:
        walker = self.walker
        words = (
            "use SHA-256 or better (stored digests change and need migrating); if this digest is "
            "not a security control (checksum, cache key, ETag), pass usedforsecurity=False instead"
        )
        func = node.func
        if name in ("hashlib.md5", "hashlib.sha1") and isinstance(func, ast.Attribute):
            return walker.replace_fix(func, f"{walker.segment(func.value)}.sha256", words)
        if name == "hashlib.new":
            algo = walker.argument(node, 0, "name")
            if isinstance(algo, ast.Constant):
                return walker.replace_fix(algo, '"sha256"', words)
        if name.startswith("cryptography.") and isinstance(func, ast.Attribute):
            return walker.replace_fix(
                func,
                f"{walker.segment(func.value)}.SHA256",
                "use hashes.SHA256() or better; SHA-1 signatures and certificates can be forged",
            )
        if name.startswith(("Crypto.", "Cryptodome.")):
            return Fix("use SHA256.new() (from Crypto.Hash import SHA256) or better")
        return Fix(words)


def _args(walker: Walker, node: ast.Call, position: int | None, keyword: str) -> list[ast.expr]:
    arg = walker.argument(node, position, keyword)
    return [arg] if arg is not None else []


def _named_for(class_name: str, algorithm: str) -> bool:
    """Whether a class's name states the weak algorithm it implements (`MD5PasswordHasher`,
    `Sha1Signer`, `md5_crypt`)."""
    wanted = algorithm.lower().replace("-", "")
    words = split_words(class_name)
    return wanted in words or (wanted == "sha1" and "sha" in words)


def _password_fix() -> Fix:
    return Fix(
        "hash passwords with a slow, salted password hash: argon2-cffi, bcrypt, hashlib.scrypt "
        "or the framework's hasher (Django make_password, Werkzeug generate_password_hash); "
        "a fast hash, even SHA-256, is not enough"
    )
