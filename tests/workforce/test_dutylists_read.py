"""Grids read the duty lists in force at them: through the API and the page."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from finegrid.accounts.models import User
from finegrid.workforce.models import DutyTask
from tests.conftest import Net, client_for
from tests.workforce.helpers_dutylists import GOOD_ROWS, import_for, ledger, upload

API = "/api/v1/workforce/duties"
PAGE = "/workforce/duties/"


def test_a_worker_reads_the_street_lists_in_force_at_their_micro_grid(
    net: Net, worker: User
) -> None:
    import_for(net.street)
    r = client_for(worker).get(API, {"grid": "M1"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["grid"] == "M1" and body["editable"] is False
    kinds = [v["kind"] for v in body["lists"]]
    assert kinds == ["micro", "inspection", "enforcement", "safety_head"]
    visit = body["lists"][0]["tasks"][0]
    assert visit["name"] == "入户走访" and visit["name_en"] == "Visit households"
    assert visit["owned_here"] is True and visit["owner_level"] == "micro"
    penalty = body["lists"][2]["tasks"][0]
    assert penalty["department"]["code"] == "chengguan" and penalty["owned_here"] is False
    assert [c["code"] for c in penalty["categories"]] == ["city_management"]


def test_a_community_list_is_in_force_only_in_its_community(net: Net, leader: User) -> None:
    import_for(net.c2, GOOD_ROWS[:1])
    assert client_for(leader).get(API, {"grid": "M1"}).json()["lists"] == []
    assert len(client_for(leader).get(API, {"grid": "M3"}).json()["lists"]) == 1


def test_the_neighbouring_grid_is_refused(net: Net, neighbour: User) -> None:
    import_for(net.street)
    r = client_for(neighbour).get(API, {"grid": "M1"})
    assert r.status_code == 404
    assert client_for(neighbour).get(PAGE, {"grid": "M1"}).status_code == 404


def test_the_page_shows_the_lists_and_no_import_to_a_worker(net: Net, worker: User) -> None:
    import_for(net.street)
    r = client_for(worker).get(PAGE, {"grid": "M1"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "微网格职责任务清单" in page and "入户走访" in page and "城管执法中队" in page
    assert 'id="duty-import"' not in page
    # posting anyway is refused, and writes nothing
    refused = client_for(worker).post(f"{PAGE}?grid=S", {"file": upload(ledger(GOOD_ROWS[:1]))})
    assert refused.status_code == 404  # the street is out of a micro-grid worker's sight
    assert DutyTask.objects.count() == len(GOOD_ROWS)


def test_the_page_costs_the_same_queries_for_one_task_or_many(
    net: Net, worker: User, django_assert_max_num_queries: Any
) -> None:
    import_for(net.street, GOOD_ROWS[:1])
    client = client_for(worker)
    client.get(PAGE, {"grid": "M1"})
    many = [
        [kind, f"T-{i}", f"任务{i}", f"Task {i}", "微网格", "sanitation、gas"]
        for i in range(60)
        for kind in ("巡查任务清单", "处罚任务清单")
    ]
    import_for(net.street, many)
    with django_assert_max_num_queries(12):
        r = client.get(PAGE, {"grid": "M1"})
    assert r.status_code == 200 and "任务59" in r.content.decode()


def test_the_street_imports_on_the_page_and_sees_each_bad_row(net: Net, leader: User) -> None:
    client = client_for(leader)
    page = client.get(PAGE, {"grid": "S"}).content.decode()
    assert 'id="duty-import"' in page and "/workforce/duties/template.xlsx" in page
    bad = [["巡查任务清单", "X-1", "巡查", "Inspect", "居委会", ""]]
    r = client.post(f"{PAGE}?grid=S", {"file": upload(ledger(bad))})
    assert r.status_code == 422
    text = r.content.decode()
    assert "第 2 行" in text and "责任主体" in text and "owner" in text
    assert not DutyTask.objects.exists()
    r = client.post(f"{PAGE}?grid=S", {"file": upload(ledger(GOOD_ROWS))}, follow=True)
    assert r.status_code == 200 and "入户走访" in r.content.decode()
    assert DutyTask.objects.count() == len(GOOD_ROWS)


def test_the_template_names_every_column_and_the_allowed_values(net: Net, leader: User) -> None:
    r = client_for(leader).get("/workforce/duties/template.xlsx")
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content), read_only=True)
    header = next(book.worksheets[0].iter_rows(values_only=True))
    assert header[:5] == ("清单 list", "编号 number", "任务名称 task", "英文名称 task in English",
                          "责任主体 owner")  # fmt: skip
    values = [row for row in book.worksheets[1].iter_rows(values_only=True)]
    assert any("城管执法中队 (chengguan)" in (r[1] or "") for r in values)
    # the template's own example rows import as they are
    r = client_for(leader).post(
        "/api/v1/workforce/duties/import", {"grid": "S", "file": upload(r.content)}
    )
    assert r.status_code == 201, r.content
