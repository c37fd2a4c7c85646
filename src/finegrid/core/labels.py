"""Data-driven labels (a category, a department, a holiday) kept in both languages."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.functional import lazy


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


def in_language(zh: str, en: str) -> str:
    """The label in the active language; the Chinese one when no English was written."""
    return en if en and english() else zh


# made once: lazy() builds a proxy class, which costs milliseconds (every report's notices)
_in_language_lazy = lazy(in_language, str)


def bilingual_label(zh: str, en: str) -> Any:
    """A label that reads in whichever language is active when it is turned into text: for a
    data-driven name (a category, a department) inside a message rendered once per language."""
    return _in_language_lazy(zh, en)
