"""What the cookie rules share: the cookies a module sets, their flags, and what they hold.

A cookie is set by a response's `set_cookie()` (Flask/Werkzeug, Django, Starlette/FastAPI,
aiohttp, WebOb, Bottle, Tornado, Falcon; `set_signed_cookie()` and Tornado's
`set_secure_cookie()` too), or as a morsel of a cookie jar: `response.cookies[name] = value`
(Django's `HttpResponse.cookies`) or an `http.cookies.SimpleCookie`, whose flags are then set
one by one (`jar[name]["secure"] = True`). Session cookies are configured by framework
settings: Flask's `SESSION_COOKIE_SECURE` (as `app.config[...]`, `app.config.update(...)`,
`from_mapping(...)` or a config class attribute), Django's settings module, and the keyword
arguments of aiohttp_session's cookie storages.

What a cookie holds decides how much its flags matter. It is judged by its value first: a
variable or attribute named as a secret (`access_token`, `session_key`, `sid`), or made by a
call that makes tokens (`secrets.token_urlsafe()`, `jwt.encode()`, an itsdangerous
serializer's `dumps()`, `uuid.uuid4()`, flask-jwt-extended's `create_access_token()`); then,
at lower confidence, by the cookie's name (`session`, `auth_token`, `remember_me`, `user_id`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Severity
from secreview.models import builtin_models
from secreview.parsing.names import NOT_CONSTANT, BindingKind
from secreview.rules.common import is_truthy
from secreview.rules.web._shared import dotted, name_words, one_line

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# Modules that import one of these serve HTTP responses; `set_cookie` elsewhere is some other
# object's (a client's cookie jar, a browser driver).
WEB_PACKAGES = frozenset(
    {
        "flask",
        "werkzeug",
        "django",
        "starlette",
        "fastapi",
        "aiohttp",
        "aiohttp_session",
        "webob",
        "pyramid",
        "bottle",
        "tornado",
        "falcon",
        "quart",
        "http",
    }
)
SETTERS = frozenset({"set_cookie", "set_signed_cookie", "set_secure_cookie"})
JARS = frozenset({"http.cookies.SimpleCookie", "http.cookies.BaseCookie", "Cookie.SimpleCookie"})
AIOHTTP_STORAGES = frozenset(
    {
        "aiohttp_session.cookie_storage.EncryptedCookieStorage",
        "aiohttp_session.EncryptedCookieStorage",
        "aiohttp_session.nacl_storage.NaClCookieStorage",
        "aiohttp_session.redis_storage.RedisStorage",
        "aiohttp_session.memcached_storage.MemcachedStorage",
        "aiohttp_session.SimpleCookieStorage",
        "aiohttp_session.AbstractStorage",
    }
)
# The calls whose cookie flags SR721 and SR722 judge: setters, settings updates, aiohttp
# session storages and cookie jars.
FLAG_CALL_LEAVES = frozenset(
    {
        *SETTERS,
        "update",
        "from_mapping",
        *(name.rpartition(".")[2] for name in AIOHTTP_STORAGES),
        *(name.rpartition(".")[2] for name in JARS),
    }
)
# Receivers whose cookies are the client side's (test clients, cookie jars, browser drivers).
_CLIENT_WORDS = frozenset({"client", "jar", "cookiejar", "driver", "browser", "opener"})

# Settings of session-carrying cookies: (flag, what the cookie holds).
SECURE_SETTINGS = {
    "SESSION_COOKIE_SECURE": "the session cookie",
    "CSRF_COOKIE_SECURE": "the CSRF cookie",
    "REMEMBER_COOKIE_SECURE": "the remember-me cookie",
    "JWT_COOKIE_SECURE": "the JWT cookie",
}
HTTPONLY_SETTINGS = {
    "SESSION_COOKIE_HTTPONLY": "the session cookie",
    "REMEMBER_COOKIE_HTTPONLY": "the remember-me cookie",
}
SAMESITE_SETTINGS = {
    "SESSION_COOKIE_SAMESITE": "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE": "CSRF_COOKIE_SECURE",
    "REMEMBER_COOKIE_SAMESITE": "REMEMBER_COOKIE_SECURE",
    "JWT_COOKIE_SAMESITE": "JWT_COOKIE_SECURE",
}
ALL_SETTINGS = frozenset({*SECURE_SETTINGS, *HTTPONLY_SETTINGS, *SAMESITE_SETTINGS})

# What a cookie's name says it holds.
_SESSION_WORDS = frozenset(
    {
        "session",
        "sess",
        "sessid",
        "sessionid",
        "sid",
        "auth",
        "authentication",
        "token",
        "jwt",
        "login",
        "remember",
        "credential",
        "credentials",
        "password",
        "secret",
        "apikey",
        "bearer",
        "identity",
        "refresh",
        "access",
        "user",
        "userid",
        "uid",
        "username",
        "account",
        "admin",
        "role",
    }
)
_CSRF_WORDS = frozenset({"csrf", "xsrf", "csrftoken"})
# Attributes that are a session id or a token (`session.sid`, `request.session.session_key`).
_TOKEN_ATTRIBUTES = frozenset({"sid", "session_key", "session_id", "sessionid", "token"})
# Calls whose result is a token, a session id or a signed credential.
_TOKEN_MAKERS = frozenset(
    {
        "secrets.token_hex",
        "secrets.token_urlsafe",
        "secrets.token_bytes",
        "uuid.uuid4",
        "os.urandom",
        "jwt.encode",
        "jose.jwt.encode",
        "authlib.jose.jwt.encode",
        "flask_jwt_extended.create_access_token",
        "flask_jwt_extended.create_refresh_token",
        "django.utils.crypto.get_random_string",
        "django.core.signing.dumps",
    }
)
_TOKEN_METHODS = frozenset({"dumps", "sign", "encode", "create_access_token", "issue_token"})
_SIGNERS = ("itsdangerous", "django.core.signing", "jwt", "jose", "authlib")


@dataclass(frozen=True, slots=True)
class Holds:
    """What a cookie holds: `kind` is "session", "csrf" or "" (nothing known to be sensitive);
    `by_value` says whether the value (not only the name) showed it; `why` is said in messages."""

    kind: str
    by_value: bool
    why: str

    @property
    def sensitive(self) -> bool:
        return bool(self.kind)


NOTHING = Holds("", False, "")


@dataclass(frozen=True, slots=True)
class Flag:
    """A flag's state: "true", "false" (a false constant), "missing", or "configured" (not a
    constant: a setting, a parameter)."""

    state: str
    node: ast.expr | None = None


@dataclass(frozen=True, slots=True)
class Cookie:
    node: ast.AST  # where findings go
    what: str  # `set_cookie("sid", …)`, shown in messages
    name: ast.expr | None
    value: ast.expr | None
    secure: Flag
    httponly: Flag
    samesite: Flag
    samesite_none: bool
    dynamic: bool  # **options: the flags cannot be read
    deleting: bool  # an empty value that expires now: nothing to protect
    call: ast.Call | None = None


def flag(walker: Walker, expr: ast.expr | None, default: bool = False) -> Flag:
    if expr is None:
        return Flag("true" if default else "missing")
    value = walker.const_value(expr)
    if value is NOT_CONSTANT:
        return Flag("configured", expr)
    return Flag("true" if value else "false", expr)


def serves_http(walker: Walker) -> bool:
    return bool(walker.framework_hints & WEB_PACKAGES) or bool(walker.names.module.star_imports)


def cookie_from_call(walker: Walker, node: ast.Call) -> Cookie | None:
    """A cookie set by `response.set_cookie(name, value, secure=…, httponly=…)`, or None."""
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in SETTERS:
        return None
    if not serves_http(walker):
        return None
    receiver = dotted(func.value)
    if receiver and _CLIENT_WORDS & set(name_words(receiver.rsplit(".", 1)[-1])):
        return None
    name = walker.argument(node, 0, "key") or walker.keyword(node, "name")
    value = walker.argument(node, 1, "value")
    if name is None or (len(node.args) < 2 and value is None and not node.keywords):
        return None  # `jar.set_cookie(cookie_object)`: a client-side cookie jar
    falcon = "falcon" in walker.framework_hints
    secure = flag(walker, walker.keyword(node, "secure"), default=falcon)
    httponly_kw = walker.keyword(node, "httponly") or walker.keyword(node, "http_only")
    httponly = flag(walker, httponly_kw, default=falcon or func.attr == "set_secure_cookie")
    samesite_kw = walker.keyword(node, "samesite") or walker.keyword(node, "same_site")
    samesite = flag(walker, samesite_kw)
    none = _is_none_string(walker, samesite_kw)
    dynamic = any(k.arg is None for k in node.keywords)
    shown = f"{func.attr}({one_line(walker, name, 30)}, …)"
    return Cookie(
        node,
        shown,
        name,
        value,
        secure,
        httponly,
        samesite,
        none,
        dynamic,
        _deleting(walker, node, value),
        node,
    )


def _is_none_string(walker: Walker, expr: ast.expr | None) -> bool:
    value = walker.const_value(expr) if expr is not None else None
    return isinstance(value, str) and value.strip().lower() == "none"


def _deleting(walker: Walker, node: ast.Call, value: ast.expr | None) -> bool:
    if value is not None and walker.const_value(value) not in ("", b"", None):
        return False
    for keyword in ("max_age", "expires"):
        expr = walker.keyword(node, keyword)
        if expr is not None and walker.const_value(expr) in (0, "0"):
            return True
    return value is None or walker.const_value(value) in ("", b"")


def holds(walker: Walker, name: ast.expr | None, value: ast.expr | None) -> Holds:
    """What the cookie holds, by its value first, then by its name."""
    by_value = _value_holds(walker, value) if value is not None else ""
    if by_value:
        return Holds("session", True, by_value)
    text = walker.const_value(name) if name is not None else None
    if isinstance(text, str):
        words = set(name_words(text))
        if words & _CSRF_WORDS:
            return Holds("csrf", False, f"its name `{text}` says it holds a CSRF token")
        if words & _SESSION_WORDS:
            return Holds("session", False, f"its name `{text}` says it holds a session or token")
    return NOTHING


def _value_holds(walker: Walker, value: ast.expr) -> str:
    """Why the value is a session id, a token or a credential, or ""."""
    secret_names = _secret_names(walker)
    for node in _value_parts(value):
        if isinstance(node, ast.Name):
            made_by = _made_by(walker, node)
            if made_by:
                return f"its value comes from `{made_by}()`, which makes a token"
            noun = secret_names.classify(node.id)
            if noun is not None or node.id.lower() in _TOKEN_ATTRIBUTES:
                return f"its value `{node.id}` is a {noun or 'session id or token'}"
        elif isinstance(node, ast.Attribute):
            noun = secret_names.classify(node.attr)
            if noun is not None or node.attr.lower() in _TOKEN_ATTRIBUTES:
                return f"its value `{one_line(walker, node, 40)}` is a {noun or 'session id'}"
        elif isinstance(node, ast.Call):
            maker = _token_maker(walker, node)
            if maker:
                return f"its value comes from `{maker}()`, which makes a token"
    return ""


def _value_parts(value: ast.expr) -> list[ast.expr]:
    """The value and what it is built from (`str(x)`, f-strings, `+`, `.decode()`)."""
    parts: list[ast.expr] = []
    stack = [value]
    while stack and len(parts) < 32:
        node = stack.pop()
        parts.append(node)
        match node:
            case ast.JoinedStr(values=values):
                stack.extend(v.value for v in values if isinstance(v, ast.FormattedValue))
            case ast.BinOp(left=left, right=right):
                stack.extend((left, right))
            case ast.Call(func=ast.Name(id="str" | "bytes"), args=[arg, *_]):
                stack.append(arg)
            case ast.Call(func=ast.Attribute(attr="decode" | "encode" | "hex", value=inner)):
                stack.append(inner)
    return parts


def _made_by(walker: Walker, name: ast.Name) -> str:
    binding = walker.names.lookup(name.id)
    if binding is None or binding.kind is not BindingKind.INSTANCE:
        return ""
    made_by = str(binding.value or "")
    return made_by if _is_token_maker(made_by) else ""


def _token_maker(walker: Walker, call: ast.Call) -> str:
    qualified = walker.call_name(call) or ""
    return qualified if _is_token_maker(qualified) else ""


def _is_token_maker(qualified: str) -> bool:
    if qualified in _TOKEN_MAKERS:
        return True
    leaf = qualified.rpartition(".")[2]
    return leaf in _TOKEN_METHODS and qualified.startswith(_SIGNERS)


def _secret_names(walker: Walker):  # type: ignore[no-untyped-def]
    lowerer = walker.lowerer
    names = getattr(lowerer, "models", None)
    if names is not None:
        return names.secret_names
    return builtin_models().secret_names


# -- where a setting is, and whether it is for development only ------------------------------
_DEV_STEMS = re.compile(
    r"(?:^|_)(?:dev|devel|development|local|localdev|debug|test|tests|testing|ci)(?:_|$)"
)


def development_only(walker: Walker) -> str:
    """Why the statement being walked is for development only, or "": a settings module named
    so (`settings/dev.py`, `local_settings.py`, `settings_development.py`), a branch on the
    environment (`if os.environ.get("ENV") == "dev":`), or a test configuration class."""
    path = PurePath(walker.path)
    if _DEV_STEMS.search(path.stem.lower()):
        shown = "/".join(path.parts[-2:])
        return f"in `{shown}`, a settings module for development"
    for ancestor in reversed(walker.ancestors):
        if isinstance(ancestor, ast.If) and _reads_environment(walker, ancestor.test):
            return f"under `if {one_line(walker, ancestor.test, 50)}`, set by the environment"
        if isinstance(ancestor, ast.ClassDef | ast.FunctionDef) and _dev_words(ancestor.name):
            return f"in `{ancestor.name}`, a configuration for development or tests"
    return ""


def _dev_words(name: str) -> bool:
    return bool(
        {"dev", "development", "local", "debug", "test", "testing", "tests"} & set(name_words(name))
    )


def _reads_environment(walker: Walker, test: ast.expr) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Attribute | ast.Name | ast.Call):
            target = node.func if isinstance(node, ast.Call) else node
            qualified = walker.qualname(target) or ""
            if qualified.startswith(("os.environ", "os.getenv", "sys.argv")):
                return True
            if isinstance(node, ast.Name | ast.Attribute) and _dev_words(
                node.id if isinstance(node, ast.Name) else node.attr
            ):
                return True
    return False


def framework_defaults(walker: Walker) -> bool:
    """A framework's own modules (`django.conf.global_settings`): they hold defaults that the
    project's settings override, not the project's choice."""
    top = walker.module_name.partition(".")[0]
    return top in {"django", "flask", "werkzeug", "starlette", "aiohttp_session"}


def setting_assignments(walker: Walker, node: ast.AST) -> list[tuple[str, ast.expr, ast.AST]]:
    """(setting, value, statement) of `NAME = v` (a settings module or a config class),
    `app.config["NAME"] = v`, `app.config.update(NAME=v)`, `.update({"NAME": v})` and
    `.from_mapping(...)`, for the cookie settings."""
    found: list[tuple[str, ast.expr, ast.AST]] = []
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id in ALL_SETTINGS:
                found.append((target.id, node.value, node))
            elif (
                isinstance(target, ast.Subscript)
                and dotted(target.value).endswith("config")
                and walker.const_value(target.slice) in ALL_SETTINGS
            ):
                found.append((walker.const_value(target.slice), node.value, node))
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"update", "from_mapping"}
        and dotted(node.func.value).endswith("config")
    ):
        for keyword in node.keywords:
            if keyword.arg in ALL_SETTINGS:
                found.append((keyword.arg, keyword.value, node))
        for arg in node.args:
            if isinstance(arg, ast.Dict):
                for key, value in zip(arg.keys, arg.values, strict=True):
                    name = walker.const_value(key) if key is not None else None
                    if name in ALL_SETTINGS:
                        found.append((name, value, node))
    return found


# -- morsels: `jar[name] = value`, then `jar[name]["secure"] = True` ---------------------------
_MORSEL_FLAGS = frozenset({"secure", "httponly", "samesite"})


class MorselJar:
    """The cookies a module sets as morsels of a jar, and the flags later set on them, by the
    function they are in. Read after the walk, when every flag of a function has been seen."""

    def __init__(self, walker: Walker) -> None:
        self.walker = walker
        self.set: dict[tuple[int, str, str], tuple[ast.Assign, ast.expr, ast.expr]] = {}
        self.flags: dict[tuple[int, str, str], dict[str, ast.expr]] = {}

    def observe(self, node: ast.AST) -> None:
        walker = self.walker
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if not isinstance(target, ast.Subscript):
                return
            inner = target.value
            if isinstance(inner, ast.Subscript) and self._is_jar(inner.value):
                attr = walker.const_value(target.slice)
                if isinstance(attr, str) and attr.lower() in _MORSEL_FLAGS:
                    key = self._key(inner.value, inner.slice)
                    self.flags.setdefault(key, {})[attr.lower()] = node.value
            elif self._is_jar(inner):
                self.set[self._key(inner, target.slice)] = (node, target.slice, node.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and isinstance(node.func.value, ast.Subscript)
            and self._is_jar(node.func.value.value)
        ):
            morsel = node.func.value
            key = self._key(morsel.value, morsel.slice)
            for arg in node.args:
                if isinstance(arg, ast.Dict):
                    for name, value in zip(arg.keys, arg.values, strict=True):
                        text = walker.const_value(name) if name is not None else None
                        if isinstance(text, str) and text.lower() in _MORSEL_FLAGS:
                            self.flags.setdefault(key, {})[text.lower()] = value

    def _key(self, jar: ast.expr, name: ast.expr) -> tuple[int, str, str]:
        function = self.walker.function
        return (id(function), dotted(jar), one_line(self.walker, name, 80))

    def _is_jar(self, expr: ast.expr) -> bool:
        walker = self.walker
        if isinstance(expr, ast.Name):
            binding = walker.names.lookup(expr.id)
            return (
                binding is not None
                and binding.kind is BindingKind.INSTANCE
                and str(binding.value) in JARS
            )
        if isinstance(expr, ast.Attribute) and expr.attr == "cookies" and serves_http(walker):
            owner = dotted(expr.value)
            if not owner or _CLIENT_WORDS & set(name_words(owner.rsplit(".", 1)[-1])):
                return False
            return "request" not in name_words(owner) and "req" not in name_words(owner)
        return False

    def cookies(self) -> list[Cookie]:
        walker = self.walker
        found: list[Cookie] = []
        for key, (node, name, value) in self.set.items():
            flags = self.flags.get(key, {})
            samesite = flags.get("samesite")
            found.append(
                Cookie(
                    node,
                    f"{key[1]}[{one_line(walker, name, 30)}]",
                    name,
                    value,
                    flag(walker, flags.get("secure")),
                    flag(walker, flags.get("httponly")),
                    flag(walker, samesite),
                    _is_none_string(walker, samesite),
                    False,
                    walker.const_value(value) in ("", b""),
                )
            )
        return found


def site_verdict(cookie: Cookie) -> str:
    """The review's word for a cookie no rule flagged."""
    if cookie.dynamic:
        return "dynamic"
    if cookie.deleting:
        return "deletes-cookie"
    secure, httponly = cookie.secure.state, cookie.httponly.state
    if "configured" in (secure, httponly):
        return "cookie-configured"
    if secure == "true" and httponly == "true":
        return "secure-httponly"
    if secure == "true":
        return "secure-script-readable"
    return "flagged"


