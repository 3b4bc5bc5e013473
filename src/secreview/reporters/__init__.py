"""Reporters turn a ScanResult into text for a terminal, a file or another tool."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from secreview.analysis import ScanResult

Reporter = Callable[[ScanResult, IO[str], bool], None]  # result, stream, colour


def get_reporter(name: str) -> Reporter:
    from secreview.reporters import json_report, text

    reporters: dict[str, Reporter] = {"text": text.render, "json": json_report.render}
    return reporters[name]


FORMATS = ("text", "json")
