from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.crypto._shared import RANDOM_VOCABULARY, decide, expr_names, usage_context
from secreview.rules.files._shared import dotted

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
_LEVEL_PHRASES = {
    "target": "its value goes to `{}`",
    "data": "it draws from `{}`",
    "callee": "its value is passed to `{}()`",
    "function": "it is used in `{}()`",
    "class": "it is used in class `{}`",
}


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
    confidence = Confidence.HIGH
    node_types = (ast.Call, ast.Assign, ast.AnnAssign)
    bandit_ids = ("B311",)
    in_tests = "skip"

    def begin_module(self) -> None:
        # (id of the enclosing function or 0, name or `self.attr`) -> generator constructor.
        self._generators: dict[tuple[int, str], str] = {}

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
        if isinstance(node, ast.Assign | ast.AnnAssign):
            self._remember(node)
            return
        assert isinstance(node, ast.Call)
        walker = self.walker
        name = walker.call_name(node)
        if name is not None:
            if name in SECURE_SOURCES:
                walker.examine(330, node, "random-value", "secure-generator", f"{name}()")
                return
            module, _, function = name.rpartition(".")
            if (module == "random" and function in RANDOM_FUNCTIONS) or (
                module == "numpy.random" and function in NUMPY_FUNCTIONS
            ):
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

    def _judge(self, node: ast.Call, name: str, function: str, instance: str = "") -> None:
        walker = self.walker
        if walker.test_code:
            walker.examine(330, node, "random-value", "non-security-use", f"{name}() in test code")
            return
        context = usage_context(walker, node)
        data = [n for arg in node.args[:2] for n in expr_names(arg, 2)]
        decision = decide(RANDOM_VOCABULARY, context, data)
        if decision is None or decision[1] == "benign":
            why = f"for `{decision[2]}`" if decision else "no secret-looking name around it"
            walker.examine(330, node, "random-value", "non-security-use", f"{name}(): {why}")
            return
        level, _, matched = decision
        walker.examine(330, node, "random-value", "flagged", f"{name}() for `{matched}`")
        reason = _LEVEL_PHRASES[level].format(matched)
        walker.report(
            self,
            node,
            f"{name}(){f' ({instance})' if instance and '(' not in name else ''} is a "
            f"predictable generator, and {reason}: a secret must come from the secrets module",
            confidence=Confidence.MEDIUM if level in ("function", "class") else Confidence.HIGH,
            evidence="name heuristic",
            fix=self._fix(node, name, function, instance),
        )

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
        if name.startswith("random.") and isinstance(func, ast.Attribute):
            replacement = _MECHANICAL.get(function)
            if function == "randrange" and len(node.args) == 1 and not node.keywords:
                replacement = "secrets.randbelow"
            if replacement is not None:
                return walker.replace_fix(
                    func,
                    replacement,
                    f"use {replacement}(), a cryptographically secure source{also}",
                )
        hint = _WORDED.get(function, "secrets.token_urlsafe() / secrets.randbelow()")
        return Fix(f"use the secrets module: {hint}{also}")
