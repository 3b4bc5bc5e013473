from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.parsing.names import NOT_CONSTANT
from secreview.rules.base import Rule, leaves_of
from secreview.rules.crypto._shared import display_name, has_unpacking

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

MIN_MODULUS_BITS = 2048  # RSA, DSA, finite-field DH
BREAKABLE_MODULUS_BITS = 1024
MIN_CURVE_BITS = 224
BREAKABLE_CURVE_BITS = 160

# Key generators taking a modulus size: qualified-name suffix -> (kind, position, keyword, default).
_SIZE_PARAMETERS: dict[str, tuple[str, int, str, int | None]] = {
    "asymmetric.rsa.generate_private_key": ("RSA", 1, "key_size", None),
    "asymmetric.dsa.generate_private_key": ("DSA", 0, "key_size", None),
    "asymmetric.dsa.generate_parameters": ("DSA", 0, "key_size", None),
    "asymmetric.dh.generate_parameters": ("DH", 1, "key_size", None),
    "Crypto.PublicKey.RSA.generate": ("RSA", 0, "bits", None),
    "Crypto.PublicKey.DSA.generate": ("DSA", 0, "bits", None),
    "Cryptodome.PublicKey.RSA.generate": ("RSA", 0, "bits", None),
    "Cryptodome.PublicKey.DSA.generate": ("DSA", 0, "bits", None),
    "paramiko.RSAKey.generate": ("RSA", 0, "bits", None),
    "paramiko.rsakey.RSAKey.generate": ("RSA", 0, "bits", None),
    "paramiko.DSSKey.generate": ("DSA", 0, "bits", 1024),
    "paramiko.dsskey.DSSKey.generate": ("DSA", 0, "bits", 1024),
    "rsa.newkeys": ("RSA", 0, "nbits", None),
}
_CURVE_BITS = {
    "SECP192R1": 192,
    "SECT163K1": 163,
    "SECT163R2": 163,
    "SECP224R1": 224,
    "SECT233K1": 233,
    "SECT233R1": 233,
    "SECP256K1": 256,
    "SECP256R1": 256,
    "SECT283K1": 283,
    "SECT283R1": 283,
    "SECP384R1": 384,
    "SECT409K1": 409,
    "SECT409R1": 409,
    "SECP521R1": 521,
    "SECT571K1": 571,
    "SECT571R1": 571,
    "BrainpoolP256R1": 256,
    "BrainpoolP384R1": 384,
    "BrainpoolP512R1": 512,
}
# PyCryptodome ECC curve names (lower-cased) below 224 bits.
_PYCRYPTODOME_WEAK_CURVES = {
    "p192": 192,
    "p-192": 192,
    "nist p-192": 192,
    "prime192v1": 192,
    "secp192r1": 192,
}
_ECC_GENERATE = frozenset({"Crypto.PublicKey.ECC.generate", "Cryptodome.PublicKey.ECC.generate"})
_OPENSSL_TYPES = {"OpenSSL.crypto.TYPE_RSA": "RSA", "OpenSSL.crypto.TYPE_DSA": "DSA"}