class CookieRule:
    """The walk every cookie rule shares: set_cookie calls, morsels, settings and storages.

    Mixed into each rule (which is a `Rule`); the rule implements `judge`, `setting` and
    `storage` and reports through the walker.
    """

    walker: Walker

    def begin_module(self) -> None:
        self.jar = MorselJar(self.walker)
        self.settings: dict[str, tuple[ast.expr, ast.AST, str]] = {}

    def check(self, node: ast.AST) -> None:
        walker = self.walker
        if isinstance(node, ast.Call):
            cookie = cookie_from_call(walker, node)
            if cookie is not None:
                self.judge(cookie)
                return
            if walker.call_name(node) in AIOHTTP_STORAGES:
                self.storage(node)
                return
        self.jar.observe(node)
        if isinstance(node, ast.Assign | ast.Call) and not framework_defaults(walker):
            for name, value, statement in setting_assignments(walker, node):
                why = development_only(walker)
                self.settings[name] = (value, statement, why)
                self.setting(name, value, statement, why)

    def end_module(self) -> None:
        for cookie in self.jar.cookies():
            self.judge(cookie)
        self.settings_done()

    def judge(self, cookie: Cookie) -> None:
        raise NotImplementedError

    def setting(self, name: str, value: ast.expr, statement: ast.AST, why: str) -> None:
        """One cookie setting; by default nothing."""

    def settings_done(self) -> None:
        """After the module: judge settings that go together."""

    def storage(self, call: ast.Call) -> None:
        """An aiohttp_session storage; by default nothing."""


