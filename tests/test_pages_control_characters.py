"""Page forms refuse control characters beside the field, as the API does, and write nothing."""

from __future__ import annotations

import importlib
import pkgutil
import uuid

from django import forms

import finegrid
from finegrid.accounts.models import User
from finegrid.cases.models import Case
from finegrid.core.forms import Form
from finegrid.registry.models import Person
from tests.conftest import Net, client_for
from tests.registry.helpers import home_in


def _english(user: User) -> object:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def test_a_name_with_a_control_character_is_refused_beside_the_field(
    net: Net, worker: User
) -> None:
    home = home_in(net.m1)
    response = _english(worker).post(  # type: ignore[attr-defined]
        f"/registry/households/{home.pk}/people/",
        {
            "name": "张\x1b三",
            "document_type": "none",
            "residence_status": "registered",
            "relation": "child",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-field="name"' in body
    assert "Name contains a control character (U+001B at position 2)" in body
    assert not Person.objects.exists()


def test_a_report_with_a_control_character_in_its_description_is_refused(
    net: Net, worker: User
) -> None:
    response = client_for(worker).post(
        "/cases/new/",
        {
            "category": "sanitation",
            "description": "楼道\x07堆放杂物",
            "lat": "30.01",
            "lng": "104.005",
            "urgency": "normal",
            "source": "micro_worker",
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "含有无法保存的控制字符（第 3 个字符 U+0007）" in body
    assert Case.objects.count() == 0


def test_a_line_break_in_a_one_line_field_is_refused(net: Net, worker: User) -> None:
    home = home_in(net.m1)
    response = client_for(worker).post(
        f"/registry/households/{home.pk}/people/",
        {
            "name": "张三",
            "occupation": "教师\n退休",
            "document_type": "none",
            "residence_status": "registered",
            "relation": "child",
        },
    )
    assert response.status_code == 422
    assert "只能填一行" in response.content.decode()
    assert not Person.objects.exists()


def test_long_text_from_a_browser_is_stored_with_plain_line_breaks(net: Net, worker: User) -> None:
    home = home_in(net.m1)
    response = client_for(worker).post(
        f"/registry/households/{home.pk}/people/",
        {
            "name": "张三",
            "notes": "独居\r\n需每周走访",
            "document_type": "none",
            "residence_status": "registered",
            "relation": "child",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get().notes == "独居\n需每周走访"


def test_every_page_form_checks_its_text() -> None:
    for module in pkgutil.walk_packages(finegrid.__path__, "finegrid."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        return [c for s in cls.__subclasses__() for c in (s, *subclasses(s))]

    ours = [
        c for c in subclasses(forms.Form) if c.__module__.startswith("finegrid.") and c is not Form
    ]
    assert len(ours) > 20
    assert [c.__qualname__ for c in ours if not issubclass(c, Form)] == []
