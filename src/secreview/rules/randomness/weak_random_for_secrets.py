from __future__ import annotations

import ast
import string
from dataclasses import dataclass

from secreview.findings import Confidence, Fix, Severity
from secreview.parsing.names import BindingKind
from secreview.rules.base import Rule
from secreview.rules.crypto._shared import (
    RANDOM_VOCABULARY,
    Vocabulary,
    decide,
    expr_names,
    split_words,
    usage_context,
    usage_context_at,
)
from secreview.rules.files._shared import dotted
from secreview.rules.fixes import module_reference

# The shared vocabulary, plus `sid` (a session id: `sid = "%032x" % random.getrandbits(128)`).
VOCABULARY = Vocabulary(
    secret_words=RANDOM_VOCABULARY.secret_words | {"sid", "sids"},
    secret_stems=RANDOM_VOCABULARY.secret_stems,
    compounds=RANDOM_VOCABULARY.compounds,
    benign_words=RANDOM_VOCABULARY.benign_words,
)
# Words that make a value secret even next to `salt` (`salted_password`, `salt_key`).
_SECRET_WORDS = frozenset({"password", "passwd", "key", "token", "secret", "nonce", "otp"})
# UUIDs that are not random: uuid1 is the clock and the MAC address, uuid3/uuid5 a hash of a
# namespace and a name. (uuid4 comes from os.urandom.)
PREDICTABLE_UUIDS: dict[str, str] = {
    "uuid.uuid1": "is built from the clock and this host's MAC address",
    "uuid.uuid3": "is an MD5 hash of a namespace and a name anyone can compute",
    "uuid.uuid5": "is a SHA-1 hash of a namespace and a name anyone can compute",
}
# Names of `string` constants that make an alphabet for random strings.
_ALPHABET_NAMES = frozenset(
    {
        "ascii_letters",
        "ascii_lowercase",
        "ascii_uppercase",
        "digits",
        "hexdigits",
        "octdigits",
        "printable",
        "punctuation",
        "letters",
        "lowercase",
        "uppercase",
    }
)
_STRING_PICKERS = frozenset({"choice", "choices", "sample"})
_GENERATOR_MODULES = frozenset({"random", "numpy", "uuid"})

# Value-producing functions of the random module (shuffle returns nothing: not a value).
RANDOM_FUNCTIONS = frozenset(
    {
        "random",
        "randint",
        "choice",
        "choices",
        "randrange",
        "getrandbits",
        "sample",
        "uniform",
        "randbytes",
    }
)
NUMPY_FUNCTIONS = frozenset(
    {"rand", "randint", "random", "random_sample", "random_integers", "choice", "bytes", "uniform"}
)
GENERATOR_METHODS = RANDOM_FUNCTIONS | {"integers", "bytes"}
# Qualified name -> function name, for the two modules above.
_RANDOM_CALLS = {f"random.{f}": f for f in RANDOM_FUNCTIONS} | {
    f"numpy.random.{f}": f for f in NUMPY_FUNCTIONS
}
WEAK_GENERATORS = frozenset(
    {
        "random.Random",
        "numpy.random.RandomState",
        "numpy.random.default_rng",
        "numpy.random.Generator",
    }
)
SECURE_SOURCES = frozenset(
    {
        "secrets.token_hex",
        "secrets.token_urlsafe",
        "secrets.token_bytes",
        "secrets.choice",
        "secrets.randbelow",
        "secrets.randbits",
        "os.urandom",
        "random.SystemRandom",
        "secrets.SystemRandom",
    }
)
_SECURE_GENERATORS = frozenset({"random.SystemRandom", "secrets.SystemRandom"})
# 1:1 replacements from the random module to the secrets module.
_MECHANICAL = {
    "choice": "secrets.choice",
    "getrandbits": "secrets.randbits",
    "randbytes": "secrets.token_bytes",
}
_WORDED = {
    "choice": "secrets.choice(seq)",
    "getrandbits": "secrets.randbits(k)",
    "randbytes": "secrets.token_bytes(n)",
    "randint": "secrets.randbelow(b - a + 1) + a (or secrets.token_hex / token_urlsafe for tokens)",
    "randrange": "secrets.randbelow(n)",
    "random": "secrets.token_urlsafe() / secrets.token_hex() for tokens, secrets.randbelow(n) "
    "for numbers",
    "uniform": "secrets.randbelow() on an integer range",
    "choices": "''.join(secrets.choice(alphabet) for _ in range(n)), or secrets.token_urlsafe(n)",
    "sample": "''.join(secrets.choice(alphabet) for _ in range(n)), or secrets.token_urlsafe(n)",
}
_ALNUM = frozenset(string.ascii_letters + string.digits)
_LEVEL_PHRASES = {
    "target": "its value goes to `{}`",
    "data": "it draws from `{}`",
    "callee": "its value is passed to `{}()`",
    "function": "it is used in `{}()`",
    "class": "it is used in class `{}`",
}


