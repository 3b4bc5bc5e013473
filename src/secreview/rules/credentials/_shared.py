"""Credential names, credential values and known secret formats, shared by SR101-SR105.

One place decides what a name like `db_password`, `X-Hub-Signature-256` or `token_type` means:

- a name is split into words (`resetToken`, `reset_token`, `X-Reset-Token` -> reset, token);
- its *head noun* (the last word, after dropping transparent suffixes such as `_value`, `_str`,
  `_b64` and digits) must be a secret noun: `password_hash_algorithm`, `token_url`,
  `password_field`, `secret_name`, `TOKEN_TYPE`, `max_password_length` and `password_prompt` have
  other heads and are metadata, not secrets;
- a first word that makes the name a flag, a count or an action (`is_`, `has_`, `max_`, `num_`,
  `get_`, `check_`, `masked_` ...) also makes it metadata;
- ambiguous nouns need a qualifier: `key` only as `api_key`, `secret_key`, `private_key` ...;
  `pass` only as `admin_pass`, `db_pass` ...; `pwd` not alone (the working directory); `token`
  alone is *weak* (lexers have tokens too) and `next_token`, `page_token`, `pad_token`,
  `prompt_tokens` are not secrets at all; `sig` needs a qualifier (`sig` alone is a signal).

Values: `is_placeholder`, `looks_like_a_name` and `value_source` say whether a literal is a
credential or a template, mask, label or path, and where a non-literal value comes from.
Formats: `match_token_format` recognises AWS, GitHub, Slack, Stripe, Google keys, PEM private
keys and JWTs, and rejects documented examples and placeholders.
"""

from __future__ import annotations

import ast
import base64
import binascii
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from secreview.models import ABSENT_WORDS, builtin_models, name_alternatives
from secreview.parsing.names import NOT_CONSTANT, BindingKind
from secreview.rules.base import leaves_of

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# -- words ---------------------------------------------------------------------------------------


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

# Run-together words that are two words.
_FUSED: dict[str, tuple[str, ...]] = {
    "apikey": ("api", "key"),
    "secretkey": ("secret", "key"),
    "privatekey": ("private", "key"),
    "accesskey": ("access", "key"),
    "signingkey": ("signing", "key"),
    "masterkey": ("master", "key"),
    "hmackey": ("hmac", "key"),
    "authkey": ("auth", "key"),
    "encryptionkey": ("encryption", "key"),
    "clientsecret": ("client", "secret"),
    "appsecret": ("app", "secret"),
    "passwordhash": ("password", "hash"),
    "pwhash": ("pw", "hash"),
    "pwdhash": ("pwd", "hash"),
}
# Words that end in a secret noun and are that noun with a qualifier: "dbpassword", "authtoken".
_FUSED_SUFFIXES = ("password", "passwd", "token", "secret")

_PLURALS: dict[str, str] = {
    "passwords": "password",
    "passwds": "passwd",
    "passphrases": "passphrase",
    "pwds": "pwd",
    "secrets": "secret",
    "keys": "key",
    "credentials": "credential",
    "creds": "credential",
    "cred": "credential",
    "signatures": "signature",
    "sigs": "sig",
    "hmacs": "hmac",
    "digests": "digest",
    "hashes": "hash",
    "passcodes": "passcode",
}


def split_words(name: str) -> tuple[str, ...]:
    """`resetToken` / `RESET_TOKEN` / `X-Reset-Token` -> ("reset", "token"); digits dropped."""
    words: list[str] = []
    for raw in _WORD.findall(name):
        if raw.isdigit():
            continue
        word = raw.lower()
        if word in _FUSED:
            words.extend(_FUSED[word])
            continue
        for suffix in _FUSED_SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                words.extend((word[: -len(suffix)], suffix))
                break
            if word.endswith(suffix + "s") and len(word) > len(suffix) + 2:
                words.extend((word[: -len(suffix) - 1], suffix + "s"))
                break
        else:
            words.append(word)
    return tuple(words)


# Suffixes that name a representation of the same value (`password_value`, `token_b64`;
# base64 splits into "base", "64"), or a second copy of it (`password_confirm`).
_TRANSPARENT_SUFFIXES = word_set(
    """
    value val str string text plain plaintext clear cleartext raw bytes b base hex literal
    default utf confirm confirmation again repeat repeated retype retyped
    """
)

# A first word, or the word right before the last, that makes the name a flag, a count, an
# action, a mode or an already masked value: the models' list, which the data flow uses too.
# `hashed` stays out: here a hashed password is named as a hash, for the storage rules.
_NON_VALUE_PREFIXES = builtin_models().secret_names.prefixes - {"hashed"}

_PASSWORD_NOUNS = frozenset({"password", "passwd", "passphrase", "passcode", "otp", "totp"})

