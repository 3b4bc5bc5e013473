from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule

if TYPE_CHECKING:
    from secreview.engine.taint import FlowHit

# Sinks known only by a name: the value is stored under a secret's name, or into a mapping
# named as a session. Their findings are less sure than those of a cookie setter or a key.
_NAMED_SINKS: dict[str, Confidence] = {
    "StoredSecret": Confidence.LOW,
    "SessionStore": Confidence.MEDIUM,
    "SessionId": Confidence.MEDIUM,
}
# What a predictable salt or IV costs is less than a predictable key or session id: the
# password hash or the ciphertext still needs the secret it protects.
_LESSER_USES = frozenset({"CipherIv", "PasswordSalt", "StoredSecret"})


class PredictableSecret(FlowRule):
    """A value of the `random` module becomes a cookie, a session id, a key, a salt or a token.

    ## What it does
    Follows values of the `random` module (`random()`, `randint`, `randrange`, `choice`,
    `choices`, `sample`, `getrandbits`, `randbytes`, `uniform`, `normalvariate`, `gauss`,
    `triangular` and the other distributions), of `random.Random()` generators, of
    `numpy.random`, and of `uuid.uuid1()` / `uuid3()` / `uuid5()`, through `str()`, slicing,
    f-strings, `hex()`, base64, joins, hash digests and helper functions, to where a secret is
    used:

    - the value of a cookie (`response.set_cookie(name, value)`) or of the session
      (`flask.session[...] = value`, `request.session[...] = value`, any mapping whose name ends
      in `session`; in a mapping named `sessions`, its keys and values);
    - the key of an HMAC (`hmac.new`), of a signed token (`jwt.encode`, `itsdangerous` signers
      and serializers), of a cipher (PyCryptodome's `AES.new`, `cryptography`'s `Fernet`,
      `algorithms.AES`, `AESGCM`), the IV or nonce of a cipher mode, the salt of a password hash
      (`hashlib.pbkdf2_hmac`, `hashlib.scrypt`, `bcrypt.hashpw`, Django's `make_password`);
    - a variable, attribute or dict key whose name says it holds a secret (`reset_token`,
      `user.api_key`, `app.secret_key`, `record["password"]`): with low confidence, since the
      name is the only evidence, and only when the value reaches none of the uses above.

    Severity follows the use: a key, a cookie or a session value is high; a salt, an IV, or a
    value only named like a secret is medium. A value from a `random.Random(seed)` the code
    seeds itself (an idempotent deployment that must make the same password again, a
    reproducible test account) is reported with low severity: predictable on purpose, and as
    secret as the seed. `secrets`, `os.urandom`, `random.SystemRandom()`
    and `uuid.uuid4()` are not predictable and not reported. Random numbers used for anything
    else (shuffling, jitter, sampling, simulations) reach none of these uses and are not
    reported. Where this rule reports a flow, the name-based finding of SR408 for the same
    `random` call is dropped.

    Every predictable value stored in the session is reported, whatever it is for: a shuffled
    question order kept in `session["quiz_order"]` is a false alarm to suppress. Not followed:
    lists shuffled in place (`random.shuffle(codes)`), and timestamps (`time.time()`), which
    sessions hold for good reasons (`session["last_seen"]`); a token hashed from the clock is
    predictable too, and is not reported.

    ## Why is this bad?
    `random` is a Mersenne Twister: after 624 outputs an observer can rebuild its state and
    compute every value it made before and will make after; `uuid1()` is the clock and the
    host's MAC address. A session id, a remember-me cookie, a password-reset token or a signing
    key made from them can be guessed, and whoever guesses it is logged in as the user, or signs
    what the server will trust.

    ## Example
    ```python
    import random

    from flask import Flask, make_response, session

    app = Flask(__name__)

    @app.post("/login")
    def login():
        session_id = "%032x" % random.getrandbits(128)
        session["sid"] = session_id
        response = make_response("welcome")
        response.set_cookie("remember", str(random.random())[2:], secure=True, httponly=True)
        return response
    ```

    ## Use instead
    ```python
    import secrets

    @app.post("/login")
    def login():
        session["sid"] = secrets.token_hex(16)
        response = make_response("welcome")
        response.set_cookie("remember", secrets.token_urlsafe(32), secure=True, httponly=True)
        return response
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/330.html
    - https://cwe.mitre.org/data/definitions/338.html
    - https://docs.python.org/3/library/random.html (the warning at the top)
    - https://docs.python.org/3/library/secrets.html
    """

    id = "SR930"
    slug = "predictable-secret"
    cwe = 330
    related_cwes = (338,)
    title = "A predictable random value is used as a secret"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    in_tests = "skip"
    source_kinds = frozenset({"predictable", "seeded"})
    kind_severity: ClassVar[dict[str, Severity]] = {"seeded": Severity.LOW}
    supersedes = ("SR408",)
    supersedes_at_source = True
    fix = (
        "make the value with the secrets module: secrets.token_urlsafe(32) or "
        "secrets.token_hex(16) for tokens, session ids and keys, secrets.randbelow(n) for "
        "numbers, os.urandom(16) for salts and IVs"
    )

    @classmethod
    def judge(
        cls, hit: FlowHit, severity: Severity, confidence: Confidence
    ) -> tuple[Severity, Confidence]:
        concept = hit.sink.concept
        if concept in _LESSER_USES:
            severity = min(severity, Severity.MEDIUM)
        named = _NAMED_SINKS.get(concept)
        if named is not None:
            confidence = min(confidence, named)
        return severity, confidence

    @classmethod
    def select(cls, hits: list[FlowHit]) -> list[FlowHit]:
        """A value stored under a secret's name is reported only when the same function does
        not also put it to a surer use (`token = random_token(); user.token = token;
        response.set_cookie("t", token)` is one finding, at the cookie), and only when it was
        made in another statement: `api_key = random.getrandbits(128)` is SR408's, whose fix
        rewrites the call."""
        used = {
            _use(hit) for hit in hits if hit.cwe == cls.cwe and hit.sink.concept != "StoredSecret"
        }
        return [hit for hit in hits if not _fallback_covered(hit, used, cls.cwe)]


def _use(hit: FlowHit) -> tuple[str, int, int, str]:
    """A source and the function where a value of it is used."""
    return (hit.source.path, hit.source.line, hit.source.col, hit.sink.function)


def _fallback_covered(hit: FlowHit, used: set[tuple[str, int, int, str]], cwe: int) -> bool:
    if hit.cwe != cwe or hit.sink.concept != "StoredSecret":
        return False
    source = hit.source
    first, last = hit.sink.statement
    same_statement = source.path == hit.sink.path and first <= source.line <= last
    return same_statement or _use(hit) in used
