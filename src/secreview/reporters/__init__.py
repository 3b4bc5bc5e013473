"""Reporters turn a ScanResult into text for a terminal, a file or another tool."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import IO

from secreview.analysis import ScanResult
from secreview.config import Config

Reporter = Callable[[ScanResult, IO[str], bool], None]  # result, stream, colour


def get_reporter(name: str, config: Config | None = None) -> Reporter:
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