# `key` is a secret only with one of these in front: `api_key`, `aws_secret_access_key`.
_KEY_QUALIFIERS = word_set(
    """
    api secret private priv access auth signing encryption crypt crypto cipher master hmac jwt
    fernet aes shared symmetric totp otp
    """
)

# `pass` is a password only after one of these (`admin_pass`), never alone or as `first_pass`.
_PASS_QUALIFIERS = word_set(
    """
    admin db database user username root login sql mysql pg postgres redis ldap ftp smtp mail
    email ssh proxy vnc rabbit rabbitmq amqp bind keystone service api app account sudo http
    basic auth default new old my wifi wpa vault master keystore truststore cert sasl imap pop
    broker enable
    """
)

# `pwd` with these in front is a directory, not a password (`old_pwd` is $OLDPWD).
_PWD_DIRECTORY_QUALIFIERS = frozenset(
    {"cur", "current", "old", "orig", "prev", "working", "start", "base", "init", "initial"}
)

# `token` after one of these is a lexical, pagination or LLM-usage token, not a secret.
_NON_SECRET_TOKEN_QUALIFIERS = word_set(
    """
    next prev previous page continuation sync cancel cancellation resume pagination start end
    eos bos pad unk sep cls mask special current cur last first input output stop split word sub
    subword prompt completion reasoning cached image audio text doc lexer lex parser grammar ast
    syntax op operator name type literal comment indent dedent newline eof eol tok bpe vocab
    unknown bracket paren punct space whitespace keyword ident identifier delim delimiter open
    close opening closing trailing leading string number sentinel cache error err lock version
    change idempotency correlation trace span sequence seq batch generation epoch invalidation
    event wait interrupt abort
    """
)

# `signature` after these is about code, files or formats (`inspect.signature`, magic bytes).
_NON_SECRET_SIGNATURE_QUALIFIERS = word_set(
    """
    function func fn method call callable type inspect param params parameter arg args argument
    class cls code file magic mime format template overload schema op operator handler view
    route endpoint init new old kwonly posonly full partial bound unbound original wrapped wrapper
    target source py native text str mbr gpt boot disk image partition volume fs filesystem zip
    gzip elf binary
    """
)

# `sig` is a signal or a code signature unless one of these says it authenticates a message.
_SIG_QUALIFIERS = word_set(
    """
    hmac expected computed calculated request req webhook header received provided given valid
    correct remote auth api message msg payload body url aws s3 signed our their
    """
)

# Words that make a digest or hash a secret one: `hmac_digest`, `password_hash`.
_MAC_WORDS = frozenset({"hmac", "mac", "signature", "sig", "signed", "auth"})
_PASSWORDISH = frozenset({"password", "passwd", "passphrase", "pwd", "pw", "pass"})

_HASHED_PREFIXES = frozenset({"hashed", "encrypted", "crypted", "salted", "hash"})


_ACRONYMS = {
    w: w.upper() for w in word_set("api url csrf xsrf jwt hmac aws id otp totp ssh db")
} | {
    "oauth": "OAuth",
    "github": "GitHub",
}


@dataclass(frozen=True, slots=True)
class CredentialName:
    """What a credential-like name holds.

    kind: "password", "secret", "key", "token", "credential" (values a service accepts);
    "signature", "mac" (message authentication values); "hash" (a password hash); "digest"
    (a digest named for authentication, `hmac_digest`).
    weak: the name is a bare ambiguous noun (`token`, `signature`) with no qualifier.
    """

    name: str
    kind: str
    noun: str
    weak: bool
    words: tuple[str, ...]

    @property
    def display_noun(self) -> str:
        """`api key` -> `API key`, `csrf token` -> `CSRF token`."""
        return " ".join(_ACRONYMS.get(w, w) for w in self.noun.split())

    @property
    def a_noun(self) -> str:
        """The noun with its article: "a password", "an API key", "a URL token"."""
        noun = self.display_noun
        if noun.endswith("credentials"):
            return noun
        first = noun.split()[0]
        acronym = first.isupper()
        vowel_sound = first[0] in "AEFHILMNORSX" if acronym else first[0].lower() in "aeio"
        return f"{'an' if vowel_sound else 'a'} {noun}"

    @property
    def holds_credential(self) -> bool:
        """A value someone could log in or sign with (SR101, SR104)."""
        return self.kind in ("password", "secret", "key", "token", "credential")

    @property
    def holds_mac(self) -> bool:
        return self.kind in ("signature", "mac", "digest")

    @property
    def confirmation(self) -> bool:
        """`password_confirm`, `password2`, `repeat_password`: a second copy of user input."""
        return bool(CONFIRMATION_WORDS.intersection(self.words)) or bool(
            re.search(r"[A-Za-z]_?2$", self.name)
        )


