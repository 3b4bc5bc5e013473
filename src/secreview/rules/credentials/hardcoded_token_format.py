"""SR102: a string literal that is a secret of a recognisable format."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Fix, Severity
from secreview.rules.base import Rule
from secreview.rules.credentials._shared import (
    TOKEN_PREFILTER,
    TokenMatch,
    as_text,
    aws_secret_shaped,
    classify_name,
    find_token_format,
    hardcoded_credential_reason,
)

# An AWS secret access key is reported when it sits this close to an access key id.
_AWS_PAIR_DISTANCE = 3


class HardcodedTokenFormat(Rule):
    """A string literal is a live-looking secret of a known format (AWS, GitHub, Slack, ...).

    ## What it does
    Checks every string literal against the formats of secrets that identify themselves:
    AWS access key ids (`AKIA...`/`ASIA...`) and the 40-character secret access key next to
    one, GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), Slack tokens
    (`xoxb-`, `xoxp-` ...), Stripe live keys (`sk_live_`, `rk_live_`), Google API keys
    (`AIza...`), PEM private key blocks and signed JSON Web Tokens. A single combined pattern
    filters the literals first, so the cost is one regex search per string.

    Documented examples and placeholders are not reported: `AKIAIOSFODNN7EXAMPLE` and
    AWS's example secret, anything containing `EXAMPLE`/`SAMPLE`/`DUMMY`, filler runs
    (`ghp_xxxx...`), sequences (`abcdefgh`, `12345678`), PEM headers without a key body,
    unsigned (`alg: none`) JWTs and the jwt.io sample token.

    ## Why is this bad?
    These are working credentials: anyone who can read the repository, a package or a
    container image can use them, and automated scanners harvest public repositories for
    exactly these prefixes within minutes. In test code the finding is kept at low
    severity: a real token in a test fixture is still a leaked token.

    ## Example
    ```python
    from github import Github

    client = Github("ghp_4Rk2vN8qLm0ZtY7wXc1pHs9dJe3uBf6aGi5K")
    ```

    ## Use instead
    ```python
    import os

    from github import Github

    client = Github(os.environ["GITHUB_TOKEN"])
    ```
    Revoke the committed token first: removing it from the code does not remove it from the
    history.

    ## References
    - https://cwe.mitre.org/data/definitions/798.html
    - https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html
    """  # secreview: ignore[SR102] -- a made-up token in the docs

    id = "SR102"
    slug = "hardcoded-token-format"
    cwe = 798
    title = "Hard-coded secret of a known format"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    node_types = (ast.Constant,)
    in_tests = "lower"

    def begin_module(self) -> None:
        self._key_id_lines: list[int] = []
        self._secret_candidates: list[ast.Constant] = []

    def check(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bytes):
            if b"PRIVATE KEY" not in value:
                return
            text = as_text(value)
        elif isinstance(value, str):
            text = value
        else:
            return
        if len(text) == 40 and aws_secret_shaped(text):
            if not self._sr101_reports(node, text):
                self._secret_candidates.append(node)
            return
        if not TOKEN_PREFILTER.search(text):
            return
        found, rejected = find_token_format(text)
        if found is None:
            if rejected:
                self.walker.examine(
                    798, node, "token-literal", "example", f"{rejected}: example or placeholder"
                )
            return
        if found.kind == "AWS access key id":
            self._key_id_lines.append(node.lineno)
        self._report(node, found)

    def end_module(self) -> None:
        for node in self._secret_candidates:
            if any(abs(node.lineno - line) <= _AWS_PAIR_DISTANCE for line in self._key_id_lines):
                self._report(node, TokenMatch("AWS secret access key", node.value, True))

    def _report(self, node: ast.Constant, found: TokenMatch) -> None:
        walker = self.walker
        walker.examine(798, node, "token-literal", "flagged", f"{found.kind} in a string literal")
        walker.report(
            self,
            node,
            f"hard-coded {found.kind} in a string literal ({_shown(found)})",
            confidence=self.confidence if found.high_confidence else Confidence.MEDIUM,
            evidence="known token format",
            fix=Fix(
                f"revoke the {found.kind} now (it stays in the history), then load it at run "
                "time from the environment or a secret store"
            ),
        )

    def _sr101_reports(self, node: ast.Constant, text: str) -> bool:
        """The literal is the value of a credential-named slot, which SR101 reports."""
        walker = self.walker
        parent = walker.parent
        names: list[str] = []
        if isinstance(parent, ast.keyword) and parent.arg:
            names.append(parent.arg)
        elif isinstance(parent, ast.Assign):
            names.extend(_plain_name(t) for t in parent.targets)
        elif isinstance(parent, ast.AnnAssign):
            names.append(_plain_name(parent.target))
        elif isinstance(parent, ast.Dict):
            for key, value in zip(parent.keys, parent.values, strict=True):
                if value is node and key is not None:
                    key_value = walker.const_value(key)
                    if isinstance(key_value, str):
                        names.append(key_value)
        return any(
            name and hardcoded_credential_reason(classify_name(name), text) is None
            for name in names
        )


def _plain_name(target: ast.expr) -> str:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return ""


def _shown(found: TokenMatch) -> str:
    token = found.text
    if "PRIVATE KEY" in token:
        return token.split("-----")[1].strip()
    if found.kind == "AWS secret access key":
        return f"{token[:2]}…, 40 characters"
    if found.kind == "JSON Web Token":
        return "eyJ…"
    cut = 4
    for prefix in ("github_pat_", "sk_live_", "rk_live_", "xoxb-", "xoxp-", "xoxa-", "xoxr-"):
        if token.startswith(prefix):
            cut = len(prefix)
            break
    return f"{token[:cut]}…, {len(token)} characters"
