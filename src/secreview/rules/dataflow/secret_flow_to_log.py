from __future__ import annotations

import re
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule

if TYPE_CHECKING:
    from secreview.engine.taint import FlowHit

# `logger.trace(...)`: the level below debug, a development dump no deployment leaves on.
_TRACE_CALL = re.compile(r"[\w.\]\)]*\.trace\s*\(")


class SecretFlowToLog(FlowRule):
    """A password, key, token or signature flows into a log message, the console or the message
    of an exception.

    ## What it does
    Follows secrets through assignments, string building, containers, attributes and helper
    functions to `logging` calls (module functions, `getLogger(...)` loggers, oslo.log,
    structlog, loguru, loggers named `log`, `LOG`, `logger`, `self.logger`, …: the message, its
    arguments and keyword arguments), `print()`, `pprint`, `warnings.warn()`, `sys.stderr.write()`
    and the arguments of an exception being raised (`raise X(f"… {password}")`).

    A secret is:

    - a variable, parameter, attribute, dict key (`conn["auth_password"]`,
      `.get("api_key")`, `os.getenv("DB_PASSWORD")`) or keyword argument whose name says it
      holds one: `password`, `auth_password`, `admin_pass`, `api_key`, `private_key`,
      `client_secret`, `access_token`, `expected_signature`, `user_credentials`,
      `Authorization` (a bare `credentials` is as often the identity dict a policy check reads).
      The last word decides (`[secret_names]` in the models), so `token_url`,
      `password_policy`, `secret_name`, `token_type` and `max_password_length` are not secrets,
      and a bare `token` or `signature` (a lexer's token, `inspect.signature()`) is not either,
      nor are the `path_tokens` of a URL. An option read by section and name
      (`config.get("auth", "htpasswd_filename")`) is judged by the option's name, and a key
      named by another module's constant (`settings[keys.PORT_GROUP]`) by the constant's;
    - an oslo.config option declared `secret=True`, read back as `CONF.<group>.<name>` anywhere
      in the project, and Django's `settings.SECRET_KEY`;
    - what is derived from one: an HMAC made with a secret key
      (`hmac.new(key, msg, sha256).hexdigest()` is a valid signature), a string built from it,
      a dict or object holding it (a namedtuple with an `admin_pass` field, a dict with an
      `auth_password` key, an object whose `password` attribute is dumped with `vars()`);
    - request headers, `request.META` and `os.environ` taken whole (`dict(request.headers)`),
      which carry the Authorization header and session cookies.

    Not reported: `len(password)`, `bool(token)`, comparisons, a hash of the secret (a token's
    fingerprint, `hashlib.sha256(token).hexdigest()`), a few characters of it (`token[:6]`), the
    keys of a settings dict, the ids that go with a collection of secrets (`key_id` of
    `for key_id, passphrase in key_passphrases`, `pair[0]` of `for pair in vault_secrets`, the
    host of `host_passwords.items()`), and values passed through a mask function
    (`oslo_utils.strutils.mask_password`, `mask_dict_password`, pydantic's `SecretStr`, any
    function whose name starts with `mask`, `redact`, `sanitize`, `scrub`, `obfuscate`).
    A secret parameter annotated as an object of a class (`private_key: RSAPrivateKey`, or an
    alias of such classes) is reported with low severity and confidence: the message shows
    what that class prints, for most key and credential classes `<... object at 0x…>`.
    A secret written at trace level (`logger.trace(...)`, below debug: a developer's dump that
    no deployment leaves on) is reported with low severity. Password hashes (`password_hash`,
    `hashed_password`) are not counted as secrets (a function's parameter named as a hash,
    `def check_password(password, hashed)`, holds one whatever its caller passes), nor is a
    path to one
    (`private_key = os.path.join(key_dir, "private.pem")`). The other
    entries of a dict that holds a secret are not the secret (`f(**kwargs)` gives each parameter
    its own entry), and neither are the responses of a client made with a credential
    (`client.get(url, timeout=30)`).

    ## Why is this bad?
    Logs are kept for a long time, shipped to aggregation services and read by many more people
    than the credential store. OpenStack has issued advisories for exactly this: the expected
    HMAC signature of a metadata request logged on mismatch (which hands a valid signature to
    whoever reads the log), and volume `connection_info` with its `auth_password` logged at
    debug level. The message of an exception ends up in the log too, through tracebacks and
    `log.exception()`. Test code is not reported.

    ## Example
    ```python
    import hashlib
    import hmac
    import logging

    LOG = logging.getLogger(__name__)

    def verify(instance_id, provided, shared_secret):
        expected = hmac.new(shared_secret, instance_id.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, provided):
            LOG.warning("signature %s does not match %s", provided, expected)
            return False
        return True
    ```

    ## Use instead
    ```python
    def verify(instance_id, provided, shared_secret):
        expected = hmac.new(shared_secret, instance_id.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, provided):
            LOG.warning("signature mismatch for instance %s", instance_id)
            return False
        return True
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/532.html
    - https://cwe.mitre.org/data/definitions/209.html
    - https://docs.openstack.org/oslo.utils/latest/reference/strutils.html
    - https://wiki.openstack.org/wiki/Security/Guidelines/logging_guidelines
    """

    id = "SR918"
    slug = "secret-flow-to-log"
    cwe = 532
    related_cwes = (209,)
    title = "A secret flows into a log, the console or an exception message"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    in_tests = "skip"
    source_kinds = frozenset({"secret"})
    kind_severity = {}
    supersedes = ("SR104",)
    fix = (
        "log a fixed marker or a non-secret identifier instead (the user id, the key's name, "
        "a short hash of a token), or mask the value first (oslo_utils.strutils.mask_password)"
    )

    @classmethod
    def judge(
        cls, hit: FlowHit, severity: Severity, confidence: Confidence
    ) -> tuple[Severity, Confidence]:
        if _TRACE_CALL.match(hit.sink.text):
            severity = Severity.LOW  # hardening: only a developer's dump shows it
        if hit.source.object_type:
            # `raise NotImplementedError(private_key)` of an RSAPrivateKey: the message shows
            # what the class prints (`<RSAPrivateKey object at 0x…>` for most key classes).
            severity, confidence = Severity.LOW, Confidence.LOW
        return severity, confidence
