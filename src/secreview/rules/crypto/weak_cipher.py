from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.crypto._shared import display_name, has_unpacking

# cryptography: algorithms.X (also under hazmat.decrepit since cryptography 43).
_CRYPTOGRAPHY_WEAK = {
    "TripleDES": ("3DES", Severity.MEDIUM),
    "ARC4": ("RC4", Severity.HIGH),
    "Blowfish": ("Blowfish", Severity.MEDIUM),
    "IDEA": ("IDEA", Severity.MEDIUM),
    "CAST5": ("CAST5", Severity.MEDIUM),
    "SEED": ("SEED", Severity.MEDIUM),
}
# PyCrypto / PyCryptodome(x): Crypto.Cipher.X.new
_PYCRYPTO_WEAK = {
    "DES": ("DES", Severity.HIGH),
    "DES3": ("3DES", Severity.MEDIUM),
    "ARC2": ("RC2", Severity.HIGH),
    "ARC4": ("RC4", Severity.HIGH),
    "Blowfish": ("Blowfish", Severity.MEDIUM),
    "CAST": ("CAST5", Severity.MEDIUM),
    "XOR": ("XOR", Severity.HIGH),
}
# pyDes
_PYDES = {"pyDes.des": "DES", "pyDes.triple_des": "3DES"}
# The packages of the other calls `check` judges.
_PACKAGES = ("cryptography.", "Crypto.", "Cryptodome.")
# Block ciphers whose `new()` takes a mode (the stream ciphers ARC4 and XOR do not).
_MODE_CIPHERS = frozenset({"AES", "DES", "DES3", "ARC2", "Blowfish", "CAST"})
_PYCRYPTO_MODE_ECB = 1

_REASONS = {
    "ECB": "equal plaintext blocks give equal ciphertext blocks and nothing detects tampering",
    "DES": "its 56-bit key is brute-forced in hours",
    "RC4": "its keystream biases let attackers recover plaintext",
    "RC2": "it is broken by related-key attacks and usually used with 40-bit keys",
    "XOR": "it is not encryption",
    "3DES": "a 64-bit block cipher, which leaks plaintext after a few GB under one key (Sweet32)",
    "Blowfish": "a 64-bit block cipher, which leaks plaintext after a few GB under one key "
    "(Sweet32)",
    "IDEA": "a 64-bit block cipher, which leaks plaintext after a few GB under one key (Sweet32)",
    "CAST5": "a 64-bit block cipher, which leaks plaintext after a few GB under one key (Sweet32)",
    "SEED": "an obsolete cipher, moved to cryptography's `decrepit` module",
}
_FIX = (
    "use an authenticated cipher: AES-GCM or ChaCha20-Poly1305 (cryptography's AESGCM / "
    "ChaCha20Poly1305, or PyCryptodome's AES.new(key, AES.MODE_GCM)) with a fresh random nonce"
)


