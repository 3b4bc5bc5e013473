"""The security review: findings, an evidence-backed CWE checklist and a conclusion."""

from __future__ import annotations

from secreview.review.model import (
    DEFECTS_FOUND,
    NO_DEFECTS,
    NOT_APPLICABLE,
    NOT_REVIEWED,
    VERDICTS,
    ChecklistEntry,
    Header,
    Review,
    ReviewFinding,
    SiteGroup,
    TraceLine,
    build_review,
    checklist_categories,
)

__all__ = [
    "DEFECTS_FOUND",
    "NOT_APPLICABLE",
    "NOT_REVIEWED",
    "NO_DEFECTS",
    "VERDICTS",
    "ChecklistEntry",
    "Header",
    "Review",
    "ReviewFinding",
    "SiteGroup",
    "TraceLine",
    "build_review",
    "checklist_categories",
]
