"""What a value is for, judged from the names around it: the variable it is assigned to, the
keyword it is passed as, the function it is handed to, the enclosing function and class.

Used by the weak-hash rule (SR405) and the weak-random rule (SR408). Only the node's own
ancestors and a bounded look at an expression's direct children are used: no tree walks.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")


def split_words(name: str) -> list[str]:
    """`resetToken` / `reset_token` / `X-Reset-Token` -> ["reset", "token"]."""
    text = _ACRONYM.sub(r"\1_\2", _CAMEL.sub(r"\1_\2", name))
    return [w for w in _SPLIT.split(text.lower()) if w]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Words that mark a name as holding a secret, or as clearly not security related."""

    secret_words: frozenset[str]
    # Distinctive stems that also count inside run-together words ("userpassword", "csrftoken").
    secret_stems: tuple[str, ...]
    # Words that are secret only together with a qualifier: "key" with "api", "code" with "reset".
    compounds: dict[str, frozenset[str]]
    benign_words: frozenset[str]

    def secret_name(self, name: str) -> bool:
        words = split_words(name)
        if "".join(words) in self.secret_words:
            return True  # "SessionID", "APIKey"
        for word in words:
            if word in self.secret_words:
                return True
            if any(stem in word for stem in self.secret_stems):
                return True
            if word.endswith("token") and len(word) > 5 and not word.startswith("de"):
                return True  # "authtoken", "resettoken"
            for head, qualifiers in self.compounds.items():
                if word.endswith(head) and word[: -len(head)] in qualifiers:
                    return True  # "apikey", "resetcode"
        for head, qualifiers in self.compounds.items():
            if head in words and any(w in qualifiers for w in words):
                return True
        return False

    def benign_name(self, name: str) -> bool:
        words = split_words(name)
        return "".join(words) in self.benign_words or any(w in self.benign_words for w in words)

    def classify(self, names: Iterable[str]) -> tuple[str, str] | None:
        """("benign", name) or ("secret", name) for the first decisive name, else None.

        A clearly non-security name wins over a secret-looking one at the same level: the rules
        using this prefer a missed finding to a false alarm.
        """
        names = [n for n in names if n]
        for name in names:
            if self.benign_name(name):
                return "benign", name
        for name in names:
            if self.secret_name(name):
                return "secret", name
        return None


_KEY_QUALIFIERS = frozenset(
    {
        "api",
        "secret",
        "private",
        "signing",
        "sign",
        "session",
        "encryption",
        "encrypt",
        "aes",
        "hmac",
        "access",
        "auth",
        "activation",
        "license",
        "licence",
        "reset",
        "crypto",
        "master",
        "account",
        "confirmation",
        "verification",
        "registration",
    }
)
_CODE_QUALIFIERS = frozenset(
    {
        "reset",
        "verification",
        "verify",
        "confirm",
        "confirmation",
        "activation",
        "activate",
        "invite",
        "invitation",
        "auth",
        "authentication",
        "authorization",
        "login",
        "recovery",
        "backup",
        "security",
        "sms",
        "mfa",
        "twofa",
        "otp",
        "access",
        "unlock",
        "pairing",
        "coupon",
        "voucher",
        "promo",
        "gift",
        "redeem",
        "redemption",
        "referral",
        "signup",
        "registration",
    }
)
_COMMON_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "pw",
        "passphrase",
        "passcode",
        "secret",
        "token",
        "nonce",
        "salt",
        "otp",
        "totp",
        "hotp",
        "csrf",
        "xsrf",
        "apikey",
        "sessionid",
        "sessid",
        "credential",
        "credentials",
        "creds",
    }
)
_COMMON_COMPOUNDS = {
    "key": _KEY_QUALIFIERS,
    "code": _CODE_QUALIFIERS,
    "id": frozenset({"session", "sess", "auth"}),
    "link": frozenset({"reset", "magic", "invite", "invitation", "verification", "activation"}),
    "url": frozenset({"reset", "magic", "invite", "invitation", "verification", "activation"}),
    "pin": frozenset({"", "login", "access", "card", "security", "unlock"}),
    "challenge": frozenset({"", "auth", "login"}),
}

