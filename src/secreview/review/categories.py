"""The checklist's categories, and the words the evidence sentences are made of.

A category is one line of the checklist: a CWE that names it, the CWEs whose sites and findings
count towards it (CWE-78 takes CWE-77's, CWE-388 the error-handling CWEs 390, 396 and 703), a
short title, and what secreview models for it, said when nothing of its kind was seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from secreview.cwe import cwe_name


@dataclass(frozen=True, slots=True)
class Category:
    cwe: int
    title: str
    members: frozenset[int]
    # What secreview models for it: the constructs its rules judge, in a few words. A category
    # with none of them in the reviewed code says "nothing that secreview models" and this, so
    # the reader knows where the evidence stops (model.py adds the data-flow sinks).
    modelled: str = ""
    noun: tuple[str, str] = ("", "")  # what the sites are, when they are of several kinds
    defect: tuple[str, str] = ("is a defect", "are defects")
    noun_first: bool = False  # the category's noun even when the sites are of one kind


def _c(
    cwe: int,
    title: str,
    members: tuple[int, ...] = (),
    modelled: str = "",
    noun: tuple[str, str] = ("", ""),
    defect: tuple[str, str] = ("is a defect", "are defects"),
    noun_first: bool = False,
) -> Category:
    return Category(cwe, title, frozenset({cwe, *members}), modelled, noun, defect, noun_first)


# The categories of a security review, in the order the checklist lists them by default.
DEFAULT_CATEGORIES: tuple[Category, ...] = (
    _c(
        798,
        "Hard-coded credentials",
        (259,),
        "credential-named values, token-like literals",
        (
            "credential-named value or token-like literal",
            "credential-named values or token-like literals",
        ),
    ),
    _c(
        78,
        "OS command injection",
        (77, 88),
        "process-execution calls",
    ),
    _c(89, "SQL injection", (), "SQL execution calls"),
    _c(
        319,
        "Cleartext transmission",
        (),
        "http:// requests, FTP, Telnet and mail clients",
        ("network request or connection", "network requests and connections"),
    ),
    _c(
        377,
        "Insecure temporary files",
        (379,),
        "temporary files, /tmp paths",
    ),
    _c(
        388,
        "Error handling",
        (390, 396, 703),
        "catch-all exception handlers",
        ("catch-all exception handler", "catch-all exception handlers"),
        noun_first=True,
    ),
    _c(
        829,
        "Inclusion of untrusted functionality",
        (),
        "dynamic imports, not dependency manifests",
    ),
    _c(
        778,
        "Insufficient logging",
        (),
        "what `except` clauses do with the error",
        defect=("swallows the error silently", "swallow the error silently"),
    ),
    _c(
        321,
        "Hard-coded cryptographic keys",
        (),
        "key arguments, framework secret keys",
        ("key setting", "key settings"),
    ),
    _c(
        120,
        "Buffer overflow",
        (787, 125, 170),
        "ctypes memory operations",
    ),
    _c(
        79,
        "Cross-site scripting",
        (),
        "safe-markup calls, template autoescaping, HTML responses",
        ("HTML output site", "HTML output sites"),
    ),
    _c(
        284,
        "Improper access control",
        (862, 942),
        "Flask, FastAPI, Starlette and Django route views, REST framework permissions, CORS settings",
        ("access-control point", "access-control points"),
    ),
)

# The other categories the rules cover, with their short titles.
OTHER_CATEGORIES: tuple[Category, ...] = (
    _c(
        22,
        "Path traversal",
        (),
        "archive extraction, file access",
        ("file access or archive extraction", "file accesses and archive extractions"),
    ),
    _c(94, "Code injection", (95,), "eval, exec and compile"),
    _c(90, "LDAP injection", (), "LDAP searches"),
    _c(117, "Log injection", (), "log calls"),
    _c(
        208,
        "Timing attacks on secrets",
        (),
        "comparisons of secrets, digests and tokens",
    ),
    _c(
        295,
        "Certificate validation",
        (),
        "TLS and SSH host-key verification settings",
        ("TLS or SSH verification setting", "TLS and SSH verification settings"),
    ),
    _c(
        326,
        "Inadequate encryption strength",
        (),
        "key sizes, TLS versions and ciphers",
        ("key-size or TLS setting", "key-size and TLS settings"),
    ),
    _c(
        327,
        "Broken or risky cryptography",
        (),
        "cipher constructions and modes",
        ("cipher construction", "cipher constructions"),
    ),
    _c(
        209,
        "Sensitive information in error messages",
        (),
        "HTTP responses and error pages",
    ),
    _c(328, "Weak hashing", (), "hash function calls"),
    _c(
        330,
        "Weak randomness",
        (338,),
        "random values used as secrets",
    ),
    _c(
        352,
        "Cross-site request forgery",
        (),
        "CSRF settings and exemptions, views that change state on GET",
    ),
    _c(400, "Requests without a timeout", (), "network calls and their timeouts"),
    _c(501, "Trust boundary violation", (), "session writes"),
    _c(347, "Unverified tokens", (), "JWT decoding"),
    _c(489, "Debug mode", (215,), "debug settings, debuggers and debug pages"),
    _c(
        614,
        "Cookie security",
        (1004, 1275),
        "cookies set by responses, session cookie settings",
        ("cookie or cookie setting", "cookies and cookie settings"),
    ),
    _c(
        502,
        "Deserialization of untrusted data",
        (),
        "pickle-family, YAML and torch loads",
        ("deserialization call", "deserialization calls"),
    ),
    _c(
        532,
        "Secrets in logs",
        (),
        "log, print and exception messages",
    ),
    _c(601, "Open redirect", (), "redirects"),
    _c(
        611,
        "XML external entities",
        (776,),
        "XML parsers",
        ("XML parse or parser", "XML parses and parsers"),
    ),
    _c(617, "Assertions used for security", (), "assert statements"),
    _c(643, "XPath injection", (), "XPath queries"),
    _c(
        732,
        "Permissive file permissions",
        (),
        "file modes, umask",
        ("permission setting", "permission settings"),
    ),
    _c(
        770,
        "Allocation without limits",
        (789,),
        "reads and allocations sized by input",
    ),
    _c(
        838,
        "Trojan Source (bidirectional text)",
        (),
        "the source text",
    ),
    _c(
        918,
        "Server-side request forgery",
        (),
        "outgoing HTTP requests",
    ),
    _c(1007, "Confusable identifiers", (), "identifiers"),
    _c(1327, "Binding to all interfaces", (605,), "listen addresses"),
    _c(
        1333,
        "Regular expressions from input (ReDoS)",
        (730,),
        "regular-expression calls",
    ),
    _c(1336, "Template injection", (), "template compilations"),
)

KNOWN: dict[int, Category] = {c.cwe: c for c in (*DEFAULT_CATEGORIES, *OTHER_CATEGORIES)}


def category_for(cwe: int) -> Category | None:
    """The known category that names `cwe` or counts it among its members."""
    if cwe in KNOWN:
        return KNOWN[cwe]
    for category in KNOWN.values():
        if cwe in category.members:
            return category
    return None


def generic_category(cwe: int) -> Category:
    """A category for a CWE no table above describes (a new rule's, or a configured one)."""
    name = cwe_name(cwe)
    return Category(cwe, name, frozenset({cwe}), "")


# What the sites of each kind are: singular, plural.
KIND_NOUNS: dict[str, tuple[str, str]] = {
    "sql-execution": ("SQL execution site", "SQL execution sites"),
    "SqlExecution": ("SQL execution site", "SQL execution sites"),
    "process-execution": ("process-execution call", "process-execution calls"),
    "CommandExecution": ("process-execution call", "process-execution calls"),
    "credential-value": ("credential-named value", "credential-named values"),
    "token-literal": ("token-like string literal", "token-like string literals"),
    "crypto-key": ("cryptographic key", "cryptographic keys"),
    "framework-secret-key": ("framework secret key", "framework secret keys"),
    "exception-handler": ("exception handler", "exception handlers"),
    "http-request": ("HTTP request", "HTTP requests"),
    "cleartext-connection": ("protocol client", "protocol clients"),
    "temp-file": ("temporary-file operation", "temporary-file operations"),
    "dynamic-import": ("dynamic import", "dynamic imports"),
    "ctypes-memory-op": ("ctypes memory operation", "ctypes memory operations"),
    "safe-markup": ("safe-markup call", "safe-markup calls"),
    "template-autoescape": ("template engine", "template engines"),
    "HtmlConstruction": ("HTML construction", "HTML constructions"),
    "HttpResponse": ("HTTP response", "HTTP responses"),
    "TemplateOutput": (
        "unescaped template output and its render",
        "unescaped template outputs and their renders",
    ),
    "route-view": ("route view", "route views"),
    "access-policy": ("access policy", "access policies"),
    "cors-policy": ("CORS policy", "CORS policies"),
    "secret-comparison": ("secret comparison", "secret comparisons"),
    "log-call": ("log call with a secret-named value", "log calls with secret-named values"),
    "code-evaluation": ("eval/exec/compile call", "eval/exec/compile calls"),
    "CodeExecution": ("code-execution site", "code-execution sites"),
    "deserialization": ("pickle-family load", "pickle-family loads"),
    "Deserialization": ("deserialization site", "deserialization sites"),
    "yaml-load": ("YAML load", "YAML loads"),
    "model-load": ("torch.load call", "torch.load calls"),
    "xml-parse": ("XML parse", "XML parses"),
    "xml-parser": ("XML parser", "XML parsers"),
    "XmlParsing": ("XML parse", "XML parses"),
    "tls-verification": ("TLS verification setting", "TLS verification settings"),
    "ssh-host-key": ("SSH host-key policy", "SSH host-key policies"),
    "tls-configuration": ("TLS configuration", "TLS configurations"),
    "key-generation": ("key generation", "key generations"),
    "cipher-construction": ("cipher construction", "cipher constructions"),
    "cipher-mode": ("cipher mode", "cipher modes"),
    "hash-call": ("hash call", "hash calls"),
    "random-value": ("random value", "random values"),
    "file-permission": ("file-permission setting", "file-permission settings"),
    "umask": ("umask call", "umask calls"),
    "archive-extraction": ("archive extraction", "archive extractions"),
    "FileAccess": ("file access", "file accesses"),
    "HttpRedirect": ("redirect", "redirects"),
    "HttpClientRequest": ("outgoing HTTP request", "outgoing HTTP requests"),
    "Logging": ("log call", "log calls"),
    "TrustBoundary": ("session write", "session writes"),
    "cookie": ("cookie", "cookies"),
    "cookie-setting": ("cookie setting", "cookie settings"),
    "debug-setting": ("debug setting", "debug settings"),
    "token-decode": ("token decode", "token decodes"),
    "CookieValue": ("cookie value", "cookie values"),
    "SessionValue": ("session value", "session values"),
    "SessionStore": ("value stored in a session", "values stored in sessions"),
    "SessionId": ("session id", "session ids"),
    "MacKey": ("HMAC key", "HMAC keys"),
    "SigningKey": ("signing key", "signing keys"),
    "CipherKey": ("encryption key", "encryption keys"),
    "CipherIv": ("cipher IV or nonce", "cipher IVs and nonces"),
    "PasswordSalt": ("password-hash salt", "password-hash salts"),
    "StoredSecret": ("value stored under a secret's name", "values stored under secrets' names"),
    "Allocation": ("allocation", "allocations"),
    "RegexCompilation": ("regular-expression pattern", "regular-expression patterns"),
    "LdapQuery": ("LDAP query", "LDAP queries"),
    "XPathQuery": ("XPath query", "XPath queries"),
    "CodeInclusion": ("dynamic import", "dynamic imports"),
    "assertion": ("assert statement", "assert statements"),
    "template-compilation": ("template compilation", "template compilations"),
    "TemplateConstruction": ("template construction", "template constructions"),
    "csrf-protection": ("CSRF setting", "CSRF settings"),
    "listen-address": ("listen address", "listen addresses"),
    "network-call": ("network call", "network calls"),
    "source-text": ("source file", "source files"),
    "identifier": ("non-ASCII identifier", "non-ASCII identifiers"),
}

# Flow-sink concepts and the pattern kind of the same site, so the two records merge.
FLOW_KINDS: dict[str, str] = {
    "SqlExecution": "sql-execution",
    "CommandExecution": "process-execution",
    "CodeExecution": "code-evaluation",
    "Deserialization": "deserialization",
    "XmlParsing": "xml-parse",
    "TemplateConstruction": "template-compilation",
    "CodeInclusion": "dynamic-import",
}


def kind_noun(kind: str) -> tuple[str, str]:
    noun = KIND_NOUNS.get(kind)
    if noun is not None:
        return noun
    words = kind.replace("-", " ").replace("_", " ")
    return f"{words} site", f"{words} sites"


# What an examined site's verdict says about it, as a verb phrase: singular, plural.
# Keys are "kind:verdict" for phrases that depend on the kind, or the verdict alone.
VERDICT_PHRASES: dict[str, tuple[str, str]] = {
    # SQL
    "sql-execution:parameterised": ("passes parameters separately", "pass parameters separately"),
    "sql-execution:constant": ("runs a constant query", "run constant queries"),
    "sql-execution:composed": (
        "composes the query with psycopg2.sql",
        "compose the query with psycopg2.sql",
    ),
    "sql-execution:placeholder-list": (
        "inserts only a placeholder list",
        "insert only placeholder lists",
    ),
    "sql-execution:safe-interpolation": (
        "inserts only numbers, quoted or allow-listed names, or constants",
        "insert only numbers, quoted or allow-listed names, or constants",
    ),
    "sql-execution:unresolved": (
        "runs a query built outside its function",
        "run queries built outside their function",
    ),
    # processes
    "process-execution:constant": ("runs a constant command", "run constant commands"),
    "process-execution:argument-list": (
        "passes an argument list without a shell",
        "pass argument lists without a shell",
    ),
    # credentials and keys
    "environment-lookup": ("reads the environment", "read the environment"),
    "configuration": ("reads configuration", "read configuration"),
    "secret-store": ("reads a secret store", "read a secret store"),
    "prompted": ("is prompted for", "are prompted for"),
    "generated": ("is generated at run time", "are generated at run time"),
    "runtime-value": ("is computed at run time", "are computed at run time"),
    "test-data": ("is test data", "are test data"),
    "placeholder": ("is empty or a placeholder", "are empty or placeholders"),
    "not-a-credential": ("is a label, not a secret", "are labels, not secrets"),
    "token-format": ("is a known token format", "are known token formats"),
    "example": ("is a documented example token", "are documented example tokens"),
    "not-flagged": ("is not a secret key", "are not secret keys"),
    # exception handlers
    "logs": ("logs the error", "log the error"),
    "re-raises": ("re-raises or exits", "re-raise or exit"),
    "handles": ("handles the error", "handle the error"),
    "ignores-narrow": (
        "ignores only a specific, expected exception",
        "ignore only specific, expected exceptions",
    ),
    "swallows": ("swallows the error silently", "swallow the error silently"),
    "interrupts-handled": (
        "handles KeyboardInterrupt and SystemExit first",
        "handle KeyboardInterrupt and SystemExit first",
    ),
    "stores-exception": ("keeps the exception for later", "keep the exception for later"),
    "test-code": ("is in test code", "are in test code"),
    "test-configuration": ("is test configuration", "are test configuration"),
    # cleartext
    "https": ("uses https://", "use https://"),
    "tls-client": ("is a TLS client", "are TLS clients"),
    "url-unknown": ("has a URL that is not constant", "have URLs that are not constant"),
    "loopback": ("stays on the local machine", "stay on the local machine"),
    "metadata-service": ("queries the cloud metadata service", "query the cloud metadata service"),
    "placeholder-host": ("uses a placeholder host", "use placeholder hosts"),
    "starttls": ("is upgraded with STARTTLS", "are upgraded with STARTTLS"),
    "untracked": (
        "is passed on before STARTTLS could be checked",
        "are passed on before STARTTLS could be checked",
    ),
    # temporary files
    "secure-api": (
        "uses the tempfile module's safe functions",
        "use the tempfile module's safe functions",
    ),
    "exclusive-create": ("creates the file exclusively", "create their files exclusively"),
    "read-only": ("only reads", "only read"),
    "unpredictable-name": ("uses an unpredictable name", "use unpredictable names"),
    "unknown-mode": (
        "opens with a mode that is not constant",
        "open with modes that are not constant",
    ),
    # dynamic imports and code evaluation
    "dynamic-import:constant": ("imports a constant name", "import constant names"),
    "allow-listed": ("picks from a fixed mapping", "pick from fixed mappings"),
    "constant-iteration": ("loops over constant names", "loop over constant names"),
    "project-file": ("loads a file of the project itself", "load files of the project itself"),
    "package-prefix": ("is restricted to a package prefix", "are restricted to package prefixes"),
    "code-evaluation:constant": ("evaluates constant code", "evaluate constant code"),
    # memory
    "constant-size": ("uses a constant size", "use constant sizes"),
    "bounded-by-destination": (
        "is bounded by the destination's size",
        "are bounded by the destination's size",
    ),
    "bounded-by-source": ("is bounded by the source's size", "are bounded by the source's size"),
    "size-from-c": ("takes its size from the C side", "take their size from the C side"),
    "buffer-allocation": (
        "allocates a buffer from its initialiser",
        "allocate buffers from their initialisers",
    ),
    # web
    "safe-markup:constant": ("marks a constant as safe", "mark constants as safe"),
    "escaped": ("marks escaped values as safe", "mark escaped values as safe"),
    "safe-markup:parameterised": ("escapes its format arguments", "escape their format arguments"),
    "enabled": ("has protection enabled", "have protection enabled"),
    "template-autoescape:enabled": ("enables autoescaping", "enable autoescaping"),
    "text-template": ("renders a non-HTML template", "render non-HTML templates"),
    "dynamic": (
        "is configured by values that are not constant",
        "are configured by values that are not constant",
    ),
    "restricted": ("requires permissions", "require permissions"),
    "public-endpoint": ("is a deliberately public endpoint", "are deliberately public endpoints"),
    "authenticated": ("has the authentication decorator", "have the authentication decorator"),
    "checks-in-body": ("checks authentication in its body", "check authentication in their bodies"),
    "module-guard": ("is guarded for the whole module", "are guarded for the whole module"),
    "no-convention": (
        "is in a module whose views share no authentication decorator to compare against",
        "are in modules whose views share no authentication decorator to compare against",
    ),
    "wildcard-without-credentials": (
        "allows any origin but without credentials",
        "allow any origin but without credentials",
    ),
    "no-sessions": ("has no sessions to protect", "have no sessions to protect"),
    "secure-httponly": ("is set Secure and HttpOnly", "are set Secure and HttpOnly"),
    "secure-script-readable": (
        "is Secure and readable by scripts",
        "are Secure and readable by scripts",
    ),
    "not-sensitive-cookie": ("holds no session or credential", "hold no session or credential"),
    "csrf-cookie": ("is a CSRF token scripts must read", "are CSRF tokens scripts must read"),
    "cookie-configured": (
        "takes its flags from configuration",
        "take their flags from configuration",
    ),
    "deletes-cookie": ("deletes a cookie", "delete cookies"),
    "debug-off": ("keeps debug mode off", "keep debug mode off"),
    "debug-configured": (
        "takes debug mode from configuration",
        "take debug mode from configuration",
    ),
    "token-decode:verified": (
        "verifies the signature with fixed algorithms",
        "verify the signature with fixed algorithms",
    ),
    "signature-verified": ("verifies a signature instead", "verify a signature instead"),
    "file-content": ("compiles a template file", "compile template files"),
    "template-compilation:constant": ("compiles a constant template", "compile constant templates"),
    "template-compilation:sandboxed": (
        "compiles in Jinja2's sandbox",
        "compile in Jinja2's sandbox",
    ),
    # secrets
    "masked": ("masks the value", "mask the value"),
    "truncated": ("logs only a truncated value", "log only truncated values"),
    "confirmation-check": ("compares two user inputs", "compare two user inputs"),
    "constant-comparison": ("compares with a constant", "compare with constants"),
    "equality-method": ("is an __eq__ of a value object", "are __eq__ methods of value objects"),
    # deserialization and XML
    "no-pickle": ("does not unpickle", "do not unpickle"),
    "restricted-unpickler": ("uses a restricted unpickler", "use restricted unpicklers"),
    "round-trip": ("reloads data it just dumped", "reload data they just dumped"),
    "safe-loader": ("uses a safe loader", "use safe loaders"),
    "weights-only": ("loads weights only", "load weights only"),
    "defusedxml": ("uses defusedxml", "use defusedxml"),
    "external-entities-off": ("turns external entities off", "turn external entities off"),
    "hardened": ("is hardened", "are hardened"),
    "hardened-parser": ("uses a hardened parser", "use hardened parsers"),
    "parser-object": (
        "uses a parser object checked where it is made",
        "use parser objects checked where they are made",
    ),
    "html-parser": ("uses an HTML parser", "use HTML parsers"),
    "lxml-default": ("uses lxml's default parser", "use lxml's default parser"),
    # crypto, TLS, randomness
    "verified": ("keeps verification on", "keep verification on"),
    "own-attribute": ("sets the program's own attribute", "set the program's own attributes"),
    "with-cert-none": ("goes with CERT_NONE, reported there", "go with CERT_NONE, reported there"),
    "policy": ("sets a host-key policy", "set host-key policies"),
    "server-side": ("is server-side", "are server-side"),
    "cert-reqs": ("sets cert_reqs", "set cert_reqs"),
    "adequate": ("uses an adequate key size", "use adequate key sizes"),
    "strong-ciphers": ("uses strong ciphers", "use strong ciphers"),
    "strong-algorithm": ("uses a strong algorithm", "use strong algorithms"),
    "acceptable-mode": ("uses an acceptable mode", "use acceptable modes"),
    "hmac-construction": ("is part of an HMAC or KDF", "are part of HMACs or KDFs"),
    "non-security-use": ("is not used for security", "are not used for security"),
    "oaep-padding": ("is OAEP padding", "are OAEP padding"),
    "usedforsecurity-false": ("passes usedforsecurity=False", "pass usedforsecurity=False"),
    "secure-generator": ("uses a secure generator", "use secure generators"),
    # files, permissions, network
    "restrictive": ("sets a restrictive mode", "set restrictive modes"),
    "default-mode": ("uses the default mode", "use the default mode"),
    "umask-masked": ("is limited by the umask", "are limited by the umask"),
    "umask-query": ("only reads the umask", "only read the umask"),
    "data-filter": ("uses the data filter", "use the data filter"),
    "sanitised-by-zipfile": ("is sanitised by zipfile", "are sanitised by zipfile"),
    "members-selected": ("extracts selected members", "extract selected members"),
    "custom-filter": ("uses a custom filter", "use custom filters"),
    "configurable": (
        "takes its address from configuration",
        "take their address from configuration",
    ),
    "specific-interface": ("binds a specific interface", "bind specific interfaces"),
    "timeout": ("sets a timeout", "set a timeout"),
    "kwargs": ("passes options through **kwargs", "pass options through **kwargs"),
    "adapter-mounted": ("uses a mounted adapter", "use mounted adapters"),
    "invariant": ("checks an internal invariant", "check internal invariants"),
    "ascii": ("is plain ASCII", "are plain ASCII"),
    "clean": ("has no bidirectional controls", "have no bidirectional controls"),
    "single-script": ("uses a single script", "use a single script"),
    "constant": ("has a constant argument", "have constant arguments"),
    # values the analysis could not pin down
    "unknown": ("could not be resolved", "could not be resolved"),
    "non-constant": ("uses a value that is not constant", "use values that are not constant"),
    "unknown-algorithm": (
        "uses an algorithm that is not constant",
        "use algorithms that are not constant",
    ),
    "unknown-arguments": (
        "has arguments that could not be resolved",
        "have arguments that could not be resolved",
    ),
    "unknown-loader": (
        "uses a loader that could not be resolved",
        "use loaders that could not be resolved",
    ),
    "unknown-parser": (
        "uses a parser that could not be resolved",
        "use parsers that could not be resolved",
    ),
    # data flow
    "flow-followed": (
        "receives only values traced to constants, sanitisers or checks",
        "receive only values traced to constants, sanitisers or checks",
    ),
    "flow-opaque": (
        "receives only constants or values the data flow does not track",
        "receive only constants or values the data flow does not track",
    ),
    "flow-open": (
        "takes a value from a function whose callers are outside the scanned code",
        "take values from functions whose callers are outside the scanned code",
    ),
    # statuses computed by the review itself
    "review:present-before": (
        "is a defect present before this change",
        "are defects present before this change",
    ),
    "review:suppressed": ("has a finding suppressed inline", "have findings suppressed inline"),
    "review:below-threshold": (
        "is flagged, but below the configured thresholds",
        "are flagged, but below the configured thresholds",
    ),
    "review:unreported-flow": (
        "receives untrusted input, which no rule of this category reports: check it by hand",
        "receive untrusted input, which no rule of this category reports: check them by hand",
    ),
    "review:test-code": ("is in test code", "are in test code"),
}

# Verdicts that mean a rule judged the site defective.
# ("swallows" is SR602's word for a handler SR601 reports.)
FLAGGED = frozenset({"flagged", "identifier-flagged", "flagged-parser", "flow-tainted", "swallows"})

# Verdicts that mean the analysis could not establish what reaches the site.
UNRESOLVED = frozenset(
    {
        "unresolved",
        "unknown",
        "unknown-algorithm",
        "unknown-arguments",
        "unknown-loader",
        "unknown-parser",
        "unknown-mode",
        "dynamic",
        "untracked",
        "url-unknown",
        "non-constant",
        "kwargs",
    }
)

# Phrase order in a sentence after defects: the order of VERDICT_PHRASES, unknown ones last.
_ORDER = {key: index for index, key in enumerate(VERDICT_PHRASES)}


def verdict_phrase(kind: str, verdict: str) -> tuple[str, str]:
    phrase = VERDICT_PHRASES.get(f"{kind}:{verdict}") or VERDICT_PHRASES.get(verdict)
    if phrase is None:
        words = verdict.replace("-", " ")
        return f"is judged '{words}'", f"are judged '{words}'"
    return phrase


def verdict_rank(kind: str, verdict: str) -> int:
    key = f"{kind}:{verdict}" if f"{kind}:{verdict}" in _ORDER else verdict
    return _ORDER.get(key, len(_ORDER))


# Categories whose applicability the parse settles: "not applicable" is true when the reviewed
# code has none of these, because no Python code without them can have such a defect.
# A category listed with imports applies only to code that imports one of them (pure Python
# bounds-checks every string and list); one listed without imports is judged on every
# construct of its kind, so finding none means there is none.
APPLIES_ONLY_WITH: dict[int, tuple[frozenset[str], str]] = {
    120: (
        frozenset({"ctypes", "cffi"}),
        "No ctypes or cffi imported: Python strings and lists are bounds-checked.",
    ),
    617: (frozenset(), "No assert statements in the reviewed code."),
    1007: (frozenset(), "No non-ASCII identifiers in the reviewed code."),
    838: (frozenset(), "No source text was read."),
}
