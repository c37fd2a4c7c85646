"""POST /api/v1/workforce/checkins: a worker checks in with a code's payload and the phone's
position; doubtful check-ins are flagged for the grid head, never refused."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.notifications.models import Notification
from finegrid.workforce import hooks
from finegrid.workforce.models import Checkin, WorkerStatus
from finegrid.workforce.services_codes import code_revoke, code_rotate
from tests.conftest import client_for
from tests.workforce.helpers_checkins import (
    M1_CENTRE,
    building_in,
    code_of,
    payload,
    post_checkin,
    serve,
)

NORTH_150M = M1_CENTRE[0] + 150 / 111_320


@pytest.fixture
def m1_code(net: Any) -> Any:
    return code_of(net.m1)


@pytest.fixture
def on_duty(worker: Any, net: Any) -> Any:
    return serve(worker, net.m1)


def _body(code: Any, lat: Any = M1_CENTRE[0], lng: Any = M1_CENTRE[1]) -> dict[str, Any]:
    return {"code": payload(code), "lat": lat, "lng": lng}


def test_a_worker_checks_in_at_a_place_they_serve(
    net: Any, worker: Any, on_duty: Any, m1_code: Any
) -> None:
    response = post_checkin(client_for(worker), _body(m1_code))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["place"]["name"] == net.m1.name
    assert data["place"]["grid"] == "M1"
    assert data["distance_m"] < 5
    assert data["flagged"] is False
    row = Checkin.objects.get()
    assert (row.worker, row.code, row.code_version, row.grid_path) == (
        on_duty,
        m1_code,
        1,
        net.m1.path,
    )
    assert not Notification.objects.exists()


def test_serving_a_grid_above_the_place_is_serving_the_place(
    net: Any, worker: Any, m1_code: Any
) -> None:
    serve(worker, net.g1)
    building = building_in(net.m1)
    code = code_of(net.m1, "building", building.pk)
    assert post_checkin(client_for(worker), _body(code)).status_code == 201


def test_the_same_key_answers_the_first_check_in_and_writes_one_row(
    worker: Any, on_duty: Any, m1_code: Any
) -> None:
    client = client_for(worker)
    first = post_checkin(client, _body(m1_code), key="same")
    again = post_checkin(client, _body(m1_code), key="same")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Checkin.objects.count() == 1


def test_the_same_key_with_another_position_is_refused(
    worker: Any, on_duty: Any, m1_code: Any
) -> None:
    client = client_for(worker)
    post_checkin(client, _body(m1_code), key="same")
    other = post_checkin(client, _body(m1_code, lat=NORTH_150M), key="same")
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
    assert Checkin.objects.count() == 1


def test_a_retry_after_the_code_was_rotated_still_answers_the_first(
    worker: Any, on_duty: Any, m1_code: Any, gridhead: Any
) -> None:
    client = client_for(worker)
    body = _body(m1_code)
    first = post_checkin(client, body, key="retry")
    code_rotate(actor=gridhead, code=m1_code)
    again = post_checkin(client, body, key="retry")
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]


def test_a_far_check_in_is_recorded_flagged_and_the_grid_head_told(
    worker: Any, on_duty: Any, m1_code: Any, gridhead: Any, neighbour: Any
) -> None:
    response = post_checkin(client_for(worker), _body(m1_code, lat=M1_CENTRE[0] + 0.005))
    assert response.status_code == 201
    data = response.json()
    assert data["flagged"] is True
    assert data["flag_reasons"] == ["far"]
    assert 500 < data["distance_m"] < 600
    assert Checkin.objects.get().flagged
    notice = Notification.objects.get()
    assert notice.user == gridhead
    assert notice.kind == "workforce.checkin_flagged"
    assert "/workforce/checkins/?grid=M1" in notice.url


def test_the_far_threshold_is_configurable(
    worker: Any, on_duty: Any, m1_code: Any, settings: Any
) -> None:
    settings.CHECKIN_FAR_M = 100
    response = post_checkin(client_for(worker), _body(m1_code, lat=NORTH_150M))
    assert response.json()["flag_reasons"] == ["far"]


def test_one_code_scanned_twice_within_minutes_from_far_apart_is_flagged(
    net: Any, worker: Any, on_duty: Any, m1_code: Any, gridhead: Any
) -> None:
    client = client_for(worker)
    south = M1_CENTRE[0] - 150 / 111_320
    first = post_checkin(client, _body(m1_code, lat=NORTH_150M), key="a")
    second = post_checkin(client, _body(m1_code, lat=south), key="b")
    assert first.json()["flagged"] is False
    # each is within 200 m of the place, but 300 m from the other
    assert second.json()["flag_reasons"] == ["twice_far_apart"]
    assert Notification.objects.filter(user=gridhead).count() == 1


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"lat": None, "lng": None}, ["lat", "lng"]),
        ({"lat": 91, "lng": 104.0}, ["lat"]),
        ({"lat": 30.0, "lng": -181}, ["lng"]),
        ({"lng": 104.0}, ["lat"]),
    ],
)
def test_it_refuses_a_missing_or_impossible_position(
    worker: Any, on_duty: Any, m1_code: Any, body: dict[str, Any], fields: list[str]
) -> None:
    response = post_checkin(client_for(worker), {"code": payload(m1_code), **body})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == fields
    assert response.json()["message"] != response.json()["message_en"]
    assert not Checkin.objects.exists()


def test_it_refuses_forged_revoked_and_rotated_codes_naming_code(
    worker: Any, on_duty: Any, m1_code: Any, gridhead: Any
) -> None:
    client = client_for(worker)
    printed = payload(m1_code)
    forged = printed[:-3] + "abc"
    answers = [post_checkin(client, {**_body(m1_code), "code": forged}, key="1")]
    code_rotate(actor=gridhead, code=m1_code)
    answers.append(post_checkin(client, {**_body(m1_code), "code": printed}, key="2"))
    code_revoke(actor=gridhead, code=m1_code)
    answers.append(post_checkin(client, _body(m1_code), key="3"))
    assert [a.status_code for a in answers] == [422, 422, 422]
    assert [a.json()["field"] for a in answers] == ["code"] * 3
    assert len({a.json()["message"] for a in answers}) == 3
    assert not Checkin.objects.exists()


def test_a_worker_of_the_neighbouring_grid_is_refused(
    net: Any, neighbour: Any, m1_code: Any
) -> None:
    serve(neighbour, net.m2)
    response = post_checkin(client_for(neighbour), _body(m1_code))
    assert response.status_code == 403
    assert response.json()["field"] == "code"
    assert not Checkin.objects.exists()


def test_a_worker_who_is_not_active_is_refused(net: Any, worker: Any, m1_code: Any) -> None:
    serve(worker, net.m1, status=WorkerStatus.SUSPENDED)
    response = post_checkin(client_for(worker), _body(m1_code))
    assert response.status_code == 403
    assert not Checkin.objects.exists()


def test_someone_without_a_worker_profile_is_refused(gridhead: Any, m1_code: Any) -> None:
    response = post_checkin(client_for(gridhead), _body(m1_code))
    assert response.status_code == 403
    assert not Checkin.objects.exists()


def test_an_anonymous_caller_is_refused(m1_code: Any) -> None:
    assert post_checkin(client_for(None), _body(m1_code)).status_code == 401


def test_the_hook_runs_in_the_check_in_transaction(
    worker: Any, on_duty: Any, m1_code: Any, gridhead: Any, monkeypatch: Any
) -> None:
    seen: list[Any] = []
    monkeypatch.setattr(hooks, "ON_CHECKIN", [seen.append])
    post_checkin(client_for(worker), _body(m1_code), key="a")
    assert [c.pk for c in seen] == list(Checkin.objects.values_list("pk", flat=True))

    def broken(checkin: Any) -> None:
        raise RuntimeError("rollup failed")

    monkeypatch.setattr(hooks, "ON_CHECKIN", [broken])
    client = client_for(worker)
    client.raise_request_exception = False
    far = post_checkin(client, _body(m1_code, lat=M1_CENTRE[0] + 0.01), key="b")
    assert far.status_code == 500
    # neither the check-in nor its flag's notice was half-written
    assert Checkin.objects.count() == 1
    assert not Notification.objects.exists()


def test_a_check_in_takes_a_constant_number_of_queries(
    worker: Any, on_duty: Any, m1_code: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(worker)
    post_checkin(client, _body(m1_code), key="warm")
    body = _body(m1_code)
    with django_assert_max_num_queries(12):
        assert post_checkin(client, body, key="measured").status_code == 201
