"""SR103: a literal key handed to a crypto API, or a framework signing key set to a literal."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from secreview.findings import Confidence, ExaminedSite, Finding, Fix, Severity
from secreview.parsing.names import BindingKind
from secreview.rules.base import Rule
from secreview.rules.credentials._shared import (
    CONFIG_UPDATE_METHODS,
    KEY_API_LEAVES,
    as_text,
    brief,
    classify_name,
    crypto_key_argument,
    hardcoded_credential_reason,
    is_config_update,
    is_django_secret_key_target,
    is_flask_secret_key_target,
    is_secret_key_setting,
    literal_value,
    match_token_format,
    placeholder_reason,
    redact,
    value_source,
)

if TYPE_CHECKING:
    from secreview.engine.project_constants import PendingConstant
    from secreview.engine.walker import Walker


class HardcodedCryptoKey(Rule):
    """A cryptographic or signing key is a literal in the source.

    ## What it does
    Finds literal keys given to crypto APIs: `Fernet(b"...")`, cryptography's
    `algorithms.AES(b"...")` and AEAD classes (`AESGCM`, `ChaCha20Poly1305` ...),
    PyCryptodome's `AES.new(b"...", ...)` and friends, `hmac.new(b"...", ...)`,
    `jwt.encode(payload, "...")` / `jwt.decode(token, "...")` (PyJWT and python-jose),
    itsdangerous serializers and signers, and nacl's `SecretBox`. Also a literal
    `SECRET_KEY` in a Django settings module, and Flask's `app.secret_key = "..."`,
    `app.config["SECRET_KEY"] = "..."` and `app.config.from_mapping(SECRET_KEY="...")`.
    The key may be inline, a module constant, or a literal passed through `.encode()`,
    `bytes.fromhex()` or `base64.b64decode()`. The constant may be defined in another module
    of the project (`from .settings_secret import KEY` ... `app.secret_key = KEY`,
    `jwt.encode(payload, config.SIGNING_KEY)`), also through re-exports and values built from
    other constants (`TOKEN_KEY = SESSION + "-tokens"`): it is judged as if it were defined
    where it is used. The scan reads that module's literals, it never imports it.

    A value that looks like a stand-in (`"your-secret-key-here"`, `"changeme"`, `"aaaaaaaa"`,
    `"example-key"`) is reported too, with low confidence: until someone replaces it, it is the
    key the application signs and encrypts with, and it is the first one an attacker tries.

    Not reported: keys read from the environment or configuration (recorded as examined),
    empty and template values (`"${SECRET_KEY}"`), public keys given to `jwt.decode`, and PEM private keys
    (SR102 reports those). When the key is a credential-named constant (`JWT_SECRET = "..."`),
    SR101 reports the constant where it is defined and this rule does not repeat it.

    ## Why is this bad?
    Whoever reads the code can decrypt the data, forge session cookies, password-reset
    links and JWTs, or sign anything the application will trust. A literal key cannot be
    rotated without a release and is usually the same in every deployment. Test code is
    skipped (test keys protect nothing); the review lists those sites as test data.

    ## Example
    ```python
    import jwt
    from flask import Flask

    app = Flask(__name__)
    app.secret_key = "dev"

    def issue(user_id):
        return jwt.encode({"sub": user_id}, "jwt-signing-key-2019", algorithm="HS256")
    ```

    ## Use instead
    ```python
    import os

    import jwt
    from flask import Flask

    app = Flask(__name__)
    app.secret_key = os.environ["FLASK_SECRET_KEY"]

    def issue(user_id):
        return jwt.encode({"sub": user_id}, os.environ["JWT_KEY"], algorithm="HS256")
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/321.html
    - https://docs.djangoproject.com/en/stable/ref/settings/#secret-key
    - https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY
    """

    id = "SR103"
    slug = "hardcoded-crypto-key"
    cwe = 321
    related_cwes = (798,)
    title = "Hard-coded cryptographic key"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    node_types = (ast.Call, ast.Assign, ast.AnnAssign)
    # Calls: keys handed to crypto APIs, and `app.config.update(SECRET_KEY=...)`.
    call_leaves = KEY_API_LEAVES | CONFIG_UPDATE_METHODS
    in_tests = "skip"

    def begin_module(self) -> None:
        # Names bound to literals that constant folding does not see: `KEY = "k".encode()`.
        self._literals: dict[tuple[str, str], str | bytes] = {}

    def check(self, node: ast.AST) -> None:
        walker = self.walker
        if isinstance(node, ast.Call):
            found = crypto_key_argument(walker, node)
            if found is not None:
                api, key = found
                what = f"{brief(node.func, 40)}()"
                self._judge(node, key, f"{what} is given", api=api)
            elif is_config_update(node):
                self._config_update(node)
            return
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        else:
            assert isinstance(node, ast.AnnAssign)
            if node.value is None:
                return
            targets, value = [node.target], node.value
        for target in targets:
            if is_django_secret_key_target(walker, target):
                self._judge(node, value, "SECRET_KEY in the settings module is", setting=True)
            elif is_flask_secret_key_target(walker, target):
                self._judge(node, value, f"`{brief(target)}` is set to", setting=True)
            elif isinstance(target, ast.Name) and isinstance(value, ast.Call):
                literal = literal_value(walker, value)
                if literal is not None:
                    self._literals[(walker.scope_name, target.id)] = literal

    def _config_update(self, call: ast.Call) -> None:
        walker = self.walker
        for keyword in call.keywords:
            if keyword.arg and is_secret_key_setting(keyword.arg):
                self._judge(keyword, keyword.value, f"config setting {keyword.arg} is", True)
        for arg in call.args:
            if isinstance(arg, ast.Dict):
                for key, value in zip(arg.keys, arg.values, strict=True):
                    name = walker.const_value(key) if key is not None else None
                    if isinstance(name, str) and is_secret_key_setting(name):
                        self._judge(value, value, f"config setting {name} is", True)

    def _lookup(self, expr: ast.expr) -> str | bytes | None:
        value = literal_value(self.walker, expr)
        name = _root_name(expr) if value is None else None
        if name is not None:
            value = self._literals.get((self.walker.scope_name, name.id))
            if value is None:
                value = self._literals.get(("", name.id))
        return value

    def _judge(
        self,
        node: ast.AST,
        key: ast.expr,
        lead: str,
        setting: bool = False,
        *,
        api: str = "",
    ) -> None:
        walker = self.walker
        kind = "framework-secret-key" if setting else "crypto-key"
        value = self._lookup(key)
        if value is None:
            imported = _imported_constant(walker, key)
            if imported is not None and walker.defer_constant(
                self, node, imported[0], (lead, kind, api, imported[1])
            ):
                return  # another module of the project may define it: asked after the walk
            if not isinstance(key, ast.Constant):
                source = value_source(walker, key)
                walker.examine(321, node, kind, source, f"{lead} a non-literal key ({source})")
            return
        name = _root_name(key)
        verdict = _verdict(value, lead, api, name.id if name is not None else None)
        if isinstance(verdict, str):
            walker.examine(321, node, kind, "not-flagged", verdict)
            return
        message, confidence = verdict
        walker.examine(321, node, kind, "test-data" if walker.test_code else "flagged", lead)
        walker.report(
            self,
            node,
            message,
            evidence="constant argument",
            confidence=confidence,
            fix=Fix(_FIX),
        )

    @classmethod
    def complete_constant(
        cls, pending: PendingConstant, value: Any
    ) -> tuple[Finding | None, ExaminedSite | None]:
        """The key is a constant another module of the project defines."""
        lead, kind, api, shown = pending.data
        finding = pending.finding
        if not isinstance(value, str | bytes):
            detail = f"{lead} a non-literal key (`{shown}`, imported)"
            return None, ExaminedSite(321, finding.path, finding.line, kind, "variable", detail)
        verdict = _verdict(value, lead, api, shown.rpartition(".")[2], defined_in=pending.qualname)
        if isinstance(verdict, str):
            return None, ExaminedSite(321, finding.path, finding.line, kind, "not-flagged", verdict)
        message, confidence = verdict
        verdict_kind = "test-data" if finding.test_code else "flagged"
        return (
            replace(
                finding,
                message=message,
                confidence=confidence,
                evidence="constant argument (defined in another module)",
                fix=Fix(_FIX),
            ),
            ExaminedSite(321, finding.path, finding.line, kind, verdict_kind, lead),
        )


_FIX = (
    "load the key at run time from the environment or a secret store "
    "(e.g. os.environ['APP_SECRET_KEY']), generate it with secrets.token_bytes() "
    "or Fernet.generate_key(), and rotate the committed one"
)


def _verdict(
    value: str | bytes, lead: str, api: str, name: str | None, defined_in: str = ""
) -> str | tuple[str, Confidence]:
    """Why a literal key is not reported, or the message and confidence of its finding."""
    text = as_text(value)
    reason = placeholder_reason(value, short=False)
    # `"your-secret-key-here"`, `"aaaaaaaa"`: a stand-in that the application really signs
    # or encrypts with, until someone replaces it. Reported, with low confidence.
    placeholder = reason if reason in _STAND_INS else None
    if placeholder is not None:
        reason = None
    if (
        reason is None
        and api.endswith("decode")
        and ("PUBLIC KEY" in text or "BEGIN CERTIFICATE" in text)
    ):
        reason = "a public key"
    if reason is None and match_token_format(text) is not None:
        reason = "known token format (SR102)"
    via = ""
    if reason is None and name is not None:
        if hardcoded_credential_reason(classify_name(name), value) is None:
            reason = "credential-named constant (SR101 reports its definition)"
        via = f" via the constant `{name}`"
        if defined_in:
            via += f" of {defined_in.rpartition('.')[0]}"
    if reason is not None:
        return reason
    looks = f" (it looks like a {placeholder}, but this is the key in use)" if placeholder else ""
    confidence = Confidence.LOW if placeholder else HardcodedCryptoKey.confidence
    return f"{lead} a hard-coded key{via}: {redact(value)}{looks}", confidence


# Reasons of `placeholder_reason` that still leave a working key: a filler or a "put your key
# here" text (empty values and templates such as `${SECRET_KEY}` are not keys at all).
_STAND_INS = frozenset({"placeholder", "masked or filler value"})


def _imported_constant(walker: Walker, key: ast.expr) -> tuple[str, str] | None:
    """`KEY` imported from a module (`from .settings import KEY`), or `config.KEY` of an
    imported module, also through `.encode()` and the decoders: its qualified name, and the
    name as written."""
    for _ in range(3):
        if isinstance(key, ast.Call):
            func = key.func
            if isinstance(func, ast.Attribute) and func.attr == "encode":
                key = func.value
            elif key.args:
                key = key.args[0]
            else:
                return None
    root = key
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name):
        return None
    binding = walker.names.lookup(root.id)
    if binding is None or binding.kind not in (BindingKind.IMPORT, BindingKind.ALIAS):
        return None
    qualname = walker.qualname(key)
    if not qualname or "." not in qualname:
        return None
    return qualname, ast.unparse(key)


def _root_name(expr: ast.expr) -> ast.Name | None:
    """`KEY`, `KEY.encode()`, `bytes.fromhex(KEY)`, `b64decode(KEY)` -> the Name `KEY`."""
    for _ in range(3):
        if isinstance(expr, ast.Name):
            return expr
        if not isinstance(expr, ast.Call):
            return None
        if isinstance(expr.func, ast.Attribute) and expr.func.attr == "encode":
            expr = expr.func.value
        elif expr.args:
            expr = expr.args[0]
        else:
            return None
    return None
