"""Addresses sort as people read them: numbers by value, not digit by digit."""

from __future__ import annotations

from finegrid.core.text import natural_key


def test_building_numbers_sort_by_value() -> None:
    assert sorted(["15栋", "2栋", "1栋"], key=natural_key) == ["1栋", "2栋", "15栋"]


def test_room_numbers_sort_by_value() -> None:
    rooms = ["1栋1单元1001号", "1栋1单元101号", "1栋1单元201号"]
    assert sorted(rooms, key=natural_key) == ["1栋1单元101号", "1栋1单元201号", "1栋1单元1001号"]


def test_every_number_in_the_address_counts_in_turn() -> None:
    rows = ["锦丰新城15栋1单元101号", "锦丰新城1栋2单元101号", "锦丰新城1栋1单元1001号"]
    assert sorted(rows, key=natural_key) == [
        "锦丰新城1栋1单元1001号",
        "锦丰新城1栋2单元101号",
        "锦丰新城15栋1单元101号",
    ]


def test_full_width_digits_count_as_digits() -> None:
    assert sorted(["１５栋", "2栋"], key=natural_key) == ["2栋", "１５栋"]


def test_text_without_numbers_and_with_them_compare() -> None:
    assert sorted(["锦丰新城1栋", "锦丰新城", "和平苑3栋"], key=natural_key) == [
        "和平苑3栋",
        "锦丰新城",
        "锦丰新城1栋",
    ]


def test_leading_zeros_tie_on_value_and_stay_in_a_fixed_order() -> None:
    assert sorted(["01栋", "1栋"], key=natural_key) == ["01栋", "1栋"]
    assert sorted(["1栋", "01栋"], key=natural_key) == ["01栋", "1栋"]
