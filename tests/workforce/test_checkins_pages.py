"""The phone pages (check in at a code, scan, my check-ins) and the grid head's check-ins."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.workforce.models import Checkin
from finegrid.workforce.services_checkins import checkin_create
from tests.conftest import client_for
from tests.workforce.helpers_checkins import M1_CENTRE, code_of, payload, serve


def _form(lat: Any = M1_CENTRE[0], lng: Any = M1_CENTRE[1], key: str = "k") -> dict[str, Any]:
    return {"lat": lat, "lng": lng, "idempotency_key": key}


def test_opening_a_code_asks_to_log_in_first(net: Any) -> None:
    text = payload(code_of(net.m1))
    response = client_for(None).get(f"/workforce/c/{text}")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert f"next=/workforce/c/{text}" in response["Location"]


def test_a_worker_checks_in_from_the_page_and_sees_the_distance(net: Any, worker: Any) -> None:
    serve(worker, net.m1)
    text = payload(code_of(net.m1))
    client = client_for(worker)
    page = client.get(f"/workforce/c/{text}")
    assert page.status_code == 200
    html = page.content.decode()
    assert net.m1.name in html and "data-fg-geolocate" in html
    done = client.post(f"/workforce/c/{text}", _form(lat=M1_CENTRE[0] + 0.003))
    assert done.status_code == 200
    html = done.content.decode()
    assert 'id="checkin-result"' in html
    assert "距点位 334 米" in html or "距点位 333 米" in html
    # a double tap sends the same key again: still one check-in
    client.post(f"/workforce/c/{text}", _form(lat=M1_CENTRE[0] + 0.003))
    assert Checkin.objects.count() == 1


def test_the_page_refuses_a_position_it_did_not_get(net: Any, worker: Any) -> None:
    serve(worker, net.m1)
    text = payload(code_of(net.m1))
    response = client_for(worker).post(f"/workforce/c/{text}", _form(lat="", lng=""))
    assert response.status_code == 422
    assert 'data-field="lat"' in response.content.decode()
    assert not Checkin.objects.exists()


def test_the_page_refuses_a_forged_code_in_both_languages(net: Any, worker: Any) -> None:
    response = client_for(worker).get("/workforce/c/FG1.m.1.1.AAAAAAAAAAAAAAAA")
    assert response.status_code == 422
    html = response.content.decode()
    assert "篡改" in html and "altered" in html


def test_the_page_refuses_a_worker_of_the_neighbouring_grid(net: Any, neighbour: Any) -> None:
    serve(neighbour, net.m2)
    text = payload(code_of(net.m1))
    response = client_for(neighbour).post(f"/workforce/c/{text}", _form())
    assert response.status_code == 403
    assert 'data-field="code"' in response.content.decode()
    assert not Checkin.objects.exists()


def test_a_typed_code_opens_its_check_in_page(net: Any, worker: Any) -> None:
    text = payload(code_of(net.m1))
    client = client_for(worker)
    assert client.get("/workforce/scan/").status_code == 200
    response = client.get("/workforce/scan/", {"code": f"  https://x/workforce/c/{text} "})
    assert response.status_code == 302
    assert response["Location"] == f"/workforce/c/{text}"


def _check_in(user: Any, code: Any, lat: float, key: str) -> Checkin:
    return checkin_create(
        actor=user, payload=payload(code), lat=lat, lng=M1_CENTRE[1], idempotency_key=key
    ).checkin


def test_the_grid_head_sees_the_newest_check_ins_with_flagged_ones_marked(
    net: Any, worker: Any, gridhead: Any
) -> None:
    serve(worker, net.m1)
    code = code_of(net.m1)
    _check_in(worker, code, M1_CENTRE[0], "near")
    far = _check_in(worker, code, M1_CENTRE[0] + 0.01, "far")
    response = client_for(gridhead).get("/workforce/checkins/?grid=G1")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="fg-checkin-row') == 2
    assert f'id="checkin-{far.pk}"' in html and "距点位过远" in html
    flagged = client_for(gridhead).get("/workforce/checkins/?grid=G1&flagged=1").content.decode()
    assert flagged.count('class="fg-checkin-row') == 1


def test_the_grid_heads_page_refuses_the_neighbouring_grid(
    net: Any, worker: Any, neighbour: Any
) -> None:
    serve(worker, net.m1)
    _check_in(worker, code_of(net.m1), M1_CENTRE[0], "a")
    client = client_for(neighbour)
    assert client.get("/workforce/checkins/?grid=M1").status_code == 404
    assert client.get("/workforce/checkins/?grid=G1").status_code == 404
    assert "checkin-row" not in client.get("/workforce/checkins/?grid=M2").content.decode()


def test_my_check_ins_are_mine_only(net: Any, worker: Any, neighbour: Any) -> None:
    serve(worker, net.m1)
    serve(neighbour, net.m2)
    _check_in(worker, code_of(net.m1), M1_CENTRE[0], "a")
    _check_in(neighbour, code_of(net.m2), 30.01, "b")
    html = client_for(worker).get("/workforce/checkins/mine/").content.decode()
    assert html.count('class="fg-checkin-row') == 1
    assert net.m1.name in html and net.m2.name not in html


def test_the_grid_heads_page_takes_a_constant_number_of_queries(
    net: Any, worker: Any, gridhead: Any, django_assert_max_num_queries: Any
) -> None:
    serve(worker, net.m1)
    code = code_of(net.m1)
    client = client_for(gridhead)
    _check_in(worker, code, M1_CENTRE[0], "first")
    with CaptureQueriesContext(connection) as one:
        client.get("/workforce/checkins/?grid=G1")
    for n in range(20):
        _check_in(worker, code, M1_CENTRE[0] + (0.01 if n % 3 else 0), f"k{n}")
    with django_assert_max_num_queries(len(one)):
        response = client.get("/workforce/checkins/?grid=G1")
    assert response.content.decode().count('class="fg-checkin-row') == 21
