"""Reporters turn a ScanResult into text for a terminal, a file or another tool."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import IO

from secreview.analysis import ScanResult
from secreview.config import Config
from secreview.reporters.escape import safe_for_display

Reporter = Callable[[ScanResult, IO[str], bool], None]  # result, stream, colour


# The formats people read: they render a copy of the result whose every string is escaped
# (reporters/escape.py). The JSON formats keep the original, escaped by JSON itself.
DISPLAY_FORMATS = frozenset({"text", "concise", "review", "markdown", "html", "github"})


def get_reporter(name: str, config: Config | None = None) -> Reporter:
    """The reporter of a format, given text from scanned files only in escaped form when the
    format is read by people (no terminal control sequences, no bidi overrides, no line
    breaks inside a path)."""
    reporter = _reporter(name, config)
    if name not in DISPLAY_FORMATS:
        return reporter

    def render_escaped(result: ScanResult, stream: IO[str], colour: bool) -> None:
        reporter(safe_for_display(result), stream, colour)

    return render_escaped


def _reporter(name: str, config: Config | None = None) -> Reporter:
    """The reporter of a format; the review formats also take the configuration (its
    `review-cwes` checklist and rule selection), the others the links to the rule pages
    (its `docs-url`)."""
    from secreview.doc_links import doc_links
    from secreview.reporters import (
        concise,
        gerrit,
        github,
        gitlab,
        html,
        json_report,
        markdown,
        review_text,
        sarif,
        text,
    )

    linked: dict[str, Callable[..., None]] = {
        "text": text.render,
        "concise": concise.render,
        "json": json_report.render,
        "sarif": sarif.render,
        "gitlab": gitlab.render,
        "gerrit": gerrit.render,
    }
    reviews = {"review": review_text.render, "markdown": markdown.render, "html": html.render}
    if name in reviews:
        return partial(reviews[name], config=config)
    if name in linked:
        return partial(linked[name], links=doc_links(config))
    return {"github": github.render}[name]  # workflow commands have no field for a link


FORMATS = ("text", "concise", "json", "sarif", "review", "markdown", "html")
FORMATS += ("github", "gitlab", "gerrit")  # CI and code-review systems
REVIEW_FORMATS = ("review", "markdown", "html")