@dataclass(slots=True)
class _Returned:
    """A random value a helper returns, judged once its callers are known."""

    node: ast.Call
    name: str
    function: str
    instance: str
    uuid: str
    random_string: bool  # "".join(random.choice(string.ascii_letters ...))


@dataclass(frozen=True, slots=True)
class _SecretUse:
    """A call of a local helper whose result gets a secret-looking name."""

    node: ast.Call
    level: str
    matched: str


@dataclass(slots=True)
class _HelperCall:
    """A call of a local helper, with where the walk stood, judged only if the helper returns
    a random value (few do): judging every call of every helper at once is what made this
    rule the slowest on test suites, which call their own `self.assert...` helpers a lot."""

    node: ast.Call
    ancestors: list[ast.AST]  # a copy of the walker's ancestors at the call
    function: ast.FunctionDef | ast.AsyncFunctionDef | None
    judged: bool = False
    use: _SecretUse | None = None

    def secret_use(self) -> _SecretUse | None:
        if not self.judged:
            self.judged = True
            context = usage_context_at(self.ancestors, self.function, self.node)
            decision = decide(VOCABULARY, context, [])
            if decision is not None and decision[1] == "secret" and decision[0] != "function":
                self.use = _SecretUse(self.node, decision[0], decision[2])
        return self.use