class WeakCipher(Rule):
    """Encrypts with a broken or obsolete cipher (DES, 3DES, RC4, RC2, Blowfish...) or ECB mode.

    ## What it does
    Finds cipher constructions from `cryptography` (`algorithms.TripleDES`, `ARC4`, `Blowfish`,
    `IDEA`, `CAST5`, `SEED`, and `modes.ECB()`), PyCrypto / PyCryptodome / PyCryptodomex
    (`DES.new`, `DES3.new`, `ARC2.new`, `ARC4.new`, `Blowfish.new`, `CAST.new`, `XOR.new`, and any
    `X.new(key, X.MODE_ECB)`) and pyDes (`des`, `triple_des`). Legacy PyCrypto's `AES.new(key)`
    without a mode defaulted to ECB and is reported too.

    ## Why is this bad?
    DES keys are brute-forced in hours, RC4 and RC2 have practical key-recovery and
    plaintext-recovery attacks, and the 64-bit block ciphers (3DES, Blowfish, IDEA, CAST5) leak
    plaintext after a few dozen gigabytes under one key (Sweet32). ECB mode encrypts equal blocks
    to equal ciphertext, so the structure of the plaintext shows through, and it has no
    integrity protection at all.

    Tests of legacy decryption paths use these ciphers on purpose; findings in test code are
    kept at low severity.

    ## Example
    ```python
    from Crypto.Cipher import AES, DES3

    def encrypt_card(key, pan):
        return AES.new(key, AES.MODE_ECB).encrypt(pad(pan, 16))

    def legacy_encrypt(key, data):
        return DES3.new(key, DES3.MODE_CBC, iv=b"\\0" * 8).encrypt(data)
    ```

    ## Use instead
    ```python
    import os
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    def encrypt_card(key, pan):
        nonce = os.urandom(12)
        return nonce + AESGCM(key).encrypt(nonce, pan, None)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/327.html
    - https://sweet32.info/
    - https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/#insecure-modes
    """

    id = "SR406"
    slug = "weak-cipher"
    cwe = 327
    title = "Broken or risky cipher or cipher mode"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    node_types = (ast.Call,)
    # None: every class of cryptography's `algorithms` and `modes` is judged (the strong ones
    # are counted as examined), whatever its name; `check` drops the calls of other packages
    # first, cheaply.
    call_leaves = None
    # Tests of legacy decryption paths use these ciphers on purpose; keep them visible but low.
    in_tests = "lower"

    def check(self, node: ast.Call) -> None:
        qualified = self.walker.call_name(node)
        if qualified is None or not (
            qualified.startswith(_PACKAGES) or qualified in _PYDES
        ):  # most calls: none of the branches below applies
            return
        parts = qualified.split(".")
        name = display_name(self.walker, node, qualified)
        if qualified.startswith("cryptography.") and len(parts) >= 2:
            if parts[-2] == "algorithms":
                self._cryptography_algorithm(node, name, parts[-1])
            elif parts[-2] == "modes":
                self._cryptography_mode(node, name, parts[-1])
        elif (
            len(parts) == 4
            and parts[0] in ("Crypto", "Cryptodome")
            and parts[1] == "Cipher"
            and parts[3] == "new"
        ):
            self._pycrypto(node, name, parts[0], parts[2])
        elif qualified in _PYDES:
            self._flag(node, name, _PYDES[qualified], Severity.HIGH, f"{name}() encrypts with")

    def _cryptography_algorithm(self, node: ast.Call, name: str, algorithm: str) -> None:
        if algorithm in _CRYPTOGRAPHY_WEAK:
            label, severity = _CRYPTOGRAPHY_WEAK[algorithm]
            self._flag(node, name, label, severity, f"{name}() selects")
        else:
            self.walker.examine(327, node, "cipher-construction", "strong-algorithm", name)

    def _cryptography_mode(self, node: ast.Call, name: str, mode: str) -> None:
        if mode == "ECB":
            self._flag(node, name, "ECB mode", Severity.MEDIUM, f"{name}() selects")
        else:
            self.walker.examine(327, node, "cipher-mode", "acceptable-mode", name)

    def _pycrypto(self, node: ast.Call, name: str, package: str, cipher: str) -> None:
        walker = self.walker
        mode_arg = walker.argument(node, 1, "mode")
        ecb = False
        if mode_arg is not None:
            mode_name = walker.qualname(mode_arg) or ""
            ecb = mode_name.endswith(".MODE_ECB") or (
                walker.const_value(mode_arg) == _PYCRYPTO_MODE_ECB
                and not isinstance(walker.const_value(mode_arg), bool)
            )
        if cipher in _PYCRYPTO_WEAK:
            label, severity = _PYCRYPTO_WEAK[cipher]
            if ecb:
                label += " in ECB mode"
            self._flag(node, name, label, severity, f"{name}() encrypts with")
            return
        if ecb:
            self._flag(node, name, "ECB mode", Severity.MEDIUM, f"{name}() uses")
            return
        if (
            mode_arg is None
            and package == "Crypto"
            and cipher in _MODE_CIPHERS
            and not has_unpacking(node)
        ):
            # PyCryptodome rejects a missing mode, so code relying on it runs on PyCrypto 2.x,
            # where the default mode was ECB.
            self._flag(
                node,
                name,
                "ECB mode",
                Severity.MEDIUM,
                f"{name}() without a mode (legacy PyCrypto's default) uses",
                confidence=Confidence.MEDIUM,
            )
            return
        walker.examine(327, node, "cipher-construction", "strong-algorithm", name)

    def _flag(
        self,
        node: ast.Call,
        name: str,
        label: str,
        severity: Severity,
        lead: str,
        confidence: Confidence | None = None,
    ) -> None:
        walker = self.walker
        walker.examine(327, node, "cipher-construction", "flagged", f"{name}(): {label}")
        why = _REASONS.get(label.split(" ")[0], "a broken or obsolete cipher")
        walker.report(
            self,
            node,
            f"{lead} {label}: {why}",
            severity=severity,
            confidence=confidence,
            evidence="known weak algorithm",
            fix=Fix(_FIX),
        )