# Names that show a random value is not a secret: timing, sampling, simulations, test data, UI.
RANDOM_VOCABULARY = Vocabulary(
    secret_words=_COMMON_SECRET_WORDS | {"iv", "captcha", "signature", "hmac", "authkey"},
    secret_stems=("password", "passwd", "passphrase", "secret", "sessionid", "csrf", "xsrf"),
    compounds=_COMMON_COMPOUNDS,
    benign_words=frozenset(
        {
            "delay",
            "jitter",
            "backoff",
            "sleep",
            "wait",
            "timeout",
            "interval",
            "retry",
            "retries",
            "shuffle",
            "shuffled",
            "color",
            "colour",
            "rgb",
            "hue",
            "port",
            "sample",
            "samples",
            "sampling",
            "sampled",
            "weight",
            "weights",
            "prob",
            "probability",
            "chance",
            "noise",
            "fake",
            "faker",
            "mock",
            "dummy",
            "demo",
            "example",
            "vocab",
            "vocabulary",
            "corpus",
            "sentence",
            "word",
            "words",
            "batch",
            "epoch",
            "train",
            "training",
            "augment",
            "augmentation",
            "population",
            "index",
            "idx",
            "offset",
            "position",
            "pos",
            "angle",
            "speed",
            "dice",
            "die",
            "roll",
            "card",
            "deck",
            "shard",
            "bucket",
            "partition",
            "server",
            "servers",
            "host",
            "hosts",
            "node",
            "nodes",
            "replica",
            "peer",
            "peers",
            "proxy",
            "proxies",
            "agent",
            "quote",
            "quotes",
            "boundary",
            "multipart",
            "mime",
            "greeting",
            "template",
            "templates",
            "subject",
            "banner",
            "tip",
            "tips",
            "theme",
            "emoji",
            "filename",
            "simulate",
            "simulation",
            "tokenizer",
            "tokens",
        }
    ),
)

# Names that show a digest is not used for security: caches, checksums, ETags, dedup, sharding.
HASH_VOCABULARY = Vocabulary(
    secret_words=_COMMON_SECRET_WORDS
    | {
        "signature",
        "sig",
        "sign",
        "signed",
        "signing",
        "auth",
        "authenticate",
        "authentication",
        "authorization",
        "login",
        "hmac",
        "session",
        "authkey",
    },
    secret_stems=("password", "passwd", "passphrase", "secret", "sessionid", "csrf", "xsrf"),
    compounds=_COMMON_COMPOUNDS,
    benign_words=frozenset(
        {
            "etag",
            "etags",
            "checksum",
            "checksums",
            "crc",
            "cache",
            "cached",
            "caching",
            "cachekey",
            "fingerprint",
            "fingerprints",
            "dedup",
            "dedupe",
            "deduplicate",
            "deduplication",
            "md5sum",
            "sha1sum",
            "shard",
            "sharding",
            "bucket",
            "partition",
            "gravatar",
            "avatar",
            "color",
            "colour",
        }
    ),
)


@dataclass(slots=True)
class UsageContext:
    """Names around an expression, from the closest to the loosest association."""

    targets: list[str]  # assigned to, passed as keyword, dict key, compared with
    callees: list[str]  # functions the value is handed to
    function: str
    class_name: str

    def levels(self, data: list[str] | None = None) -> Iterator[tuple[str, list[str]]]:
        yield "target", self.targets
        if data is not None:
            yield "data", data
        yield "callee", self.callees
        yield "function", [self.function]
        yield "class", [self.class_name]


def decide(
    vocabulary: Vocabulary, context: UsageContext, data: list[str]
) -> tuple[str, str, str] | None:
    """(level, "secret" | "benign", name) from the closest decisive level, or None.

    What the value is computed from and the enclosing function's name veto a secret reading
    when they are clearly benign (`token = random.choice(vocab)`, `def _make_boundary():`).
    """
    for level, names in (("data", data), ("function", [context.function])):
        verdict = vocabulary.classify(names)
        if verdict is not None and verdict[0] == "benign":
            return level, *verdict
    for level, names in context.levels(data):
        verdict = vocabulary.classify(names)
        if verdict is not None:
            return level, *verdict
    return None


def usage_context(walker: Walker, node: ast.AST) -> UsageContext:
    """Where the value of `node` goes, up to its statement."""
    return usage_context_at(walker.ancestors, walker.function, node)


