from __future__ import annotations

import io

import segno

from finegrid.accounts.models import User
from finegrid.grids import services
from finegrid.grids.models import Duty
from tests.conftest import Net, client_for


def test_the_public_board_shows_the_grid_people_and_phones_without_login(
    net: Net, worker: User, gridhead: User
) -> None:
    services.responsibility_assign(person=worker, duty=Duty.MICRO_WORKER, grid=net.m1)
    services.responsibility_assign(person=gridhead, duty=Duty.GRID_HEAD, grid=net.g1)
    r = client_for(None).get("/board/M1/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "锦丰1-1微网格" in page
    assert "蔡如欣" in page and "tel:13800000000" in page
    assert "张志强" in page  # the grid head, from the grid above
    assert "/board/M1/qr.svg" in page


def test_the_board_of_an_unknown_grid_is_404(net: Net) -> None:
    assert client_for(None).get("/board/NOPE/").status_code == 404
    assert client_for(None).get("/board/NOPE/qr.svg").status_code == 404


def test_the_qr_code_is_an_svg_for_the_board_address(net: Net) -> None:
    r = client_for(None).get("/board/M1/qr.svg")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/svg+xml"
    svg = r.content.decode()
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg  # a standalone file, printable
    # the code is the one for this board's address, and not for another grid's
    expected = io.BytesIO()
    segno.make("http://testserver/board/M1/", error="m").save(
        expected, kind="svg", scale=4, border=2, title="锦丰1-1微网格"
    )
    assert r.content == expected.getvalue()
    assert client_for(None).get("/board/M2/qr.svg").content != r.content
