"""Links from a finding to its rule's documentation page.

Every report format carries one URL per finding (JSON `doc_url`, SARIF `helpUri`, the text
report's `docs:` line, GitLab's and Gerrit's link fields). Where the pages are comes from, in
order: the `docs-url` configuration key; the `Documentation` entry of `[project.urls]` in the
installed package's metadata (docs/rules.md where the repository is published); when
secreview runs from a checkout or an editable install, that checkout's docs/rules.md as a
file:// URL; else the same reference written from the installed rules into the user's cache
directory, as a file:// URL. The rule's anchor in docs/rules.md is added (`#sr201-subprocess-shell-injection`),
or the template places the rule itself:

    docs-url = "https://wiki.example/secreview/{rule}"        # {rule}, {slug}, {anchor}
    docs-url = "https://git.example/mirror/docs/rules.md"    # no placeholder: the anchor is added
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secreview.config import Config

PLACEHOLDERS = ("rule", "slug", "anchor")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SCHEMES = ("https://", "http://", "file://")


def rule_anchor(rule_id: str, slug: str) -> str:
    """The anchor of the rule's section in docs/rules.md: its heading `## SR201 slug`, as
    GitHub, GitLab and most Markdown renderers turn a heading into an id."""
    return f"{rule_id.lower()}-{slug}"


def template_error(template: object) -> str | None:
    """Why `template` cannot be a `docs-url`, or None when it can."""
    if not isinstance(template, str) or not template.strip():
        return "must be a URL, with {rule}, {slug} or {anchor} where the rule goes"
    if not template.startswith(_SCHEMES):
        return f"must start with {', '.join(_SCHEMES)}, not {template!r}"
    unknown = [name for name in _PLACEHOLDER.findall(template) if name not in PLACEHOLDERS]
    if unknown:
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        return f"has an unknown placeholder {{{unknown[0]}}} (known: {known})"
    return None


@cache
def packaged_docs_url() -> str | None:
    """The `Documentation` URL of the installed package's metadata, if it declares one."""
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        meta = metadata("secreview")
    except (ImportError, PackageNotFoundError):
        return None
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation" and url.strip():
            return url.strip()
    return None


@cache
def checkout_docs_url() -> str | None:
    """docs/rules.md of the checkout secreview runs from (an editable install), if any."""
    rules_md = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    return rules_md.as_uri() if rules_md.is_file() else None


@cache
def generated_docs_url() -> str | None:
    """The rules reference of this installation, written once into the user's cache directory:
    an installed package carries no docs/rules.md, but its rules carry their documentation."""
    import hashlib
    import os
    import tempfile

    from secreview import __version__
    from secreview.cache import user_cache_home
    from secreview.rules_doc import rules_markdown

    text = rules_markdown()
    digest = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
    target = user_cache_home() / "docs" / f"rules-{__version__}-{digest}.md"
    try:
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, target)
    except OSError:
        return None
    return target.as_uri()


def is_web_url(url: str | None) -> bool:
    """Whether a link is worth handing to another system: a file:// link only works here."""
    return url is not None and url.startswith(("https://", "http://"))


@dataclass(frozen=True, slots=True)
class DocLinks:
    """Turns a rule into the URL of its documentation; `template` None means no links."""

    template: str | None

    def url(self, rule_id: str, slug: str) -> str | None:
        if self.template is None:
            return None
        anchor = rule_anchor(rule_id, slug)
        if not _PLACEHOLDER.search(self.template):
            return f"{self.template.partition('#')[0]}#{anchor}"
        values = {"rule": rule_id, "slug": slug, "anchor": anchor}
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.template)


def doc_links(config: Config | None = None) -> DocLinks:
    """The links of this configuration: its `docs-url`, else the package's documentation."""
    configured = getattr(config, "docs_url", None) if config is not None else None
    return DocLinks(
        configured or packaged_docs_url() or checkout_docs_url() or generated_docs_url()
    )
