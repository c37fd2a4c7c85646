"""Data-driven labels (a category, a department, a holiday) kept in both languages."""

from __future__ import annotations

from django.utils import translation


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


def in_language(zh: str, en: str) -> str:
    """The label in the active language; the Chinese one when no English was written."""
    return en if en and english() else zh