CONFIRMATION_WORDS = word_set(
    """
    confirm confirmation confirmed again repeat repeated retype retyped verify verification
    check second
    """
)


# Every head noun `classify_name` accepts (and every plural or fused spelling of one) contains
# one of these, so a name without any is ordinary; most names are, and skip the word split.
_HEAD_HINT = re.compile(r"pass|otp|pwd|secret|cred|key|token|sig|authorization|hmac|digest|hash")


@lru_cache(maxsize=32768)
def classify_name(name: str) -> CredentialName | None:
    """The credential a name denotes, or None for metadata and ordinary names."""
    if _HEAD_HINT.search(name.lower()) is None:
        return None
    original = split_words(name)
    if "or" in original[1:-1]:
        # `path_or_token`: a credential name only if every alternative with a value is one.
        alternatives = [a for a in name_alternatives(original) if not set(a) <= ABSENT_WORDS]
        found = [_classify_words(name, tuple(a), original) for a in alternatives]
        named = [c for c in found if c is not None]
        if not named:
            return None
        # A name that says it may hold something else is weak evidence: the rules that weigh
        # names (SR105) keep it at low severity.
        return named[-1] if len(named) == len(found) else replace(named[-1], weak=True)
    return _classify_words(name, original, original)


def _classify_words(
    name: str, original: tuple[str, ...], full: tuple[str, ...]
) -> CredentialName | None:
    words = list(original)
    if "of" in words:  # number_of_tokens, hash_of_password
        words = words[: words.index("of")]
    while len(words) > 1 and words[-1] in _TRANSPARENT_SUFFIXES:
        words.pop()
    if not words:
        return None
    if len(words) > 1 and words[0] in _NON_VALUE_PREFIXES:
        return None
    if len(words) > 2 and words[-2] in _NON_VALUE_PREFIXES:
        return None  # `permit_create_token`, `collection_by_token`
    raw_head = words[-1]
    plural = raw_head in _PLURALS and raw_head not in ("cred", "creds")
    head = _PLURALS.get(raw_head, raw_head)
    prev = words[-2] if len(words) > 1 else None
    others = frozenset(words[:-1])

    def made(kind: str, noun: str, weak: bool = False) -> CredentialName:
        return CredentialName(name, kind, noun, weak, full)

    if head in _PASSWORD_NOUNS:
        if prev in _HASHED_PREFIXES:
            return made("hash", f"{prev} {head}")
        return made("password", head)
    if head == "pass":
        return made("password", "pass") if prev in _PASS_QUALIFIERS else None
    if head == "pwd":
        if prev is None or prev in _PWD_DIRECTORY_QUALIFIERS:
            return None
        return made("hash", "hashed pwd") if prev in _HASHED_PREFIXES else made("password", "pwd")
    if head == "secret":
        return made("secret", "secret")
    if head == "credential":
        # A bare `credentials` is as often the identity a policy check reads as a login.
        return made("credential", "credentials", weak=prev is None)
    if head == "key":
        if prev in _KEY_QUALIFIERS:
            qualifiers = [w for w in words[-3:-1] if w in _KEY_QUALIFIERS]
            return made("key", " ".join([*qualifiers, "key"]))
        return None
    if head == "token":
        if prev is None:
            # `tokens` alone is a token list from a tokenizer; `token` alone may be either.
            return None if plural else made("token", "token", weak=True)
        if prev in _NON_SECRET_TOKEN_QUALIFIERS:
            return None
        return made("token", f"{prev} token")
    if head == "sig":
        return made("signature", "signature") if prev in _SIG_QUALIFIERS else None
    if head == "signature":
        if prev in _NON_SECRET_SIGNATURE_QUALIFIERS:
            return None
        return made("signature", "signature", weak=prev is None)
    if head == "authorization":  # the header: `Authorization: Bearer ...`
        return made("token", "Authorization header value")
    if head == "hmac":
        return made("mac", "HMAC value")
    if head == "digest":
        if others & (_MAC_WORDS | _PASSWORDISH | {"secret", "token", "key"}):
            return made("digest", "digest")
        return None
    if head == "hash":
        if others & _PASSWORDISH:
            return made("hash", "password hash")
        return None
    return None


# -- the name of an expression ----------------------------------------------------------------

# Attributes that hold the same value as their owner: `form.password.data`.
_TRANSPARENT_ATTRS = frozenset({"data", "value", "cleaned", "plain"})
# Methods that return (a form of) the same value: `password.encode()`, `get_secret_value()`.
_SAME_VALUE_METHODS = frozenset(
    {"encode", "decode", "strip", "rstrip", "lstrip", "hex", "get_secret_value"}
)
_ITEM_GETTERS = frozenset({"get", "pop", "getlist", "setdefault"})


