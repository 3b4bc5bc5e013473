"""SR101: a string literal stored under a credential name."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.credentials._shared import (
    brief,
    classify_name,
    crypto_key_argument,
    hardcoded_credential_reason,
    in_enum_body,
    is_config_update,
    is_django_secret_key_target,
    is_flask_secret_key_target,
    is_placeholder,
    is_secret_key_setting,
    literal_value,
    redact,
    same_as_name,
    split_words,
    value_source,
    word_set,
)

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# Positional password argument of HTTP auth helpers: `HTTPBasicAuth("api", "s3cret")`.
_AUTH_HELPERS = frozenset(
    {
        "requests.auth.HTTPBasicAuth",
        "requests.auth.HTTPDigestAuth",
        "requests.auth.HTTPProxyAuth",
        "requests.HTTPBasicAuth",
        "httpx.BasicAuth",
        "httpx.DigestAuth",
        "aiohttp.BasicAuth",
    }
)
_AUTH_HEADER = re.compile(r"(Bearer|Basic|Token|Bot|token|bearer)\s+(\S{8,})")
# Methods that log in with a password in a fixed position: `smtp.login(user, password)`,
# `ftp.login(user, passwd)`, `imap.login(...)`, paramiko's `transport.auth_password(user, pw)`,
# python-ldap's `conn.simple_bind_s(dn, password)`, poplib's `pop.pass_(pw)`.
_LOGIN_METHODS: dict[str, int] = {
    "login": 1,
    "auth_password": 1,
    "simple_bind_s": 1,
    "simple_bind": 1,
    "bind_s": 1,
    "apop": 1,
    "pass_": 0,
}
_FIX = Fix(
    "read the credential at run time (os.environ['DB_PASSWORD'], a secret store, or the "
    "framework's secret settings) and rotate the value that was committed"
)


class HardcodedPassword(Rule):
    """A password, secret, token or API key is written into the source as a string literal.

    ## What it does
    Finds string literals stored under a credential name: assigned to a variable, attribute,
    module constant or subscript (`DB_PASSWORD = "..."`, `self.api_key = "..."`), passed as a
    keyword argument (`connect(password="...")`), used as a parameter default
    (`def login(user, password="...")`), or used as a dict value (`{"client_secret": "..."}`).
    Also `auth=("user", "...")`, `HTTPBasicAuth("user", "...")`, the password of login
    methods (`smtp.login("alerts", "...")`, `ftp.login(...)`, `imap.login(...)`, paramiko's
    `auth_password(user, "...")`, python-ldap's `simple_bind_s(dn, "...")`, poplib's
    `pass_("...")`) and literal `Authorization: Bearer ...` header values.

    A name is a credential name when its last word is a secret noun (`password`, `passwd`,
    `passphrase`, `secret`, `credentials`, `token`, `api_key`, `secret_key`, `private_key`,
    `access_key`, `auth_token`, `client_secret`, `admin_pass`, ...). Names whose last word is
    something else are metadata and are never reported: `password_hash_algorithm`,
    `token_url`, `password_field`, `secret_name`, `TOKEN_TYPE`, `max_password_length`,
    `password_prompt`, `next_token`, `prompt_tokens`, `is_password`.

    Not reported: empty strings and None, placeholders (`"<password>"`, `"${PASSWORD}"`,
    `"{password}"`, `"%(password)s"`, `"xxx"`, `"***"`, `"YOUR_API_KEY"`, `"example"`),
    values that are themselves field or header names (`"NextToken"`, `"X-Auth-Token"`), also
    behind a namespace (`"vendor:kmip_secret_key"`, `"{urn:api}AccessToken"`), the type names
    of generated API models (`{"kmip_secret_key": "str"}`), a scheme with a stand-in value
    (`"Bearer #"`, `"Basic **masked**"`), labels equal to their own name
    (`PASSWORD = "password"`), dicts of UI text or of names keyed by field name
    (`labels = {...}`, `attribute_names = {"password": "userPassword"}`), enum members, paths
    and URLs, prompt text, and values read from `os.environ` / `os.getenv` / configuration (recorded as
    examined). A comparison with a literal (`if password == "letmein":`,
    `request.form.get("password") != "s3cret"`) is reported like an assignment: the password
    the code accepts is in the source (CWE-259); comparisons with empty or placeholder text,
    or with an upper-case sentinel (`csrf_token == "NOTPROVIDED"`), are not. A bare `token` is reported only for long mixed values, since
    lexers have tokens too. Known default passwords such as `"changeme"` and `"changeit"`
    *are* reported: they are working credentials until someone changes them.
    A fallback in `os.getenv("DB_PASSWORD", "...")` is treated as an environment lookup.
    Documented example keys (`AKIAIOSFODNN7EXAMPLE`) are placeholders and are not reported.

    ## Why is this bad?
    Anyone with the source, a wheel, a container image or the git history has the credential,
    and it cannot be rotated without a release. Test code is skipped (fake passwords in
    fixtures are not defects); the review still lists those sites as test data.
    Framework signing keys (`SECRET_KEY` in Django settings, Flask's `secret_key`) and keys
    given to crypto APIs are reported by SR103, and recognisable token formats by SR102.

    ## Example
    ```python
    import psycopg2

    DB_PASSWORD = "s3cr3t-Pa55"

    def connect():
        return psycopg2.connect(host="db", user="app", password=DB_PASSWORD)
    ```

    ## Use instead
    ```python
    import os

    import psycopg2

    def connect():
        return psycopg2.connect(host="db", user="app", password=os.environ["DB_PASSWORD"])
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/798.html
    - https://cwe.mitre.org/data/definitions/259.html
    - https://owasp.org/www-community/vulnerabilities/Use_of_hard-coded_password
    """

    id = "SR101"
    slug = "hardcoded-password"
    cwe = 798
    related_cwes = (259,)
    title = "Hard-coded password or secret"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    node_types = (
        ast.Assign,
        ast.AnnAssign,
        ast.Call,
        ast.Dict,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.Lambda,
        ast.Compare,
    )
    # Every call: a credential keyword (`password="..."`) can be passed to any function.
    call_leaves = None
    in_tests = "skip"

    def check(self, node: ast.AST) -> None:
        if node.__class__ is ast.Call:  # the most frequent node by far
            self._call(node)  # type: ignore[arg-type]
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self._assignment(node, target, node.value)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._assignment(node, node.target, node.value)
        elif isinstance(node, ast.Dict):
            self._dict(node)
        elif isinstance(node, ast.Compare):
            self._comparison(node)
        else:
            self._defaults(node)  # type: ignore[arg-type]

    # -- sites ------------------------------------------------------------------------------
    def _assignment(self, stmt: ast.stmt, target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Tuple | ast.List):
            if isinstance(value, ast.Tuple | ast.List) and len(value.elts) == len(target.elts):
                for inner_target, inner_value in zip(target.elts, value.elts, strict=True):
                    self._assignment(stmt, inner_target, inner_value)
            return
        walker = self.walker
        name = _target_name(walker, target)
        if name is None or not _credential_name(name):
            return
        if is_flask_secret_key_target(walker, target) or is_django_secret_key_target(
            walker, target
        ):
            return  # SR103
        self._site(
            "assignment",
            name,
            value,
            stmt,
            lambda: f"`{brief(target)}` is assigned",
            label_check=True,
        )

    def _comparison(self, node: ast.Compare) -> None:
        """`if password == "letmein":`: the password the code accepts is in the source."""
        if len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq | ast.NotEq):
            return
        left, right = node.left, node.comparators[0]
        for named, literal in ((left, right), (right, left)):
            if not (isinstance(literal, ast.Constant) and isinstance(literal.value, str | bytes)):
                continue
            name = _compared_name(self.walker, named)
            if name is None or not _credential_name(name):
                continue
            if isinstance(literal.value, str) and _SENTINEL.fullmatch(literal.value):
                # `csrf_token == "NOTPROVIDED"`: a marker the code puts there itself.
                self.walker.examine(
                    798, node, "credential-value", "not-a-credential", f"`{name}`: a sentinel"
                )
                return
            self._site(
                "comparison",
                name,
                literal,
                node,
                lambda named=named: f"`{brief(named)}` is compared with",
                label_check=True,
            )
            return

    def _call(self, call: ast.Call) -> None:
        keywords = call.keywords
        if not keywords and not call.args:
            return  # most calls: no argument that could be a password
        relevant = False
        for keyword in keywords:
            arg = keyword.arg
            if arg is not None and (arg == "auth" or _credential_name(arg)):
                relevant = True
                break
        func = call.func
        login = None
        if isinstance(func, ast.Attribute) and func.attr in _LOGIN_METHODS:
            login = _login_password(call)
        if not relevant and len(call.args) < 2 and login is None:
            return
        walker = self.walker
        qualified = walker.call_name(call)
        if not relevant and qualified not in _AUTH_HELPERS and login is None:
            return
        if crypto_key_argument(walker, call, qualified) is not None:
            return  # keys handed to crypto APIs are SR103's
        callee = qualified or call.func
        config_update = is_config_update(call)
        for keyword in call.keywords:
            if keyword.arg is None:
                continue
            if config_update and is_secret_key_setting(keyword.arg):
                continue  # SR103
            if keyword.arg == "auth" and isinstance(keyword.value, ast.Tuple):
                self._auth_pair(callee, keyword.value)
                continue
            self._site(
                "keyword",
                keyword.arg,
                keyword.value,
                keyword,
                lambda: f"{_callee_text(callee)}() is passed",
                suffix=f" as `{keyword.arg}=`",
            )
        if qualified in _AUTH_HELPERS and len(call.args) >= 2:
            self._password_slot(callee, call.args[1], call.args[1])
        elif login is not None:
            self._password_slot(callee, login, login)

    def _auth_pair(self, callee: str | ast.expr, pair: ast.Tuple) -> None:
        if len(pair.elts) == 2:
            self._password_slot(callee, pair.elts[1], pair.elts[1], " in `auth=`")

    def _password_slot(
        self, callee: str | ast.expr, value: ast.expr, node: ast.AST, where: str = ""
    ) -> None:
        self._site(
            "keyword",
            "password",
            value,
            node,
            lambda: f"{_callee_text(callee)}() is passed",
            suffix=where or " as the password argument",
        )

    def _dict(self, node: ast.Dict) -> None:
        walker = self.walker
        # Only keys that name a credential are sites (`_site` ignores the others): look at the
        # parent only for a dict that has one.
        entries: list[tuple[str, ast.expr]] = []
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                continue
            name = walker.const_value(key)
            if isinstance(name, str) and _credential_name(name):
                entries.append((name, value))
        if not entries:
            return
        parent = walker.parent
        if _is_text_table(parent):
            return  # labels = {"password": "Mot de passe"}: UI text keyed by field name
        in_config_update = isinstance(parent, ast.Call) and is_config_update(parent)
        for name, value in entries:
            if in_config_update and is_secret_key_setting(name):
                continue  # SR103
            self._site(
                "dict",
                name,
                value,
                value,
                lambda name=name: f"dict key '{name}' maps to",
                label_check=True,
            )

    def _defaults(self, func: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        args = func.args
        if not args.defaults and not args.kw_defaults:
            return
        positional = [*args.posonlyargs, *args.args]
        pairs = list(
            zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
        )
        pairs += [
            (a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None
        ]
        name = getattr(func, "name", "lambda")
        for arg, default in pairs:
            self._site(
                "default",
                arg.arg,
                default,
                default,
                lambda arg=arg: f"parameter `{arg.arg}` of {name}() defaults to",
            )

    # -- the judgement --------------------------------------------------------------------------
    def _site(
        self,
        context: str,
        name: str,
        value_expr: ast.expr,
        node: ast.AST,
        lead: Callable[[], str],
        *,
        suffix: str = "",
        label_check: bool = False,
    ) -> None:
        walker = self.walker
        cred = classify_name(name)
        if cred is None or not cred.holds_credential:
            return
        value = literal_value(walker, value_expr)
        if value is None:
            if not isinstance(value_expr, ast.Constant):  # None, numbers, booleans
                source = value_source(walker, value_expr)
                walker.examine(
                    798, node, "credential-value", source, f"`{name}` is not a literal ({source})"
                )
            return
        if _updates_itself(value_expr, name):
            return  # `passwd = passwd + "@"`: folded through an earlier binding, not a literal
        via = ""
        if isinstance(value_expr, ast.Name):
            if classify_name(value_expr.id) is not None:
                return  # judged where the constant is defined
            via = f" via the constant `{value_expr.id}`"
        if cred.words[-1] == "authorization" and isinstance(value, str):
            value = _strip_scheme(value)
        reason = hardcoded_credential_reason(cred, value)
        if reason is None and label_check and same_as_name(value, name):
            reason = "a label equal to its own name"
        if reason is None and context == "assignment" and in_enum_body(walker):
            reason = "an enum member"
        if reason is not None:
            verdict = (
                "token-format"
                if reason.startswith("known token")
                else "placeholder"
                if is_placeholder(value)
                else "not-a-credential"
            )
            walker.examine(798, node, "credential-value", verdict, f"`{name}`: {reason}")
            return
        verdict = "test-data" if walker.test_code else "flagged"
        walker.examine(798, node, "credential-value", verdict, f"literal `{name}` ({context})")
        walker.report(
            self,
            node,
            f"{lead()} a hard-coded {cred.display_noun}{suffix}{via}: {redact(value)}",
            confidence=Confidence.LOW if cred.weak else self.confidence,
            evidence="name heuristic",
            fix=_FIX,
        )


# Dicts of UI text keyed by field name: Django's Meta.labels, help_texts, error_messages ...;
# and of the names a field has elsewhere (keystone's `attribute_options_names`, LDAP
# attribute maps, column aliases).
_TEXT_TABLE_WORDS = word_set(
    """
    labels label help texts text messages message placeholders placeholder titles title
    descriptions description verbose translations translation strings hints hint prompts prompt
    tooltips tooltip errors error widgets docs doc i18n captions caption
    names attributes attrs columns aliases
    """
)


def _is_text_table(parent: ast.AST | None) -> bool:
    names: list[str] = []
    if isinstance(parent, ast.Assign):
        names = [_plain(t) for t in parent.targets]
    elif isinstance(parent, ast.AnnAssign):
        names = [_plain(parent.target)]
    elif isinstance(parent, ast.keyword) and parent.arg:
        names = [parent.arg]
    return any(_TEXT_TABLE_WORDS.intersection(split_words(n)) for n in names if n)


def _plain(target: ast.expr) -> str:
    if isinstance(target, ast.Name):
        return target.id
    return target.attr if isinstance(target, ast.Attribute) else ""


def _login_password(call: ast.Call) -> ast.expr | None:
    """The positional password of `x.login(user, password)` and similar methods."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in _LOGIN_METHODS:
        return None
    position = _LOGIN_METHODS[func.attr]
    if len(call.args) != position + 1 and not (position == 1 and len(call.args) == 3):
        return None
    if any(isinstance(a, ast.Starred) for a in call.args):
        return None
    return call.args[position]


def _credential_name(name: str) -> bool:
    cred = classify_name(name)
    return cred is not None and cred.holds_credential


def _target_name(walker: Walker, target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript):
        key = walker.const_value(target.slice)
        return key if isinstance(key, str) else None
    return None


# A constant-like upper-case word (`NOTPROVIDED`, `UNSET`, `NO_TOKEN`): a sentinel, not a password.
_SENTINEL = re.compile(r"[A-Z][A-Z_]*")


def _compared_name(walker: Walker, expr: ast.expr) -> str | None:
    """The name a compared value goes by: `password`, `user.password`, `form["password"]`,
    `request.form.get("password")`."""
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "get"
        and expr.args
    ):
        key = walker.const_value(expr.args[0])
        return key if isinstance(key, str) else None
    return _target_name(walker, expr)


def _strip_scheme(value: str) -> str:
    """`"Bearer 8f2c..."` -> `"8f2c..."`: judge the credential, not the scheme."""
    match = _AUTH_HEADER.fullmatch(value.strip())
    return match.group(2) if match else value


def _callee_text(callee: str | ast.expr) -> str:
    return callee if isinstance(callee, str) else brief(callee, 40)


def _updates_itself(value: ast.expr, name: str) -> bool:
    """The folded value is built from the variable being assigned (`pw = pw + "x"`)."""
    stack: list[ast.expr] = [value]
    for _ in range(8):
        if not stack:
            return False
        expr = stack.pop()
        if isinstance(expr, ast.Name):
            if expr.id == name:
                return True
        elif isinstance(expr, ast.BinOp):
            stack.extend((expr.left, expr.right))
        elif isinstance(expr, ast.JoinedStr):
            stack.extend(v.value for v in expr.values if isinstance(v, ast.FormattedValue))
    return False