class WeakKeySize(Rule):
    """Generates an RSA/DSA/DH key under 2048 bits or an elliptic-curve key under 224 bits.

    ## What it does
    Finds key generation with a constant size that is too small: `cryptography`'s
    `rsa.generate_private_key(key_size=...)`, `dsa.generate_private_key(...)`,
    `dh.generate_parameters(...)` and weak curves (`ec.SECP192R1()`, `ec.SECT163K1()`...),
    PyCrypto/PyCryptodome's `RSA.generate(bits)`, `DSA.generate(bits)` and `ECC.generate(curve=
    "P-192")`, paramiko's `RSAKey.generate(bits)` and `DSSKey.generate()` (1024 bits by
    default), python-rsa's `rsa.newkeys(n)` and pyOpenSSL's `PKey().generate_key(TYPE_RSA, n)`.
    Sizes are constant-folded (`KEY_BITS = 512 * 2` counts). Sizes below 1024 bits (160 for
    curves) are high severity, the rest medium, as in Bandit's B505.

    ## Why is this bad?
    512-bit RSA keys are factored in hours on rented hardware and 1024-bit keys are within
    reach of well-funded attackers; NIST has disallowed them since 2013. A broken key lets the
    attacker forge signatures and decrypt traffic for the key's whole lifetime.

    Test code is skipped: test suites generate small keys on purpose, because large ones are
    slow to generate, and those keys protect nothing.

    ## Example
    ```python
    from cryptography.hazmat.primitives.asymmetric import rsa

    def new_signing_key():
        return rsa.generate_private_key(public_exponent=65537, key_size=1024)
    ```

    ## Use instead
    ```python
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    def new_signing_key():
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
        # or: ec.generate_private_key(ec.SECP256R1())
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/326.html
    - https://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-131Ar2.pdf
    """

    id = "SR407"
    slug = "weak-key-size"
    cwe = 326
    title = "Cryptographic key too small"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    node_types = (ast.Call,)
    # pyOpenSSL's generate_key() on any receiver; the key generators and curves by name.
    call_leaves = leaves_of(
        ("generate_key", "generate_private_key"), _SIZE_PARAMETERS, _CURVE_BITS, _ECC_GENERATE
    )
    # Test suites generate small keys on purpose, because big ones are slow to generate.
    in_tests = "skip"

    def check(self, node: ast.Call) -> None:
        walker = self.walker
        if isinstance(node.func, ast.Attribute) and node.func.attr == "generate_key":
            self._openssl(node)  # PKey().generate_key(TYPE_RSA, bits): any receiver
            return
        name = walker.call_name(node)
        if name is None:
            return
        parts = name.split(".")
        spec = _SIZE_PARAMETERS.get(name) or (
            _SIZE_PARAMETERS.get(".".join(parts[-3:])) if name.startswith("cryptography.") else None
        )
        if spec is not None:
            kind, position, keyword, default = spec
            self._modulus(
                node,
                display_name(walker, node, name),
                kind,
                walker.argument(node, position, keyword),
                default,
            )
        elif name.startswith("cryptography.") and len(parts) >= 2 and parts[-2] == "ec":
            if parts[-1] in _CURVE_BITS:
                self._curve(node, f"ec.{parts[-1]}", _CURVE_BITS[parts[-1]])
            elif parts[-1] == "generate_private_key":
                # Old code passes the curve class itself: ec.generate_private_key(ec.SECP192R1, b)
                curve = walker.argument(node, 0, "curve")
                curve_name = (walker.qualname(curve) or "") if curve is not None else ""
                if not isinstance(curve, ast.Call) and curve_name.rpartition(".")[2] in _CURVE_BITS:
                    short = curve_name.rpartition(".")[2]
                    self._curve(node, f"ec.{short}", _CURVE_BITS[short])
        elif name in _ECC_GENERATE:
            curve = walker.const_value(walker.argument(node, None, "curve"))
            if isinstance(curve, str):
                bits = _PYCRYPTODOME_WEAK_CURVES.get(curve.lower())
                if bits is not None:
                    self._curve(node, f'curve="{curve}"', bits)
                else:
                    walker.examine(326, node, "key-generation", "adequate", f"ECC curve {curve}")

    def _openssl(self, node: ast.Call) -> None:
        walker = self.walker
        key_type = walker.argument(node, 0, "type")
        kind = _OPENSSL_TYPES.get(walker.qualname(key_type) or "") if key_type else None
        if kind is not None:
            self._modulus(node, "PKey.generate_key", kind, walker.argument(node, 1, "bits"), None)

    def _modulus(
        self, node: ast.Call, name: str, kind: str, size: ast.expr | None, default: int | None
    ) -> None:
        walker = self.walker
        if walker.test_code:
            walker.examine(326, node, "key-generation", "test-data", f"{name}() in test code")
            return
        if size is None and has_unpacking(node):
            default = None  # generate(**options): the size may be in there
        bits = walker.const_value(size) if size is not None else default
        if bits is NOT_CONSTANT or bits is None:
            walker.examine(326, node, "key-generation", "non-constant", f"{name}() {kind} key")
            return
        if not isinstance(bits, int) or bits >= MIN_MODULUS_BITS:
            walker.examine(326, node, "key-generation", "adequate", f"{name}() {kind} {bits}")
            return
        walker.examine(326, node, "key-generation", "flagged", f"{name}() {kind} {bits} bits")
        how = "by default" if size is None else "bits"
        walker.report(
            self,
            node,
            f"{name}() generates a {bits}-bit {kind} key{' by default' if size is None else ''}; "
            f"{kind} keys need at least {MIN_MODULUS_BITS} bits",
            severity=Severity.HIGH if bits < BREAKABLE_MODULUS_BITS else Severity.MEDIUM,
            evidence="constant argument" if how == "bits" else "default argument",
            fix=_size_fix(walker, size, kind),
        )

    def _curve(self, node: ast.Call, label: str, bits: int) -> None:
        walker = self.walker
        if walker.test_code:
            walker.examine(326, node, "key-generation", "test-data", f"{label} in test code")
            return
        if bits >= MIN_CURVE_BITS:
            walker.examine(326, node, "key-generation", "adequate", f"{label} ({bits} bits)")
            return
        walker.examine(326, node, "key-generation", "flagged", f"{label} ({bits} bits)")
        walker.report(
            self,
            node,
            f"{label} is a {bits}-bit elliptic curve; curves need at least {MIN_CURVE_BITS} bits",
            severity=Severity.HIGH if bits <= BREAKABLE_CURVE_BITS else Severity.MEDIUM,
            evidence="constant argument",
            fix=Fix("use SECP256R1 (P-256), SECP384R1 or Ed25519/X25519"),
        )


def _size_fix(walker: Walker, size: ast.expr | None, kind: str) -> Fix:
    words = f"use at least {MIN_MODULUS_BITS} bits (3072 for keys meant to last past 2030)"
    if kind == "DSA":
        words += "; better, switch to Ed25519 or ECDSA P-256 (DSA is deprecated)"
    if isinstance(size, ast.Constant) and isinstance(size.value, int):
        return walker.replace_fix(size, "3072", words)
    return Fix(words)