def expression_name(walker: Walker, expr: ast.expr) -> str | None:
    """The name a value is known by: `self.password`, `conn['auth_password']`, `d.get("token")`."""
    for _ in range(4):
        match expr:
            case ast.Name(id=name):
                binding = walker.names.lookup(name)
                if binding is not None and binding.kind in (
                    BindingKind.IMPORT,
                    BindingKind.DEFINITION,
                ):
                    return None
                return name
            case ast.Attribute(attr=attr, value=inner):
                if attr in _TRANSPARENT_ATTRS:
                    expr = inner
                    continue
                return attr
            case ast.Subscript(slice=key):
                value = walker.const_value(key)
                return value if isinstance(value, str) else None
            case ast.Call(func=ast.Attribute(attr=attr, value=inner), args=args):
                if attr in _SAME_VALUE_METHODS and not args:
                    expr = inner
                    continue
                if attr in _ITEM_GETTERS and args:
                    value = walker.const_value(args[0])
                    return value if isinstance(value, str) else None
                return None
            case ast.Call(func=ast.Name(id="getattr"), args=[_, key, *_]):
                value = walker.const_value(key)
                return value if isinstance(value, str) else None
            case ast.Call(func=ast.Name(id="str" | "repr" | "bytes"), args=[inner, *_]):
                expr = inner
                continue
        return None
    return None


def brief(node: ast.AST, limit: int = 60) -> str:
    """Source of a small node for a message, one line, without re-reading the file."""
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def credential_of(walker: Walker, expr: ast.expr) -> CredentialName | None:
    name = expression_name(walker, expr)
    return classify_name(name) if name else None


# -- literal values ---------------------------------------------------------------------------

_DECODERS = word_set(
    """
    base64.b64decode base64.urlsafe_b64decode base64.b64encode base64.urlsafe_b64encode
    base64.b32decode binascii.unhexlify binascii.a2b_hex binascii.a2b_base64 bytes.fromhex bytes
    bytearray str pydantic.SecretStr pydantic.SecretBytes pydantic.types.SecretStr
    pydantic.types.SecretBytes
    """
)
_FIELD_FACTORIES = frozenset(
    {"pydantic.Field", "pydantic.fields.Field", "dataclasses.field", "attr.ib", "attrs.field"}
)


def literal_value(walker: Walker, expr: ast.expr | None, _depth: int = 0) -> str | bytes | None:
    """The str or bytes literal behind `expr`: folded constants, and literals passed through
    `.encode()`, `bytes.fromhex()`, `base64.b64decode()`, `SecretStr()` or `Field(default=...)`."""
    if expr is None or _depth > 3:
        return None
    value = walker.const_value(expr)
    if isinstance(value, str | bytes):
        return value
    if value is not NOT_CONSTANT or not isinstance(expr, ast.Call):
        return None
    func = expr.func
    if isinstance(func, ast.Attribute) and func.attr == "encode" and not expr.keywords:
        inner = literal_value(walker, func.value, _depth + 1)
        return inner.encode("utf-8", "replace") if isinstance(inner, str) else None
    name = walker.call_name(expr)
    if name is None and isinstance(func, ast.Name) and func.id in ("SecretStr", "SecretBytes"):
        name = f"pydantic.{func.id}"
    if name in _DECODERS and expr.args:
        return literal_value(walker, expr.args[0], _depth + 1)
    if name in _FIELD_FACTORIES:
        default = walker.argument(expr, 0 if name.startswith("pydantic") else None, "default")
        return literal_value(walker, default, _depth + 1)
    return None


def as_text(value: str | bytes) -> str:
    return value if isinstance(value, str) else value.decode("latin-1")


def redact(value: str | bytes) -> str:
    """A literal for a message, without printing the secret: `'hu…' (7 characters)`."""
    text = as_text(value)
    shown = text[:2] if len(text) > 4 else text[:1]
    return f"'{shown}…' ({len(text)} characters)"


