"""The official holiday calendar: shipped, loaded, counted by the clocks, kept in the admin."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from finegrid.accounts.models import User
from finegrid.cases import clock
from finegrid.cases.models import Case, Holiday
from tests.cases.helpers import report
from tests.conftest import Net, client_for

SHIPPED = {2025: 33, 2026: 39}  # days off plus working weekend days, as the notices list them


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=clock.LOCAL)


@pytest.fixture(autouse=True)
def _fresh_holidays() -> Iterator[None]:
    # the clocks cache the table per process: no test may see another's rows
    clock.forget_holidays()
    yield
    clock.forget_holidays()


def load(*files: Path) -> str:
    out = io.StringIO()
    call_command("holidays_load", *[str(f) for f in files], stdout=out, stderr=io.StringIO())
    return out.getvalue()


def load_refused(*files: Path) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("holidays_load", *[str(f) for f in files], stdout=io.StringIO(), stderr=err)
    return err.getvalue(), str(refused.value)


def csv_file(tmp_path: Path, *rows: str, name: str = "local.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(["# 本街道自定", "date,kind,name", *rows]) + "\n", encoding="utf-8")
    return path


def calendar() -> list[tuple[dt.date, bool, str]]:
    return list(Holiday.objects.values_list("date", "is_workday", "name"))


# -- the shipped calendar -------------------------------------------------------------------


def test_the_migrations_load_the_shipped_years(db: None) -> None:
    for year, days in SHIPPED.items():
        assert Holiday.objects.filter(date__year=year).count() == days
    assert Holiday.objects.get(date=dt.date(2026, 2, 14)).is_workday  # 调休上班, a Saturday
    assert (
        Holiday.objects.filter(
            date__range=(dt.date(2026, 2, 15), dt.date(2026, 2, 23)), is_workday=False, name="春节"
        ).count()
        == 9
    )
    assert not clock.is_workday(dt.date(2025, 10, 8))  # 国庆节、中秋节, a Wednesday


def test_a_case_reported_before_spring_festival_is_due_after_it(net: Net, worker: User) -> None:
    # Saturday 14 February is a working day (调休); 15–23 February are off, Monday included.
    case = report(worker, now=local(2026, 2, 14, 17, 0))  # sanitation: 2 working hours
    assert case.accept_due == local(2026, 2, 24, 10, 0)  # 17–18 on Saturday, 9–10 on Tuesday
    assert Case.objects.get(pk=case.pk).accept_due == local(2026, 2, 24, 10, 0)


def test_the_working_saturdays_around_spring_festival_count(db: None) -> None:
    friday_17 = local(2026, 2, 13, 17, 0)
    assert clock.add_working_minutes(friday_17, 120) == local(2026, 2, 14, 10, 0)
    # a working day and a half from Friday: Saturday, then nothing until Tuesday the 24th
    assert clock.add_working_minutes(friday_17, 60 + 8 * 60 + 60) == local(2026, 2, 24, 10, 0)
    assert clock.add_working_minutes(local(2026, 2, 27, 17, 0), 120) == local(2026, 2, 28, 10, 0)


# -- holidays_load --------------------------------------------------------------------------


def test_loading_the_shipped_years_again_changes_nothing(db: None) -> None:
    before = calendar()
    total = sum(SHIPPED.values())
    assert f"0 added, 0 changed, {total} unchanged." in load()
    assert f"0 added, 0 changed, {total} unchanged." in load()
    assert calendar() == before


def test_it_restores_the_official_rows_and_the_clocks_see_them_at_once(db: None) -> None:
    Holiday.objects.filter(date__in=[dt.date(2026, 2, 16), dt.date(2026, 2, 17)]).delete()
    Holiday.objects.filter(date=dt.date(2026, 2, 14)).update(is_workday=False)
    assert clock.is_workday(dt.date(2026, 2, 16))  # cached without the row
    local_day = Holiday.objects.create(date=dt.date(2026, 3, 2), name="本街道活动日")

    assert f"2 added, 1 changed, {sum(SHIPPED.values()) - 3} unchanged." in load()

    assert not clock.is_workday(dt.date(2026, 2, 16))
    assert clock.is_workday(dt.date(2026, 2, 14))
    assert Holiday.objects.get(date=dt.date(2026, 2, 17)).name == "春节"
    assert Holiday.objects.filter(pk=local_day.pk).exists()  # rows not in the files stay


def test_a_file_given_loads_only_that_file(db: None, tmp_path: Path) -> None:
    path = csv_file(tmp_path, "2026-12-07,off,本街道活动日", "2026-12-12,workday,补班")
    assert "2 added, 0 changed, 0 unchanged." in load(path)
    assert "0 added, 0 changed, 2 unchanged." in load(path)
    assert Holiday.objects.get(date=dt.date(2026, 12, 12)).is_workday
    assert Holiday.objects.count() == sum(SHIPPED.values()) + 2


def test_a_bad_file_names_each_row_and_column_and_writes_nothing(db: None, tmp_path: Path) -> None:
    before = calendar()
    path = csv_file(
        tmp_path,
        "2026-12-07,off,本街道活动日",  # line 3, good
        "2026-13-01,off,十三月",  # line 4
        "2026-12-14,holiday,休息",  # line 5
        "2026-12-21,off",  # line 6
        "2026-02-16,off," + "长" * 40,  # line 7
    )
    err, summary = load_refused(path)
    assert "local.csv row 4, column date: Not a date" in err
    assert "local.csv row 5, column kind: The kind is “holiday”; write off or workday." in err
    assert "local.csv row 6: The row needs three columns" in err
    assert "local.csv row 7, column name: The name is longer than 32 characters." in err
    assert "4 problem(s); nothing was written." in summary
    assert calendar() == before


def test_a_date_twice_with_different_kinds_is_refused(db: None, tmp_path: Path) -> None:
    before = calendar()
    path = csv_file(
        tmp_path, "2026-12-07,off,活动日", "2026-12-08,off,活动日", "2026-12-07,workday,"
    )
    err, _summary = load_refused(path)
    assert (
        "local.csv row 5, column date: The same date is on row 3 of local.csv as the other kind."
    ) in err
    assert calendar() == before


def test_a_file_that_contradicts_a_shipped_year_is_refused_with_both(
    db: None, tmp_path: Path
) -> None:
    before = calendar()
    shipped = Path(clock.__file__).parent / "data" / "holidays-2026.csv"
    path = csv_file(tmp_path, "2026-02-14,off,春节")
    err, _summary = load_refused(shipped, path)
    assert "local.csv row 3, column date: The same date is on row 9 of holidays-2026.csv" in err
    assert calendar() == before


def test_a_wrong_header_or_an_unreadable_file_is_refused(db: None, tmp_path: Path) -> None:
    before = calendar()
    path = tmp_path / "bad.csv"
    path.write_text("日期,类型,名称\n2026-12-07,off,活动日\n", encoding="utf-8")
    err, _summary = load_refused(path)
    assert "bad.csv row 1: The header must be date,kind,name." in err
    _err, summary = load_refused(tmp_path / "missing.csv")
    assert "Cannot read" in summary and "missing.csv" in summary
    assert calendar() == before


# -- the admin ------------------------------------------------------------------------------


def keeper(user: User, *codenames: str) -> User:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="cases", codename__in=codenames)
    )
    return user


def test_an_official_reads_the_calendar_a_year_at_a_time(leader: User) -> None:
    c = client_for(keeper(leader, "view_holiday"))
    page = c.get("/admin/cases/holiday/?date__year=2026").content.decode()
    assert page.count('class="field-weekday"') == SHIPPED[2026]
    assert "2026年2月14日" in page and "春节调休上班" in page
    assert "国庆节、中秋节" not in page  # 2025's name for its combined holiday
    assert c.post("/admin/cases/holiday/add/", {"date": "2026-12-07"}).status_code == 403
    assert not Holiday.objects.filter(date=dt.date(2026, 12, 7)).exists()


def test_an_official_with_the_permission_fixes_a_row_and_the_clocks_follow(
    leader: User, django_capture_on_commit_callbacks: Any
) -> None:
    c = client_for(keeper(leader, "view_holiday", "change_holiday"))
    saturday = Holiday.objects.get(date=dt.date(2026, 2, 28))
    assert clock.is_workday(saturday.date)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            f"/admin/cases/holiday/{saturday.pk}/change/",
            {"date": "2026-02-28", "name": "本街道不调休"},  # is_workday unticked
        )
    assert r.status_code == 302
    saturday.refresh_from_db()
    assert (saturday.is_workday, saturday.name) == (False, "本街道不调休")
    assert not clock.is_workday(saturday.date)


def test_staff_without_the_permission_do_not_see_the_calendar(official: User) -> None:
    c = client_for(keeper(official))
    assert c.get("/admin/cases/holiday/").status_code == 403
    assert c.post("/admin/cases/holiday/add/", {"date": "2026-12-07"}).status_code == 403
    assert not Holiday.objects.filter(date=dt.date(2026, 12, 7)).exists()
