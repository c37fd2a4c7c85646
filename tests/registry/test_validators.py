"""Property tests of the ID number (GB 11643) and phone validators, and of the masks.

ISO 7064 MOD 11-2 detects every single substitution and every adjacent transposition; whatever
part of the number such a change lands in (region, birth date, sequence or the check character
itself), the number must be refused for some reason."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finegrid.core import pii
from finegrid.core.errors import InvalidInput
from finegrid.registry import validators
from finegrid.registry.names import given_name

REGIONS = ["510114", "510104", "510107", "510182", "500101", "410102", "420106", "110101"]
DIGITS = "0123456789"


@st.composite
def valid_ids(draw: st.DrawFn, last_year: int = dt.date.today().year - 1) -> str:
    region = draw(st.sampled_from(REGIONS))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(last_year, 12, 31)))
    seq = draw(st.integers(min_value=0, max_value=999))
    first = f"{region}{born:%Y%m%d}{seq:03d}"
    return first + validators.check_digit(first)


def refused(number: str) -> bool:
    try:
        validators.normalize_id(number)
    except InvalidInput as exc:
        assert exc.problems[0].field == "id_number"
        return True
    return False


@given(valid_ids())
def test_a_valid_number_is_accepted_as_it_is(number: str) -> None:
    assert validators.normalize_id(number) == number
    assert validators.normalize_id(number.lower()) == number
    assert validators.normalize_id(f" {number[:6]} {number[6:14]} {number[14:]} ") == number


@settings(max_examples=150)
@given(valid_ids())
def test_every_single_character_change_is_refused(number: str) -> None:
    for i, old in enumerate(number):
        for new in DIGITS + ("X" if i == 17 else ""):
            if new != old:
                changed = number[:i] + new + number[i + 1 :]
                assert refused(changed), (number, changed)


@settings(max_examples=150)
@given(valid_ids())
def test_every_adjacent_swap_of_different_characters_is_refused(number: str) -> None:
    for i in range(17):
        a, b = number[i], number[i + 1]
        if a != b:
            swapped = number[:i] + b + a + number[i + 2 :]
            assert refused(swapped), (number, swapped)


@given(valid_ids(last_year=1999).filter(lambda n: n[6:8] == "19"))
def test_the_fifteen_digit_form_converts_to_the_same_number(number: str) -> None:
    old = number[:6] + number[8:17]
    assert len(old) == 15
    assert validators.normalize_id(old) == number


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("51011419900307803", "18 characters"),
        ("5101141990030780A", "18 characters"),
        ("510114199002308031", "not a real date"),
        ("510114299001018031", "impossible"),
        ("999999199003078031", "region code"),
    ],
)
def test_each_kind_of_bad_number_is_named(number: str, words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        validators.normalize_id(number)
    assert words in err.value.problems[0].as_dict()["message_en"]


SPELLINGS = {
    "as is": lambda p: p,
    "with +86": lambda p: "+86" + p,
    "spaced 3-4-4": lambda p: f"{p[:3]} {p[3:7]} {p[7:]}",
    "dashed 3-4-4": lambda p: f"{p[:3]}-{p[3:7]}-{p[7:]}",
}


@given(
    st.sampled_from("3456789"),
    st.text(alphabet=DIGITS, min_size=9, max_size=9),
    st.sampled_from(sorted(SPELLINGS)),
)
def test_a_mainland_mobile_number_is_accepted_in_its_usual_spellings(
    second: str, rest: str, spelling: str
) -> None:
    phone = "1" + second + rest
    assert validators.normalize_phone(SPELLINGS[spelling](phone)) == phone


@given(st.text(alphabet=DIGITS + "abc+", max_size=14))
def test_anything_else_is_refused_naming_the_field(text: str) -> None:
    raw = text.removeprefix("+86")
    if len(raw) == 11 and raw.isdigit() and raw[0] == "1" and raw[1] in "3456789":
        return  # a real mobile number
    with pytest.raises(InvalidInput) as err:
        validators.normalize_phone(text, field="contact_phone")
    assert err.value.problems[0].field == "contact_phone"


def test_the_masks_show_what_a_screen_shows() -> None:
    assert pii.mask_id("51011419900307123X") == "510***********123X"
    assert pii.mask_phone("13812345678") == "138****5678"


@given(valid_ids())
def test_a_masked_number_keeps_only_its_ends(number: str) -> None:
    masked = pii.mask_id(number)
    assert len(masked) == 18 and masked == number[:3] + "*" * 11 + number[-4:]


@pytest.mark.parametrize(
    ("name", "given"),
    [
        ("王小明", "小明"),
        ("欧阳小明", "小明"),
        ("诸葛亮", "亮"),
        ("欧阳", "阳"),  # a two-character name is surname + given name, even if it looks compound
        ("王", ""),
        ("阿依古丽·买买提", ""),
        ("Anna Li", ""),
    ],
)
def test_the_given_name_is_the_name_after_the_surname(name: str, given: str) -> None:
    assert given_name(name) == given
