"""The admin names django-tasks' pages, and the holidays, in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management import call_command

from finegrid.accounts.models import User
from finegrid.cases.holiday_names import english_holiday_name
from finegrid.cases.models import Holiday
from tests.conftest import client_for


def _root() -> User:
    return User.objects.create_superuser(username="root", password="x" * 12)


def test_the_task_backend_is_named_in_chinese(db: Any) -> None:
    client = client_for(_root())
    page = client.get("/admin/").content.decode()
    assert "后台任务" in page and "任务结果" in page
    assert "tasks database backend" not in page.lower() and "Task Results" not in page
    listing = client.get("/admin/django_tasks_database/dbtaskresult/")
    assert listing.status_code == 200 and "选择任务结果查看" in listing.content.decode()
    assert User.objects.filter(is_superuser=True).count() == 1


def test_the_official_holidays_carry_english_names(db: Any) -> None:
    # filled by the data migration for the shipped years
    assert not Holiday.objects.filter(name_en="").exclude(name="").exists()
    spring = Holiday.objects.get(date=dt.date(2026, 2, 17))
    assert (spring.name, spring.name_en) == ("春节", "Spring Festival")
    client = client_for(_root())
    client.cookies["django_language"] = "en"
    page = client.get("/admin/cases/holiday/?date__year=2026").content.decode()
    assert "Spring Festival" in page and "春节" not in page


def test_loading_a_year_writes_the_english_names(db: Any, tmp_path: Any) -> None:
    Holiday.objects.all().delete()
    year = tmp_path / "holidays-2030.csv"
    year.write_text(
        "date,kind,name\n2030-10-01,off,国庆节、中秋节\n2030-10-12,workday,国庆节调休上班\n",
        encoding="utf-8",
    )
    call_command("holidays_load", str(year), verbosity=0)
    names = dict(Holiday.objects.values_list("name", "name_en"))
    assert names == {
        "国庆节、中秋节": "National Day and Mid-Autumn Festival",
        "国庆节调休上班": "Working day in lieu (National Day)",
    }
    assert english_holiday_name("本街道自定") == ""
