"""POST requests refuse a control character in any parameter, naming it, and write nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from finegrid.cases.models import Case, CaseEvent
from tests.cases.helpers import MONDAY_10
from tests.conftest import Net
from tests.open311.helpers import errors_of, json_of, key_for, post, report_data

EN = {"Accept-Language": "en"}
PARAMETERS = [
    "service_code",
    "description",
    "address_string",
    "first_name",
    "last_name",
    "phone",
    "email",
    "media_url",
    "attribute[urgency]",
]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9b"])
@pytest.mark.parametrize("name", PARAMETERS)
def test_a_control_character_in_any_parameter_is_named_in_a_400(
    net: Net, name: str, char: str
) -> None:
    raw = key_for(net.street)
    data = report_data(raw, **{name: "甲" + char + "乙"})
    response = post(Client(), headers=EN, **data)
    assert response.status_code == 400
    assert errors_of(response) == [
        f"{name} contains a control character (U+{ord(char):04X} at position 2) that cannot "
        "be stored; remove it."
    ]
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_a_line_break_is_refused_in_a_name_but_kept_in_the_description(
    net: Net, time_machine: Any
) -> None:
    time_machine.move_to(MONDAY_10, tick=False)
    raw = key_for(net.street)
    response = post(Client(), headers=EN, **report_data(raw, first_name="小\n明"))
    assert response.status_code == 400
    assert errors_of(response)[0].startswith("first_name takes one line")
    response = post(Client(), **report_data(raw, description="垃圾\r\n三天没人清运"))
    assert response.status_code == 201
    assert json_of(response)[0]["service_request_id"] == Case.objects.get().number
    assert Case.objects.get().description == "垃圾\n三天没人清运"
