"""What text may be stored: the one rule that pages, the API and imports all apply.

A control character typed or pasted into a field is invisible on screen but breaks what reads
the text later: an .xlsx export (XML 1.0 forbids most C0 characters), PostgreSQL (no NUL in
text), a terminal or a CSV reader. So input is refused, naming the field, rather than silently
changed; only line breaks are normalised, and only where several lines are expected.

Refused everywhere: C0 controls except tab, LF and CR; DEL; C1 controls; lone surrogates and the
noncharacters U+FFFE / U+FFFF. In one-line text (names, addresses, codes) tab, LF, CR and the
Unicode line and paragraph separators are refused too. In long text (descriptions, notes) CR LF,
a lone CR and U+2028 / U+2029 become LF; tab is kept (pasted tables keep their columns).

And the natural order of text with numbers in it (natural_key).
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from finegrid.core.errors import InvalidInput, Problem

_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_REFUSED_LONG = re.compile(f"[{_ALWAYS}]")
_REFUSED_LINE = re.compile(f"[{_ALWAYS}\t\n\r\u2028\u2029]")
_LINE_BREAK = re.compile("\r\n|[\r\u2028\u2029]")
# Pattern text for a database regex lookup (Python re, SQLite through Django, PostgreSQL ARE all
# read \\uXXXX); NUL and surrogates are left out: neither database can hold them.
STORED_PATTERN_LONG = r"[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]"
STORED_PATTERN_LINE = r"[\u0001-\u001f\u007f-\u009f\u2028\u2029\ufffe\uffff]"

CONTROL_MESSAGE = _(
    "%(field)s contains a control character (%(char)s at position %(position)s) that cannot "
    "be stored; remove it."
)
LINE_MESSAGE = _(
    "%(field)s takes one line: remove the line break or tab (%(char)s at position %(position)s)."
)


def normalize_newlines(value: str) -> str:
    return _LINE_BREAK.sub("\n", value)


def find_refused(value: str, *, multiline: bool = False) -> tuple[str, dict[str, str | int]] | None:
    """The first character ``value`` may not hold: (kind, params) or None. ``kind`` is
    ``control_character`` or ``line_break``; params give the character as U+XXXX and its
    1-based position. Long text is checked after its line breaks are normalised."""
    if multiline:
        value = normalize_newlines(value)
    found = (_REFUSED_LONG if multiline else _REFUSED_LINE).search(value)
    if found is None:
        return None
    char = found.group()
    kind = "line_break" if char in "\t\n\r\u2028\u2029" else "control_character"
    return kind, {"char": f"U+{ord(char):04X}", "position": found.start() + 1}


def text_problem(
    value: str, *, field: str, label: object = None, row: int | None = None, multiline: bool = False
) -> Problem | None:
    """A Problem naming ``field`` (shown as ``label``, the field's name by default), or None."""
    found = find_refused(value, multiline=multiline)
    if found is None:
        return None
    kind, params = found
    message = LINE_MESSAGE if kind == "line_break" else CONTROL_MESSAGE
    return Problem(message, field=field, row=row, params={"field": label or field, **params})


def clean_text(
    value: str, *, field: str, label: object = None, row: int | None = None, multiline: bool = False
) -> str:
    """``value`` as it may be stored (long text with its line breaks normalised), or
    InvalidInput naming the field."""
    problem = text_problem(value, field=field, label=label, row=row, multiline=multiline)
    if problem is not None:
        raise InvalidInput(problem)
    return normalize_newlines(value) if multiline else value


def scrub(value: str, *, multiline: bool = False) -> str:
    """Stored text made storable: what input refuses is dropped; in one-line text tabs and line
    breaks become a space. For data written before the rule, and for writers of formats (such
    as .xlsx) that cannot carry the characters at all."""
    if multiline:
        return _REFUSED_LONG.sub("", normalize_newlines(value))
    if not _REFUSED_LINE.search(value):
        return value
    return re.sub(f"[{_ALWAYS}]", "", re.sub("[\t\n\r\u2028\u2029]+", " ", value)).strip()


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