class FlagRule(CookieRule):
    """A cookie rule about one flag (`secure`, `httponly`): the framework settings and the
    aiohttp_session storages that turn it off are judged the same way for each flag."""

    cwe: int
    flag: str  # the keyword argument: "secure", "httponly"
    flag_settings: dict[str, str]  # setting name -> the cookie it governs
    exposure: str  # what happens to {what}, a cookie, without the flag

    def setting(self, name: str, value: ast.expr, statement: ast.AST, why: str) -> None:
        if name not in self.flag_settings:
            return
        walker = self.walker
        truth = is_truthy(walker, value)
        if truth is not False:
            verdict = "enabled" if truth else "cookie-configured"
            walker.examine(self.cwe, statement, "cookie-setting", verdict, name)
            return
        walker.examine(self.cwe, statement, "cookie-setting", "flagged", f"{name} = False")
        where = f"; {why}" if why else ""
        walker.report(
            self,  # type: ignore[arg-type]  # mixed into a Rule
            statement,
            f"{name} is False: {self.exposure.format(what=self.flag_settings[name])}{where}",
            severity=Severity.LOW if why else Severity.MEDIUM,
            confidence=Confidence.HIGH,
            evidence="constant setting" + (" for development" if why else ""),
            fix=walker.replace_fix(value, "True", f"set {name} to True"),
        )

    def storage(self, call: ast.Call) -> None:
        walker = self.walker
        value = walker.keyword(call, self.flag)
        short = (walker.call_name(call) or "storage").rpartition(".")[2]
        if value is None or is_truthy(walker, value) is not False:
            return
        off = f"{short}({self.flag}=False)"
        walker.examine(self.cwe, call, "cookie-setting", "flagged", off)
        walker.report(
            self,  # type: ignore[arg-type]
            call,
            f"{off}: {self.exposure.format(what='the aiohttp_session cookie')}",
            severity=Severity.MEDIUM,
            confidence=Confidence.HIGH,
            evidence="constant argument",
            fix=walker.replace_fix(value, "True", f"set {self.flag}=True"),
        )
