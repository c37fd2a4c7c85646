"""The staff's code pages: the list with rotate and withdraw, the A4 sheets, the QR images."""

from __future__ import annotations

from typing import Any

from finegrid.workforce.models import Code
from finegrid.workforce.services_codes import code_verify
from tests.conftest import client_for
from tests.workforce.helpers_checkins import building_in, code_of, payload


def test_the_list_shows_the_codes_with_rotate_and_withdraw_for_the_grid_head(
    net: Any, gridhead: Any
) -> None:
    building_in(net.m1, "1栋")
    response = client_for(gridhead).get("/workforce/codes/?grid=G1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1栋" in html and net.m2.name in html
    assert 'name="rotate"' in html and 'name="revoke"' in html
    assert Code.objects.count() == 3


def test_a_worker_sees_the_codes_of_their_micro_grid_without_buttons(net: Any, worker: Any) -> None:
    response = client_for(worker).get("/workforce/codes/?grid=M1")
    assert response.status_code == 200
    assert 'name="rotate"' not in response.content.decode()
    code = Code.objects.get()
    assert client_for(worker).post(f"/workforce/codes/{code.pk}/rotate").status_code == 403
    assert Code.objects.get().version == 1


def test_rotating_and_withdrawing_from_the_list(net: Any, gridhead: Any) -> None:
    code = code_of(net.m1)
    printed = payload(code)
    client = client_for(gridhead)
    response = client.post(
        f"/workforce/codes/{code.pk}/rotate", {"next": "/workforce/codes/?grid=G1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/workforce/codes/?grid=G1"
    code.refresh_from_db()
    assert code.version == 2
    assert payload(code) != printed
    client.post(f"/workforce/codes/{code.pk}/revoke", {"next": "https://evil.example/"})
    code.refresh_from_db()
    assert code.revoked_at is not None


def test_the_print_sheet_is_a4_with_the_codes_names_in_both_languages(
    net: Any, gridhead: Any
) -> None:
    for n in range(14):
        building_in(net.m1, f"{n + 1}栋")
    response = client_for(gridhead).get("/workforce/codes/print?grid=G1&kind=building")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="sheet"') == 2  # twelve to a page
    assert html.count("<svg") == 14
    assert "楼栋 · Building" in html
    assert "扫码报到 · Scan to check in" in html
    assert "workforce/print.css" in html


def test_a_withdrawn_code_is_not_printed(net: Any, gridhead: Any) -> None:
    code = code_of(net.m1)
    client = client_for(gridhead)
    client.post(f"/workforce/codes/{code.pk}/revoke")
    html = client.get("/workforce/codes/print?grid=M1").content.decode()
    assert "<svg" not in html


def test_the_qr_image_is_an_svg_of_the_phone_url(net: Any, worker: Any) -> None:
    code = code_of(net.m1)
    response = client_for(worker).get(f"/workforce/codes/{code.pk}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") or b"<svg" in response.content[:200]
    assert code_verify(payload=payload(code)) == code


def test_the_neighbouring_grid_is_refused_on_every_page(net: Any, neighbour: Any) -> None:
    code = code_of(net.m1)
    client = client_for(neighbour)
    assert client.get("/workforce/codes/?grid=M1").status_code == 404
    assert client.get("/workforce/codes/print?grid=M1").status_code == 404
    assert client.get(f"/workforce/codes/{code.pk}/qr.svg").status_code == 404
    assert client.post(f"/workforce/codes/{code.pk}/rotate").status_code == 404
    assert client.post(f"/workforce/codes/{code.pk}/revoke").status_code == 404
    code.refresh_from_db()
    assert (code.version, code.revoked_at) == (1, None)


def test_the_list_takes_a_constant_number_of_queries(
    net: Any, leader: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(40):
        building_in(net.m1, f"{n}栋")
    client = client_for(leader)
    client.get("/workforce/codes/?grid=S")
    with django_assert_max_num_queries(16):
        assert client.get("/workforce/codes/?grid=S").status_code == 200