_TEMPLATE_MARKERS = re.compile(
    r"\$\{|\{\{|%\(\w+\)[sdr]|\{\w*\}|^\$[A-Za-z_]\w*$|^<[^<>]+>$|^\[[\w -]+\]$|^%s$"
)
_MASK_CHARS = frozenset("*xX•.#-_?")
_WORDY = re.compile(r"[<\[]?[A-Za-z][A-Za-z _.-]*[>\]]?")
_PLACEHOLDER_MARKERS = ("example", "placeholder", "redacted", "dummy", "masked")
# The type names of generated API models (`openapi_types = {"kmip_secret_key": "str"}`).
_TYPE_NAMES = frozenset({"str", "int", "bool", "float", "bytes", "dict", "list", "object"})
_PLACEHOLDER_WORDS = word_set(
    """
    example examples placeholder redacted dummy fake sample your here insert todo fixme tbd
    notset unset undefined null none nil xxx xxxx
    """
)
# Values that name a scheme or a token type, not a credential.
_TYPE_MARKERS = frozenset(
    {"bearer", "basic", "digest", "jwt", "access", "refresh", "oauth", "hmac", "hidden", "string"}
)
_PATH_START = ("/", "./", "../", "~/", "file:", "http://", "https://", "s3://", "gs://", "vault:")
_FILE_SUFFIX = re.compile(
    r"\.(pem|key|crt|cer|der|p12|pfx|jks|pub|gpg|asc|json|ya?ml|txt|ini|cfg|conf|env|toml)$",
    re.IGNORECASE,
)
_CREDENTIAL_NOUNS = word_set(
    """
    password passwd passphrase passcode pwd secret token key credential signature otp
    """
)


def placeholder_reason(value: str | bytes, *, short: bool = True) -> str | None:
    """Why a literal is a stand-in rather than a value: empty, template, mask, example."""
    text = as_text(value).strip()
    if not text:
        return "empty"
    if short and len(text) < 3:
        return "too short to be a credential"
    if _TEMPLATE_MARKERS.search(text):
        return "template placeholder"
    if len(set(text.lower())) == 1 or set(text) <= _MASK_CHARS:
        return "masked or filler value"
    lowered = text.lower()
    if any(marker in lowered for marker in _PLACEHOLDER_MARKERS):
        return "placeholder"
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    if _WORDY.fullmatch(text) and any(
        w in _PLACEHOLDER_WORDS or w.startswith("your") for w in words
    ):
        return "placeholder"
    return None


def is_placeholder(value: str | bytes) -> str | None:
    """Why a literal under a credential name is not a credential, or None."""
    text = as_text(value).strip()
    if text in _TYPE_NAMES:
        return "type name"
    reason = placeholder_reason(value)
    if reason:
        return reason
    if text.lower() in _TYPE_MARKERS:
        return "scheme or token-type name"
    scheme, _, rest = text.partition(" ")
    if rest and scheme.lower() in _TYPE_MARKERS and placeholder_reason(rest):
        return "scheme with a stand-in value"  # "Bearer #", "Basic **masked**"
    if text.lower().startswith("anonymous"):
        return "anonymous-login convention"
    if text.startswith(_PATH_START) or (" " not in text and _FILE_SUFFIX.search(text)):
        return "path or URL"
    if any(ch.isspace() for ch in text):
        spaced = text.split()
        if (
            text.endswith((":", "?", ".", "!", ": "))
            or len(spaced) >= 5
            or _CREDENTIAL_NOUNS.intersection(split_words(text))
        ):
            return "message text"
    return None


_IDENTIFIER_LIKE = re.compile(
    r"[A-Za-z_][A-Za-z0-9_.]*"  # NextToken, auth_token, DB_PASSWORD
    r"|(?:[A-Z][A-Za-z0-9]*-)+[A-Z][A-Za-z0-9]*"  # X-Auth-Token
    r"|[a-z]+(?:-[a-z]+)+"  # set-password, x-api-key
)


def looks_like_a_name(value: str | bytes) -> bool:
    """`NextToken`, `auth_token`, `X-Auth-Token`, `set-password`: a field, header or URL name,
    not a secret. (`my-secret-key` is lost with them: names win over weak passphrases.)"""
    text = as_text(value)
    # A namespaced name: "fungible:kmip_secret_key", "{urn:datacore}AccessToken".
    text = re.split(r"[:{}#]", text)[-1] or text
    if not _IDENTIFIER_LIKE.fullmatch(text):
        return False
    words = [_PLURALS.get(w, w) for w in split_words(text)]
    return len(words) >= 2 and bool(_CREDENTIAL_NOUNS.intersection(words))


def same_as_name(value: str | bytes, name: str) -> bool:
    """`PASSWORD = "password"`, `{"passwords": "password"}`, `_HOLE_TOKEN = "_hole_"`: a label
    spelled from its own name's words. The value must name a credential or be decorated like a
    sentinel, so `ADMIN_PASSWORD = "admin"` (a weak default) is still a credential."""
    text = as_text(value)
    squash = re.compile(r"[^a-z0-9]")
    if squash.sub("", text.lower()) == squash.sub("", name.lower()):
        return True
    value_words = {_PLURALS.get(w, w) for w in split_words(text)}
    name_words = {_PLURALS.get(w, w) for w in split_words(name)}
    if not value_words or not value_words <= name_words:
        return False
    sentinel = text[:1] in "_<[{" and text[-1:] in "_>]}"
    return sentinel or bool(_CREDENTIAL_NOUNS.intersection(value_words))