def usage_context_at(
    ancestors: list[ast.AST],
    function: ast.FunctionDef | ast.AsyncFunctionDef | None,
    node: ast.AST,
) -> UsageContext:
    """`usage_context` from the walker's ancestors and function when it stood on `node` (a
    copy of them lets a rule judge a node later, only if it turns out to matter)."""
    targets: list[str] = []
    callees: list[str] = []
    child: ast.AST = node
    for ancestor in reversed(ancestors):
        match ancestor:
            case ast.keyword(arg=str() as arg):
                targets.append(arg)
            case ast.Dict(keys=keys, values=values):
                for key, value in zip(keys, values, strict=False):
                    if value is child and isinstance(key, ast.Constant):
                        targets.append(str(key.value))
            case ast.Call(func=func) if func is not child:
                name = callee_name(func)
                if name:
                    callees.append(name)
            case ast.Assign(targets=assigned):
                for target in assigned:
                    targets.extend(target_names(target))
            case ast.AnnAssign(target=target) | ast.AugAssign(target=target):
                targets.extend(target_names(target))
            case ast.NamedExpr(target=target):
                targets.extend(target_names(target))
            case ast.Compare(left=left, comparators=comparators):
                for operand in (left, *comparators):
                    if operand is not child:
                        targets.extend(expr_names(operand, 2))
        if isinstance(ancestor, ast.stmt):
            break
        child = ancestor
    class_name = ""
    for ancestor in reversed(ancestors):
        if isinstance(ancestor, ast.ClassDef):
            class_name = ancestor.name
            break
    return UsageContext(targets, callees, function.name if function else "", class_name)


def callee_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def target_names(target: ast.expr) -> list[str]:
    match target:
        case ast.Name(id=name):
            return [name]
        case ast.Attribute(attr=attr):
            return [attr]
        case ast.Subscript(value=value, slice=ast.Constant(value=str() as key)):
            return [key, *target_names(value)]
        case ast.Subscript(value=value):
            return target_names(value)
        case ast.Starred(value=value):
            return target_names(value)
        case ast.Tuple(elts=elts) | ast.List(elts=elts):
            return [n for e in elts for n in target_names(e)]
    return []


def expr_names(expr: ast.expr | None, depth: int = 3) -> list[str]:
    """Identifiers an expression is made of, looking at most `depth` levels down."""
    if expr is None or depth <= 0:
        return []
    match expr:
        case ast.Name(id=name):
            return [name]
        case ast.Attribute(value=value, attr=attr):
            return [attr, *expr_names(value, depth - 1)]
        case ast.Subscript(value=value, slice=ast.Constant(value=str() as key)):
            return [key, *expr_names(value, depth - 1)]
        case ast.Subscript(value=value):
            return expr_names(value, depth - 1)
        case ast.Call(func=func, args=args, keywords=keywords):
            names: list[str] = []
            if isinstance(func, ast.Attribute):
                # `password.encode()`: the receiver is the data; `str(x)`: the argument is.
                names.extend(expr_names(func.value, depth - 1))
            for arg in [*args[:3], *(k.value for k in keywords[:3])]:
                names.extend(expr_names(arg, depth - 1))
            return names
        case ast.BinOp(left=left, right=right):
            return [*expr_names(left, depth - 1), *expr_names(right, depth - 1)]
        case ast.JoinedStr(values=values):
            return [
                n
                for v in values[:6]
                if isinstance(v, ast.FormattedValue)
                for n in expr_names(v.value, depth - 1)
            ]
        case ast.Starred(value=value):
            return expr_names(value, depth - 1)
    return []


def display_name(walker: Walker, call: ast.Call, name: str) -> str:
    """The name to show for a call: the source text for long `cryptography.hazmat` paths
    (`hashes.SHA1`), the qualified name otherwise (`hashlib.md5`, `Crypto.Hash.MD5.new`)."""
    if name.startswith("cryptography.") and isinstance(call.func, ast.Attribute | ast.Name):
        return walker.segment(call.func)
    return name


def has_unpacking(call: ast.Call) -> bool:
    """`f(*args)` or `f(**kwargs)`: which argument is which is unknown."""
    return any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    )
