"""The security review: findings, an evidence-backed CWE checklist and a conclusion."""

from __future__ import annotations

from secreview.review.model import (
    BELOW_THRESHOLDS,
    DEFECTS_FOUND,
    NO_DEFECTS,
    NOT_APPLICABLE,
    NOT_REVIEWED,
    NOTHING_MODELLED,
    PRESENT_BEFORE,
    VERDICTS,
    ChangeReview,
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
    "BELOW_THRESHOLDS",
    "DEFECTS_FOUND",
    "NOTHING_MODELLED",
    "NOT_APPLICABLE",
    "NOT_REVIEWED",
    "NO_DEFECTS",
    "PRESENT_BEFORE",
    "VERDICTS",
    "ChangeReview",
    "ChecklistEntry",
    "Header",
    "Review",
    "ReviewFinding",
    "SiteGroup",
    "TraceLine",
    "build_review",
    "checklist_categories",
]