class WeakRandomForSecrets(Rule):
    """Makes a token, password, key, nonce, salt or one-time code with the `random` module.

    ## What it does
    Finds calls of the `random` module (`random.random`, `randint`, `choice`, `choices`,
    `randrange`, `getrandbits`, `sample`, `uniform`, `randbytes`), of `random.Random()` and
    NumPy generators, whose value is evidently a secret: it is assigned to or passed as a name
    like `token`, `password`, `reset_code`, `otp`, `nonce`, `salt`, `session_id`, `api_key`, or
    the call sits in a function or class named that way (`generate_token()`,
    `make_password()`). Random numbers for anything else (shuffling, sampling, retry jitter,
    simulations, test data, colours) are not reported: unlike Bandit's B311, which flags every
    call, this rule only speaks up when the value is a secret. A clearly non-secret name on what
    is drawn from (`random.choice(vocab)`) or on the enclosing function (`_make_boundary()`)
    wins over a secret-looking target, and a call with no telling name around it is not
    reported. Every call it looks at is recorded
    as examined, so the review can say how many random values were checked and found harmless.

    A name is only a hint, so findings of this rule have low confidence. SR930
    (predictable-secret) follows the value itself to where it is used as a secret (a cookie,
    the session, a key, a salt); where it reports the value of a call, this rule's finding for
    that call is dropped.

    Two uses are reported with low severity, as hardening: a salt (it must be unique, not
    secret; `crypt_salt()` drawing from `random` weakens a hash only a little), and a value drawn
    from a `random.Random(seed)` made with an explicit seed, which code does on purpose to get
    the same value again (an idempotent deployment's password).

    `uuid.uuid1()` (clock and MAC address) and `uuid.uuid3()` / `uuid.uuid5()` (a hash of a
    name) are judged the same way: `api_key = uuid.uuid1().hex` is reported, a `uuid1()` request
    id is not. `uuid.uuid4()` is random (`os.urandom`) and fine.

    A helper that returns a random value (`def random_string(n): return
    "".join(random.choices(ALPHABET, k=n))`) is judged by its callers in the same module: when
    one stores the result under a secret name (`invite_code = random_string(16)`), the random
    call in the helper is reported. A helper that returns a random string over a
    letters-and-digits alphabet and has no caller in its module (its callers are elsewhere, out
    of this per-module rule's sight) is reported with low confidence: such helpers end up
    making tokens and codes.

    ## Why is this bad?
    `random` is a Mersenne Twister: fast and statistically good, but predictable. After 624
    outputs an observer can reconstruct its state and compute every past and future value; its
    seed (time and PID in older Pythons, or a constant) can often be guessed. Password-reset
    codes, session ids and API tokens made with it can be predicted by an attacker.

    Test code is skipped: random passwords for test users are not secrets.

    ## Example
    ```python
    import random
    import string

    def generate_reset_token(length=32):
        alphabet = string.ascii_letters + string.digits
        return "".join(random.choice(alphabet) for _ in range(length))

    otp = random.randint(100000, 999999)
    ```

    ## Use instead
    ```python
    import secrets

    def generate_reset_token():
        return secrets.token_urlsafe(32)

    otp = 100000 + secrets.randbelow(900000)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/330.html
    - https://cwe.mitre.org/data/definitions/338.html
    - https://docs.python.org/3/library/random.html (see the warning at the top)
    - https://docs.python.org/3/library/secrets.html
    """

    id = "SR408"
    slug = "weak-random-for-secrets"
    cwe = 330
    related_cwes = (338,)
    title = "Secret generated with a predictable random number generator"
    severity = Severity.HIGH
    # A name is all this rule has to go on; SR930 reports the flows into real uses (cookies,
    # sessions, keys) and replaces this rule's finding for the same call.
    confidence = Confidence.LOW
    node_types = (ast.Call, ast.Assign, ast.AnnAssign)
    # None: calls of the module's own functions (`token = make_code()`) are noted whatever
    # their name, to judge the random values those helpers return.
    call_leaves = None
    in_tests = "skip"

    def begin_module(self) -> None:
        # (id of the enclosing function or 0, name or `self.attr`) -> generator constructor.
        self._generators: dict[tuple[int, str], str] = {}
        self._seeded: set[tuple[int, str]] = set()  # generators made with an explicit seed
        # Helper function name -> the random values it returns / the calls using its result.
        self._returned: dict[str, list[_Returned]] = {}
        # Helper name -> its calls here (None: in test code, never a secret use).
        self._helper_calls: dict[str, list[_HelperCall | None]] = {}
        self._tracks_helpers = False  # set once the module is seen importing a generator

    # -- generator objects ---------------------------------------------------------------------
    def _key(self, target: ast.expr) -> tuple[int, str] | None:
        if isinstance(target, ast.Name):
            return (id(self.walker.function) if self.walker.function else 0, target.id)
        if isinstance(target, ast.Attribute):
            name = dotted(target)
            return (0, name) if name is not None else None
        return None

    def _remember(self, node: ast.Assign | ast.AnnAssign) -> None:
        value = node.value
        if not isinstance(value, ast.Call):
            return
        constructor = self.walker.call_name(value)
        if constructor not in WEAK_GENERATORS and constructor not in _SECURE_GENERATORS:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            key = self._key(target)
            if key is not None:
                self._generators[key] = constructor
                if constructor in WEAK_GENERATORS and (value.args or value.keywords):
                    self._seeded.add(key)  # random.Random(seed): reproducible on purpose
                else:
                    self._seeded.discard(key)

    def _generator_of(self, receiver: ast.expr) -> str | None:
        if isinstance(receiver, ast.Call):
            return self.walker.call_name(receiver)
        key = self._key(receiver)
        if key is None:
            return None
        found = self._generators.get(key)
        if found is None and key[0] != 0 and isinstance(receiver, ast.Name):
            found = self._generators.get((0, receiver.id))  # a module-level generator
        return found

    # -- calls ---------------------------------------------------------------------------------
    def check(self, node: ast.AST) -> None:
        if node.__class__ is not ast.Call:  # Assign, AnnAssign
            self._remember(node)  # type: ignore[arg-type]
            return
        assert isinstance(node, ast.Call)
        walker = self.walker
        if self._tracks_helpers or not _GENERATOR_MODULES.isdisjoint(walker.framework_hints):
            self._tracks_helpers = True
            self._helper_call(node)
        name = walker.call_name(node)
        if name is not None:
            if name in SECURE_SOURCES:
                walker.examine(330, node, "random-value", "secure-generator", f"{name}()")
                return
            if name in PREDICTABLE_UUIDS:
                self._judge(node, name, name.rpartition(".")[2], uuid=name)
                return
            function = _RANDOM_CALLS.get(name)
            if function is not None:
                self._judge(node, name, function)
                return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in GENERATOR_METHODS:
            generator = self._generator_of(func.value)
            if generator in _SECURE_GENERATORS:
                walker.examine(
                    330, node, "random-value", "secure-generator", f"SystemRandom().{func.attr}()"
                )
            elif generator in WEAK_GENERATORS:
                shown = f"{walker.segment(func.value)}.{func.attr}"
                self._judge(node, shown, func.attr, instance=generator)

    def _judge(
        self, node: ast.Call, name: str, function: str, instance: str = "", uuid: str = ""
    ) -> None:
        walker = self.walker
        if walker.test_code:
            walker.examine(330, node, "random-value", "non-security-use", f"{name}() in test code")
            return
        context = usage_context(walker, node)
        data = [n for arg in node.args[:2] for n in expr_names(arg, 2)]
        decision = decide(VOCABULARY, context, data)
        if decision is None:
            helper = self._returned_by()
            if helper is not None:
                # Judged by the helper's callers in end_module.
                returned = _Returned(
                    node, name, function, instance, uuid, self._random_string(node, function)
                )
                self._returned.setdefault(helper, []).append(returned)
                return
        if decision is None or decision[1] == "benign":
            why = f"for `{decision[2]}`" if decision else "no secret-looking name around it"
            walker.examine(330, node, "random-value", "non-security-use", f"{name}(): {why}")
            return
        level, _, matched = decision
        self._report(
            node,
            name,
            function,
            instance,
            uuid,
            _LEVEL_PHRASES[level].format(matched),
            matched,
            Confidence.LOW,
        )

    def _report(
        self,
        node: ast.Call,
        name: str,
        function: str,
        instance: str,
        uuid: str,
        reason: str,
        matched: str,
        confidence: Confidence,
        evidence: str = "name heuristic",
        severity: Severity | None = None,
    ) -> None:
        walker = self.walker
        walker.examine(330, node, "random-value", "flagged", f"{name}() for `{matched}`")
        words = set(split_words(matched))
        if "salt" in words and not words & _SECRET_WORDS:
            # A salt must be unique, not secret: a predictable one weakens a hash a little.
            severity, confidence = Severity.LOW, Confidence.LOW
            reason += " (a salt must be unique rather than secret: hardening)"
        elif self._seeded_receiver(node):
            # random.Random(seed) with a seed the caller passes: reproducible on purpose.
            severity, confidence = Severity.LOW, Confidence.LOW
            reason += " (from a generator seeded on purpose, for reproducible values)"
        if uuid:
            walker.report(
                self,
                node,
                f"{name}() {PREDICTABLE_UUIDS[uuid]}, and {reason}: a secret must come from the "
                "secrets module",
                severity=severity,
                confidence=confidence,
                evidence=evidence,
                fix=self._uuid_fix(node, uuid),
            )
            return
        walker.report(
            self,
            node,
            f"{name}(){f' ({instance})' if instance and '(' not in name else ''} is a "
            f"predictable generator, and {reason}: a secret must come from the secrets module",
            severity=severity,
            confidence=confidence,
            evidence=evidence,
            fix=self._fix(node, name, function, instance),
        )

    def _seeded_receiver(self, node: ast.Call) -> bool:
        func = node.func
        if not isinstance(func, ast.Attribute):
            return False
        key = self._key(func.value)
        return key is not None and key in self._seeded

    # -- helpers returning random values ----------------------------------------------------------
    def _returned_by(self) -> str | None:
        """The name of the function whose `return` statement holds the node being checked."""
        function = self.walker.function
        if function is None:
            return None
        for ancestor in reversed(self.walker.ancestors):
            if isinstance(ancestor, ast.stmt):
                return function.name if isinstance(ancestor, ast.Return) else None
        return None

    def _random_string(self, node: ast.Call, function: str) -> bool:
        """`"".join(random.choices(string.ascii_letters + string.digits, k=n))`: a random
        string over a letters-and-digits alphabet."""
        if function not in _STRING_PICKERS:
            return False
        joined = any(
            isinstance(a, ast.Call)
            and isinstance(a.func, ast.Attribute)
            and a.func.attr == "join"
            and isinstance(a.func.value, ast.Constant)
            and isinstance(a.func.value.value, str)
            for a in self.walker.ancestors[-4:]
        )
        if not joined:
            return False
        alphabet = self.walker.argument(node, 0, "population" if function != "choice" else "seq")
        if alphabet is None:
            return False
        if _ALPHABET_NAMES.intersection(expr_names(alphabet, 3)):
            return True
        value = self.walker.const_value(alphabet)
        return isinstance(value, str) and len(set(value) & _ALNUM) >= 16

    def _helper_call(self, node: ast.Call) -> None:
        """A call of a function of this module: note whether its result gets a secret name."""
        func = node.func
        if isinstance(func, ast.Name):
            binding = self.walker.names.lookup(func.id)
            if binding is None or binding.kind is not BindingKind.DEFINITION:
                return
            callee = func.id
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in ("self", "cls")
        ):
            callee = func.attr
        else:
            return
        uses = self._helper_calls.setdefault(callee, [])
        if self.walker.test_code:
            uses.append(None)
            return
        uses.append(_HelperCall(node, self.walker.ancestors[:], self.walker.function))

    def end_module(self) -> None:
        walker = self.walker
        for helper, values in self._returned.items():
            uses = self._helper_calls.get(helper, [])
            secret = next(
                (s for s in (u.secret_use() for u in uses if u is not None) if s is not None),
                None,
            )
            for value in values:
                if secret is not None:
                    reason = (
                        f"`{helper}()` returns it, and line {secret.node.lineno} stores the "
                        f"result as `{secret.matched}`"
                    )
                    confidence = Confidence.LOW
                    self._report(
                        value.node,
                        value.name,
                        value.function,
                        value.instance,
                        value.uuid,
                        reason,
                        secret.matched,
                        confidence,
                        evidence="name heuristic at the helper's call site",
                    )
                elif value.random_string and not uses:
                    self._report(
                        value.node,
                        value.name,
                        value.function,
                        value.instance,
                        value.uuid,
                        f"`{helper}()` returns it as a random letters-and-digits string for "
                        "callers in other modules (tokens and codes, typically)",
                        helper,
                        Confidence.LOW,
                        evidence="random-string helper without callers in its module",
                        severity=Severity.MEDIUM,
                    )
                else:
                    why = f"returned by `{helper}()`, whose callers here give it no secret name"
                    walker.examine(
                        330,
                        value.node,
                        "random-value",
                        "non-security-use",
                        f"{value.name}(): {why}",
                    )

    def _uuid_fix(self, node: ast.Call, uuid: str) -> Fix:
        words = "use secrets.token_urlsafe(32) for a secret (or uuid.uuid4(), which is random)"
        func = node.func
        if uuid == "uuid.uuid1" and not node.args and not node.keywords:
            text = self.walker.segment(func)
            if text.endswith("uuid1"):
                return self.walker.replace_fix(func, text[:-1] + "4", words)
        return Fix(words)

    def _fix(self, node: ast.Call, name: str, function: str, instance: str) -> Fix:
        walker = self.walker
        imported = walker.names.module.bindings.get("secrets") is not None
        also = "" if imported else " (and `import secrets`)"
        if instance:
            return Fix(
                f"use secrets.SystemRandom() instead of {instance}(), or the secrets "
                "module's token_urlsafe() / token_hex() / choice()"
            )
        func = node.func
        if name.startswith("random.") and isinstance(func, ast.Attribute | ast.Name):
            replacement = _MECHANICAL.get(function)
            if function == "randrange" and len(node.args) == 1 and not node.keywords:
                replacement = "secrets.randbelow"
            # The replacement needs the secrets module, imported here if it is not yet.
            reference = module_reference(walker, "secrets") if replacement else None
            if replacement is not None and reference is not None:
                spelled, imports = reference
                replacement = spelled + replacement.removeprefix("secrets")
                fix = walker.replace_fix(
                    func,
                    replacement,
                    f"use {replacement}(), a cryptographically secure source{also}",
                )
                return Fix(fix.description, fix.edits + imports, fix.replacement)
        hint = _WORDED.get(function, "secrets.token_urlsafe() / secrets.randbelow()")
        return Fix(f"use the secrets module: {hint}{also}")
