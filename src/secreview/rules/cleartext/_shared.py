"""URLs and hosts for the cleartext and TLS rules: what is an `http://` URL, where does it go."""

from __future__ import annotations

import ast
import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secreview.rules.deserialization._shared import MAX_DEPTH, AssignedValues

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

# Cloud instance-metadata endpoints: link-local, plain HTTP only, never leave the host.
METADATA_HOSTS = frozenset(
    {
        "169.254.169.254",  # AWS, Azure, GCP, OpenStack, DigitalOcean...
        "169.254.170.2",  # AWS ECS task metadata / credentials
        "fd00:ec2::254",  # AWS IPv6
        "100.100.100.200",  # Alibaba Cloud
        "metadata.google.internal",
        "metadata",
    }
)
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
# RFC 2606 / 6761 names that cannot reach a real server.
PLACEHOLDER_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
PLACEHOLDER_SUFFIXES = (
    ".example",
    ".test",
    ".invalid",
    ".example.com",
    ".example.net",
    ".example.org",
)
# Names that only resolve inside a private network.
INTERNAL_SUFFIXES = (
    ".local",
    ".internal",
    ".lan",
    ".home.arpa",
    ".localdomain",
    ".svc",
    ".cluster.local",
    ".intranet",
    ".corp",
)

LOOPBACK, METADATA, PLACEHOLDER, INTERNAL, PUBLIC, UNKNOWN = (
    "loopback",
    "metadata-service",
    "placeholder-host",
    "internal-host",
    "public-host",
    "unknown-host",
)


def classify_host(host: str | None) -> str:
    """loopback / metadata-service / placeholder-host / internal-host / public-host / unknown-host."""
    if not host:
        return UNKNOWN
    host = host.strip("[]").rstrip(".").lower()
    if host in METADATA_HOSTS:
        return METADATA
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        if address.is_loopback or address.is_unspecified:
            return LOOPBACK
        if address.is_private or address.is_link_local or address.is_reserved:
            return INTERNAL
        return PUBLIC
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return LOOPBACK
    if host in PLACEHOLDER_DOMAINS or host.endswith(PLACEHOLDER_SUFFIXES):
        return PLACEHOLDER
    if "." not in host or host.endswith(INTERNAL_SUFFIXES):
        return INTERNAL
    return PUBLIC


@dataclass(frozen=True, slots=True)
class HttpUrl:
    """A cleartext URL passed somewhere: its known text, host, and the literal holding `http://`."""

    text: str  # the constant text, or its constant prefix
    complete: bool  # `text` is the whole URL
    host: str | None  # None when the host is not constant
    port: str | None
    authority_known: bool  # host and port are both known (the text goes past them)
    userinfo: bool  # credentials in the URL
    literal: ast.expr | None  # the string literal to edit for the fix

    @property
    def where(self) -> str:
        return classify_host(self.host)

    def shown(self, limit: int = 70) -> str:
        text = self.text if self.complete else self.text + "…"
        return text if len(text) <= limit else text[: limit - 1] + "…"


def leading_text(
    walker: Walker, values: AssignedValues, expr: ast.expr | None, depth: int = 0
) -> tuple[str, ast.expr | None, bool]:
    """The constant start of a string expression: (text, literal node, whether it is all of it)."""
    if expr is None or depth > MAX_DEPTH:
        return "", None, False
    value = walker.const_value(expr)
    if isinstance(expr, ast.Constant):
        return (value, expr, True) if isinstance(value, str) else ("", None, False)
    if isinstance(expr, ast.Name | ast.Attribute):
        assigned = values.value_of(expr)
        if assigned is not None:
            return leading_text(walker, values, assigned, depth + 1)
        if isinstance(value, str):
            return value, None, True
        return "", None, False
    if isinstance(value, str) and not isinstance(expr, ast.BinOp | ast.JoinedStr):
        return value, expr, True
    match expr:
        case ast.JoinedStr(values=parts):
            # The literal to edit is the part the text starts in: the f-string itself, or the
            # constant an opening `{BASE_URL}` names.
            text, literal = "", None
            for part in parts:
                if isinstance(part, ast.Constant):
                    text += str(part.value)
                    literal = literal or expr
                    continue
                if not isinstance(part, ast.FormattedValue) or part.format_spec is not None:
                    return text, literal, False
                inner, inner_literal, complete = leading_text(walker, values, part.value, depth + 1)
                if not text:
                    literal = inner_literal
                text += inner
                if not complete or part.conversion not in (-1, 115):  # only `{x}` and `{x!s}`
                    return text, literal, False
            return text, literal, True
        case ast.BinOp(op=ast.Add(), left=left, right=right):
            text, literal, complete = leading_text(walker, values, left, depth + 1)
            if not complete:
                return text, literal, False
            rest, _, rest_complete = leading_text(walker, values, right, depth + 1)
            return text + rest, literal, rest_complete
        case ast.BinOp(op=ast.Mod(), left=left):
            text, literal, _ = leading_text(walker, values, left, depth + 1)
            return text.split("%", 1)[0], literal, False
        case ast.Call(func=ast.Attribute(attr="format", value=base)):
            text, literal, _ = leading_text(walker, values, base, depth + 1)
            return text.split("{", 1)[0], literal, False
    return "", None, False


def http_url(walker: Walker, values: AssignedValues, expr: ast.expr | None) -> HttpUrl | None:
    """The cleartext URL `expr` evaluates to, when it visibly starts with `http://`."""
    text, literal, complete = leading_text(walker, values, expr)
    if text[:7].lower() != "http://":
        return None
    rest = text[7:]
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=-1)
    authority_known = cut >= 0 or complete
    authority = rest[:cut] if cut >= 0 else rest
    userinfo = "@" in authority
    hostport = authority.rsplit("@", 1)[1] if userinfo else authority
    host: str | None
    port: str | None = None
    if hostport.startswith("["):
        end = hostport.find("]")
        host = hostport[1:end] if end > 0 else None
        if end > 0 and hostport[end + 1 : end + 2] == ":":
            port = hostport[end + 2 :] or None
    elif ":" in hostport:
        host, port = hostport.split(":", 1)
        port = port or None
        if not authority_known:
            port = None  # the rest of the port may follow
    else:
        host = hostport if authority_known else None
    if host == "":
        host = None
    return HttpUrl(text, complete, host, port, authority_known, userinfo, literal)


def https_edit(walker: Walker, url: HttpUrl):  # type: ignore[no-untyped-def]
    """The edit turning the literal's `http://` into `https://`, or None."""
    from secreview.rules.deserialization._shared import substring_edit

    if url.literal is None:
        return None
    if url.port is not None or not url.authority_known:
        return None  # an explicit port would need its TLS counterpart, not a scheme swap
    return substring_edit(walker, url.literal, "http://", "https://", ignore_case=True)
