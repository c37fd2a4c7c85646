"""Text helpers shared by the apps."""

from __future__ import annotations

import re
import unicodedata

_NUMBER = re.compile(r"([0-9]+)")


def natural_key(text: str) -> tuple[tuple[int | str, ...], str]:
    """A sort key that orders numbers inside text by value: 1栋 before 15栋, 101号 before
    1001号, as a worker reads an address list. Full-width digits (１５栋) count as digits.

    ``re.split`` with a group alternates text and numbers starting with text, so the parts of
    two keys are of the same type at every position and always compare; the text itself breaks
    ties (1栋 and 01栋)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    parts = _NUMBER.split(folded)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts)), text