def secret_looking(value: str | bytes) -> bool:
    """Long, no spaces, mixed characters: enough to trust a weak name such as `token`."""
    text = as_text(value)
    if len(text) < 12 or any(ch.isspace() for ch in text):
        return False
    classes = sum(
        (
            any(c.islower() for c in text),
            any(c.isupper() for c in text),
            any(c.isdigit() for c in text),
            any(not c.isalnum() for c in text),
        )
    )
    return classes >= 2 and any(c.isdigit() for c in text)


_EXAMPLE_NAME_WORDS = frozenset({"example", "sample", "dummy", "fake", "placeholder", "mock"})


def hardcoded_credential_reason(cred: CredentialName | None, value: str | bytes) -> str | None:
    """Why SR101 does NOT report `value` under `cred`, or None when it does."""
    if cred is None or not cred.holds_credential:
        return "not a credential name"
    if _EXAMPLE_NAME_WORDS.intersection(cred.words):
        return "named as an example"
    reason = is_placeholder(value)
    if reason:
        return reason
    if looks_like_a_name(value):
        return "a field or header name"
    if match_token_format(as_text(value)) is not None:
        return "known token format (SR102)"
    if cred.weak and not secret_looking(value):
        return "short value under an ambiguous name"
    return None


# -- where a non-literal value comes from ---------------------------------------------------------

_ENV_CALLS = word_set(
    """
    os.getenv os.environ.get os.environ.pop os.environ.setdefault os.getenvb os.environb.get
    decouple.config environ.Env
    """
)
_GENERATORS = word_set(
    """
    generate_key generate_private_key token_bytes token_hex token_urlsafe urandom
    get_random_bytes get_random_secret_key
    """
)
_PROMPT_CALLS = frozenset({"getpass.getpass", "input", "click.prompt", "typer.prompt"})
_SECRET_STORE_CALLS = frozenset({"keyring.get_password", "keyring.get_credential"})
_CONFIG_WORDS = frozenset(
    {"conf", "config", "cfg", "settings", "configuration", "options", "opts", "env", "environ"}
)


def value_source(walker: Walker, expr: ast.expr) -> str:
    """Where a value comes from: "environment-lookup", "configuration", "prompted",
    "secret-store", "generated" or "runtime-value"."""
    node: ast.expr = expr
    for _ in range(6):
        if isinstance(node, ast.Call):
            name = walker.call_name(node)
            last = (name or "").rpartition(".")[2] or getattr(node.func, "attr", "")
            if last in _GENERATORS:
                return "generated"
            if name in _ENV_CALLS:
                return "environment-lookup"
            if name in _PROMPT_CALLS:
                return "prompted"
            if name in _SECRET_STORE_CALLS or (
                isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get_secret_value", "get_secret", "access_secret_version")
                and not _is_pydantic_unwrap(node)
            ):
                return "secret-store"
            if isinstance(node.func, ast.Name) and node.func.id in ("env", "config"):
                return "environment-lookup" if node.func.id == "env" else "configuration"
            node = node.func
        elif isinstance(node, ast.Subscript):
            if walker.qualname(node.value) in ("os.environ", "os.environb"):
                return "environment-lookup"
            node = node.value
        elif isinstance(node, ast.Attribute):
            if walker.qualname(node) in ("os.environ", "os.environb"):
                return "environment-lookup"
            if node.attr.lower() in _CONFIG_WORDS:
                return "configuration"
            node = node.value
        elif isinstance(node, ast.Name):
            if node.id.lower() in _CONFIG_WORDS or node.id in ("CONF", "CFG"):
                return "configuration"
            return "runtime-value"
        else:
            return "runtime-value"
    return "runtime-value"


def _is_pydantic_unwrap(call: ast.Call) -> bool:
    """`settings.db_password.get_secret_value()` (pydantic), not boto3's `get_secret_value(...)`."""
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "get_secret_value"
        and not call.args
        and not call.keywords
    )


# -- enum members ----------------------------------------------------------------------------------


def in_enum_body(walker: Walker) -> bool:
    """The statement being checked sits directly in an Enum / Choices class body."""
    parent = walker.parent
    if not isinstance(parent, ast.ClassDef):
        return False
    for base in parent.bases:
        text = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
        if text.endswith(("Enum", "Choices", "Flag")):
            return True
    return False


# -- known token formats -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenMatch:
    kind: str  # "AWS access key id", "GitHub token", ...
    text: str  # the matched token
    high_confidence: bool


