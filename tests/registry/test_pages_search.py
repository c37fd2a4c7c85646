"""The search page: one box for name, pinyin initials, masked or full ID, phone and address."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for, sent_home
from tests.registry.helpers import home_in, make_id, register

URL = "/registry/people/"


@pytest.fixture
def people(net: Any, leader: Any) -> dict[str, Any]:
    home = home_in(net.m1, "锦丰新城1栋1单元101")
    return {
        "zs": register(leader, home, "张三", id_number=make_id(seq="803"), phone="13912345678"),
        "ls": register(leader, home, "李四", id_number=make_id(born="19850101", seq="120")),
        "far": register(leader, home_in(net.m2, "锦丰新城2栋1单元101"), "张山"),
    }


def test_it_finds_zhang_san_by_pinyin_initials(worker: Any, people: dict[str, Any]) -> None:
    response = client_for(worker).get(URL, {"q": "zs"})
    assert response.status_code == 200
    assert "张三" in response.content.decode()
    assert "李四" not in response.content.decode()


def test_it_finds_people_by_their_given_name_alone(
    worker: Any, leader: Any, people: dict[str, Any], net: Any
) -> None:
    home = home_in(net.m1, "锦丰新城1栋1单元102")
    register(leader, home, "王小明")
    register(leader, home, "欧阳小明")
    register(leader, home, "小明月")  # a surname 小 starts the full name: found by it too
    register(leader, home, "李大明")
    page = client_for(worker).get(URL, {"q": "小明"}).content.decode()
    assert "王小明" in page and "欧阳小明" in page and "小明月" in page
    assert "李大明" not in page and "张三" not in page
    # and the full name still works from its start
    page = client_for(worker).get(URL, {"q": "王小"}).content.decode()
    assert "王小明" in page and "欧阳小明" not in page


def test_it_finds_a_person_by_masked_id_and_by_its_last_digits(
    worker: Any, people: dict[str, Any]
) -> None:
    masked = people["zs"].id_number_masked
    assert "*" in masked
    for q in (masked, masked[-4:]):
        body = client_for(worker).get(URL, {"q": q}).content.decode()
        assert "张三" in body
        assert "李四" not in body


def test_it_finds_a_full_id_or_phone_exactly_and_shows_them_masked(
    worker: Any, people: dict[str, Any]
) -> None:
    full_id = make_id(seq="803")
    for q in (full_id, "13912345678"):
        # the results alone: the box itself echoes what the user typed
        body = client_for(worker).get(URL, {"q": q}, headers={"HX-Request": "true"})
        text = body.content.decode()
        assert "张三" in text and "李四" not in text
        assert full_id not in text and "13912345678" not in text
        assert "139****5678" in text


def test_it_finds_by_address(worker: Any, people: dict[str, Any]) -> None:
    body = client_for(worker).get(URL, {"q": "1栋1单元"}).content.decode()
    assert "张三" in body and "李四" in body


def test_a_neighbouring_grid_is_refused(neighbour: Any, people: dict[str, Any]) -> None:
    body = client_for(neighbour).get(URL, {"q": "zs"}).content.decode()
    assert "张山" in body  # their own
    assert "张三" not in body


def test_an_htmx_request_gets_only_the_results(worker: Any, people: dict[str, Any]) -> None:
    response = client_for(worker).get(URL, {"q": "zs"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "张三" in body
    assert "<html" not in body and 'id="people-list"' in body


def test_a_department_and_a_resident_are_refused(dept: Any, resident: Any, net: Any) -> None:
    assert client_for(dept).get(URL).status_code == 403
    assert sent_home(client_for(resident).get(URL))


def test_it_asks_a_stranger_to_log_in(net: Any) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_search_runs_a_constant_number_of_queries(net: Any, leader: Any, official: Any) -> None:
    def count() -> int:
        client = client_for(official)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"q": "z"}).status_code == 200
        return len(ctx)

    home = home_in(net.m1)
    register(leader, home, "张一")
    register(leader, home, "赵二")
    small = count()
    for i in range(12):
        register(leader, home_in(net.m2, f"锦丰新城3栋{i}号"), f"张{'二三四五六七八九十百千万'[i]}")
    assert count() == small
