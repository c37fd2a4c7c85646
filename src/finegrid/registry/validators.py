"""Validators for the registry: ID numbers (GB 11643) and mainland mobile numbers."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import numdb

from finegrid.core.errors import InvalidInput, Problem

WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
CHECK = "10X98765432"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


@lru_cache(maxsize=8192)  # a ledger repeats a few region codes; numdb lookups are slow
def region_exists(code: str) -> bool:
    # python-stdnum ships the GB/T 2260 division codes, past and present: a code that was valid
    # when its holder was registered stays valid on their card for life.
    parts = numdb.get("cn/loc").info(code)
    return bool(parts) and all(props for _part, props in parts)


def normalize_id(value: str, *, field: str = "id_number", row: int | None = None) -> str:
    """The 18-character form of a valid ID number, or InvalidInput naming what is wrong.

    A 15-digit first-generation number is converted (century 19, check digit added)."""

    def bad(message: object) -> InvalidInput:
        return InvalidInput(Problem(message, field=field, row=row))  # type: ignore[arg-type]

    raw = re.sub(r"\s", "", value or "").upper()
    if len(raw) == 15 and raw.isdigit():
        raw = raw[:6] + "19" + raw[6:]
        raw += check_digit(raw)
    if len(raw) != 18 or not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X"):
        raise bad(_("An ID number has 18 characters: 17 digits and a digit or X."))
    try:
        born = dt.date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        raise bad(_("The birth date in the ID number is not a real date.")) from None
    if born > timezone.localdate() or born.year < 1890:
        raise bad(_("The birth date in the ID number is impossible."))
    if not region_exists(raw[:6]):
        raise bad(_("The region code of the ID number does not exist."))
    if check_digit(raw[:17]) != raw[17]:
        raise bad(_("The check digit of the ID number is wrong."))
    return raw


def birth_date_of(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def gender_of(id_number: str) -> str:
    return "male" if int(id_number[16]) % 2 else "female"


def normalize_phone(value: str, *, field: str = "phone", row: int | None = None) -> str:
    raw = re.sub(r"[\s-]", "", value or "")
    if raw.startswith("+86"):
        raw = raw[3:]
    if not MOBILE_RE.match(raw):
        raise InvalidInput(
            Problem(
                _("A mainland mobile number has 11 digits starting with 1."), field=field, row=row
            )
        )
    return raw