# A single cheap test before any of the precise patterns runs.
TOKEN_PREFILTER = re.compile(
    r"AKIA|ASIA|gh[pousr]_|github_pat_|xox[baprs]-|[sr]k_live_|AIza|PRIVATE KEY|eyJ"
)
_FORMATS: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("AWS access key id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"), True),
    (
        "GitHub token",
        re.compile(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])"),
        True,
    ),
    (
        "GitHub fine-grained token",
        re.compile(r"(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9])"),
        True,
    ),
    ("Slack token", re.compile(r"(?<![A-Za-z0-9])xox[baprs]-[0-9]{6,}-[A-Za-z0-9-]{8,}"), True),
    ("Stripe live key", re.compile(r"(?<![A-Za-z0-9])[sr]k_live_[A-Za-z0-9]{24,}"), True),
    ("Google API key", re.compile(r"(?<![A-Za-z0-9])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])"), True),
    (
        "private key",
        re.compile(
            r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,300}?[A-Za-z0-9+/=]{40,}"
        ),
        True,
    ),
    (
        "JSON Web Token",
        re.compile(
            r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}"
        ),
        False,
    ),
)
_JWT_IO_SIGNATURE = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
_SEQUENCES = ("abcdefgh", "ABCDEFGH", "12345678", "01234567", "98765432")
_RUN = re.compile(r"(.)\1{5,}")


def match_token_format(text: str) -> TokenMatch | None:
    """The first real-looking secret of a known format in `text`, or None."""
    return find_token_format(text)[0]


def find_token_format(text: str) -> tuple[TokenMatch | None, str | None]:
    """(the first real-looking secret, None), or (None, kind of a rejected example)."""
    rejected = None
    if not TOKEN_PREFILTER.search(text):
        return None, None
    for kind, pattern, confident in _FORMATS:
        for found in pattern.finditer(text):
            token = found.group(0)
            if _is_example(kind, token):
                rejected = rejected or kind
                continue
            if kind == "private key" and "ENCRYPTED" in (found.group(1) or ""):
                return TokenMatch("encrypted private key", token, False), None
            return TokenMatch(kind, token, confident), None
    return None, rejected


def _is_example(kind: str, token: str) -> bool:
    body = token
    if kind == "private key":
        body = token.split("-----", 2)[-1]
    elif kind != "JSON Web Token":
        body = re.sub(
            r"^(AKIA|ASIA|gh[pousr]_|github_pat_|xox[baprs]-|[sr]k_live_|AIza)", "", token
        )
    if "EXAMPLE" in body.upper() or "SAMPLE" in body.upper() or "DUMMY" in body.upper():
        return True
    if _RUN.search(body) or any(seq in body for seq in _SEQUENCES):
        return True
    if len(set(body)) < 8:
        return True
    if kind == "JSON Web Token":
        return _is_example_jwt(token)
    return False


