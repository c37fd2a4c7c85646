"""The street imports a duty-list ledger: all or nothing, every bad row and column named."""

from __future__ import annotations

from typing import Any

from finegrid.accounts.models import User
from finegrid.workforce.models import DutyList, DutyTask
from tests.conftest import Net, client_for
from tests.workforce.helpers_dutylists import GOOD_ROWS, import_for, ledger, upload

URL = "/api/v1/workforce/duties/import"


def post(user: User, grid: str, data: bytes) -> Any:
    return client_for(user).post(URL, {"grid": grid, "file": upload(data)})


def test_the_street_imports_the_lists_with_owners_and_categories(net: Net, leader: User) -> None:
    r = post(leader, "S", ledger(GOOD_ROWS))
    assert r.status_code == 201, r.content
    assert r.json() == {"grid": "S", "lists": 4, "tasks": 4}
    assert set(DutyList.objects.values_list("kind", flat=True)) == {
        "micro", "inspection", "enforcement", "safety_head"
    }  # fmt: skip
    penalty = DutyTask.objects.get(code="CF-001")
    assert penalty.department is not None and penalty.department.code == "chengguan"
    assert penalty.owner_level == "" and penalty.name_en == "Penalise street vending"
    assert list(penalty.categories.values_list("code", flat=True)) == ["city_management"]
    assert DutyTask.objects.get(code="PA-01").owner_level == "grid"
    assert DutyTask.objects.get(code="WG-01").owner_level == "micro"


def test_a_second_import_replaces_the_first(net: Net, leader: User) -> None:
    post(leader, "S", ledger(GOOD_ROWS))
    r = post(leader, "S", ledger(GOOD_ROWS[:1]))
    assert r.status_code == 201
    assert list(DutyTask.objects.values_list("code", flat=True)) == ["WG-01"]
    assert DutyList.objects.count() == 1


def test_bad_rows_are_each_named_in_both_languages_and_nothing_is_written(
    net: Net, leader: User
) -> None:
    import_for(net.street)
    bad = [
        *GOOD_ROWS,
        ["巡查清单", "XC-002", "巡查", "Inspect", "一般网格", ""],  # no such list
        ["巡查任务清单", "XC-001", "又一条", "Again", "一般网格", ""],  # number used at row 3
        ["巡查任务清单", "XC-003", "巡查", "", "居委会", "no_such"],  # empty English, bad owner
    ]
    r = post(leader, "S", ledger(bad))
    assert r.status_code == 422
    errors = r.json()["errors"]
    found = {(e["row"], e["field"]) for e in errors}
    assert found == {
        (6, "list"), (7, "code"), (8, "name_en"), (8, "owner"), (8, "categories")
    }  # fmt: skip
    by = {(e["row"], e["field"]): e for e in errors}
    assert "清单" in by[(6, "list")]["message"] and "巡查清单" in by[(6, "list")]["message"]
    assert "list" in by[(6, "list")]["message_en"]
    assert "3" in by[(7, "code")]["message"] and "3" in by[(7, "code")]["message_en"]
    assert "owner" in by[(8, "owner")]["message_en"] and "责任主体" in by[(8, "owner")]["message"]
    # the lists imported before are untouched
    assert DutyTask.objects.count() == len(GOOD_ROWS)


def test_a_missing_column_is_named(net: Net, leader: User) -> None:
    header = ["清单", "编号", "任务名称", "英文名称"]
    r = post(leader, "S", ledger([["巡查任务清单", "X", "巡查", "Inspect"]], header=header))
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert error["field"] == "owner" and "责任主体" in error["message"]
    assert "(owner)" in error["message_en"]
    assert not DutyTask.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(net: Net, leader: User) -> None:
    r = post(leader, "S", "清单,编号\n".encode())
    assert r.status_code == 422 and r.json()["field"] == "file"
    assert ".xlsx" in r.json()["message_en"]


def test_a_grid_head_reads_but_may_not_import(net: Net, gridhead: User, official: User) -> None:
    # lists are the street's to issue: a grid is not an issuer, a community official not an editor
    r = post(gridhead, "G1", ledger(GOOD_ROWS))
    assert r.status_code == 403
    r = post(official, "C1", ledger(GOOD_ROWS))
    assert r.status_code == 403
    assert not DutyTask.objects.exists()


def test_the_neighbouring_grid_is_refused(net: Net, neighbour: User) -> None:
    r = post(neighbour, "C1", ledger(GOOD_ROWS))
    assert r.status_code == 404
    assert not DutyTask.objects.exists()


def test_a_community_may_have_lists_of_its_own(net: Net, leader: User) -> None:
    r = post(leader, "C1", ledger(GOOD_ROWS[:2]))
    assert r.status_code == 201
    assert set(DutyList.objects.values_list("grid__code", flat=True)) == {"C1"}