def _b64url_json(segment: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        return json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def _is_example_jwt(token: str) -> bool:
    header_text, payload_text, signature = token.split(".")[:3]
    if signature == _JWT_IO_SIGNATURE:  # secreview: ignore[SR105] -- jwt.io's public example
        return True
    header = _b64url_json(header_text)
    if not isinstance(header, dict) or str(header.get("alg", "")).lower() in ("", "none"):
        return True  # not a JWT header, or an unsigned token that authenticates nothing
    payload = _b64url_json(payload_text)
    return isinstance(payload, dict) and payload.get("name") == "John Doe"


AWS_SECRET_SHAPE = re.compile(r"[A-Za-z0-9/+]{40}")


def aws_secret_shaped(text: str) -> bool:
    """40 base64 characters, mixed case with digits: the shape of an AWS secret access key."""
    return (
        AWS_SECRET_SHAPE.fullmatch(text) is not None
        and any(c.isupper() for c in text)
        and any(c.islower() for c in text)
        and any(c.isdigit() for c in text)
        and not _is_example("AWS secret access key", text)
    )


# -- crypto APIs that take a key, and framework secret-key settings --------------------------------

_CIPHER_ALGORITHMS = word_set(
    """
    AES AES128 AES256 TripleDES Camellia ChaCha20 SM4 Blowfish CAST5 SEED IDEA ARC4
    """
)
_AEAD = word_set("AESGCM AESCCM AESSIV AESOCB3 AESGCMSIV ChaCha20Poly1305")
_PYCRYPTO_CIPHERS = word_set(
    """
    AES DES DES3 ARC2 ARC4 Blowfish CAST ChaCha20 ChaCha20_Poly1305 Salsa20
    """
)
_ITSDANGEROUS = word_set(
    """
    URLSafeTimedSerializer URLSafeSerializer TimedSerializer Serializer Signer TimestampSigner JSONWebSignatureSerializer TimedJSONWebSignatureSerializer
    """
)


def _crypto_key_apis() -> dict[str, tuple[int, str]]:
    apis: dict[str, tuple[int, str]] = {
        "cryptography.fernet.Fernet": (0, "key"),
        "cryptography.hazmat.primitives.hmac.HMAC": (0, "key"),
        "hmac.new": (0, "key"),
        "hmac.HMAC": (0, "key"),
        "hmac.digest": (0, "key"),
        "jwt.encode": (1, "key"),
        "jwt.decode": (1, "key"),
        "jose.jwt.encode": (1, "key"),
        "jose.jwt.decode": (1, "key"),
        "nacl.secret.SecretBox": (0, "key"),
    }
    for base in (
        "cryptography.hazmat.primitives.ciphers.algorithms",
        "cryptography.hazmat.decrepit.ciphers.algorithms",
    ):
        for algorithm in _CIPHER_ALGORITHMS:
            apis[f"{base}.{algorithm}"] = (0, "key")
    for algorithm in _AEAD:
        apis[f"cryptography.hazmat.primitives.ciphers.aead.{algorithm}"] = (0, "key")
    for package in ("Crypto", "Cryptodome"):
        for cipher in _PYCRYPTO_CIPHERS:
            apis[f"{package}.Cipher.{cipher}.new"] = (0, "key")
        apis[f"{package}.Hash.HMAC.new"] = (0, "key")
        apis[f"{package}.Hash.CMAC.new"] = (0, "key")
    for serializer in _ITSDANGEROUS:
        apis[f"itsdangerous.{serializer}"] = (0, "secret_key")
        for module in ("url_safe", "timed", "serializer", "signer", "jws"):
            apis[f"itsdangerous.{module}.{serializer}"] = (0, "secret_key")
    return apis


CRYPTO_KEY_APIS: dict[str, tuple[int, str]] = _crypto_key_apis()
# The last part of each name, to skip most calls without resolving them.
KEY_API_LEAVES = leaves_of(CRYPTO_KEY_APIS)


def crypto_key_argument(
    walker: Walker, call: ast.Call, name: str | None = ""
) -> tuple[str, ast.expr] | None:
    """(API name, key argument) when `call` hands a key to a known crypto API. `name` is the
    call's resolved name when the caller already has it."""
    if name == "":
        func = call.func
        last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if last not in KEY_API_LEAVES:
            return None
        name = walker.call_name(call)
    if name is None or name not in CRYPTO_KEY_APIS:
        return None
    position, keyword = CRYPTO_KEY_APIS[name]
    key = walker.argument(call, position, keyword)
    return (name, key) if key is not None else None


def is_secret_key_setting(name: str) -> bool:
    """`SECRET_KEY`, `JWT_SECRET_KEY`, `WTF_CSRF_SECRET_KEY`: a framework signing-key setting."""
    words = split_words(name)
    return len(words) >= 2 and words[-2:] == ("secret", "key") and name.upper() == name


def is_settings_module(walker: Walker) -> bool:
    """A Django-style settings module: `settings.py`, `settings/production.py`, `*_settings.py`."""
    parts = walker.path.replace("\\", "/").split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    return "settings" in stem or "settings" in parts[:-1]


def is_django_secret_key_target(walker: Walker, target: ast.expr) -> bool:
    return (
        isinstance(target, ast.Name)
        and target.id == "SECRET_KEY"
        and walker.function is None
        and walker.names.current.kind == "module"
        and is_settings_module(walker)
    )


_APP_NAMES = frozenset({"app", "application", "flask_app", "server", "api"})


def is_flask_secret_key_target(walker: Walker, target: ast.expr) -> bool:
    """`app.secret_key = ...` or `app.config["SECRET_KEY"] = ...`."""
    if isinstance(target, ast.Attribute) and target.attr == "secret_key":
        return _is_app(walker, target.value)
    if isinstance(target, ast.Subscript) and is_config_object(target.value):
        key = walker.const_value(target.slice)
        return isinstance(key, str) and is_secret_key_setting(key)
    return False


def is_config_object(expr: ast.expr) -> bool:
    """`app.config`, `self.app.config`, `current_app.config`."""
    return isinstance(expr, ast.Attribute) and expr.attr == "config"


CONFIG_UPDATE_METHODS = frozenset({"update", "from_mapping"})


def is_config_update(call: ast.Call) -> bool:
    """`app.config.update(...)` / `app.config.from_mapping(...)`."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in CONFIG_UPDATE_METHODS
        and is_config_object(func.value)
    )


def _is_app(walker: Walker, expr: ast.expr) -> bool:
    if {"flask", "quart", "flask_login", "flask_wtf"} & walker.framework_hints:
        return True
    root = expr
    while isinstance(root, ast.Attribute):
        root = root.value
    last = expr.attr if isinstance(expr, ast.Attribute) else getattr(expr, "id", "")
    return last in _APP_NAMES or getattr(root, "id", "") in _APP_NAMES
