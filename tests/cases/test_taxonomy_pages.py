"""The taxonomy pages: the street leader keeps categories and departments; nobody else may."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.cases.models import Category, Department
from finegrid.core.models import AuditEvent
from tests.cases.helpers import department_user, report
from tests.cases.taxonomy_helpers import NEW_CATEGORY, neighbour_street, street_leader_of
from tests.conftest import Net, client_for, sent_home

FORM = {k: v for k, v in NEW_CATEGORY.items()} | {"active": "on"}


def english(user: User | None) -> Any:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_leader_lists_the_categories_in_a_constant_number_of_queries(
    leader: User, worker: User
) -> None:
    client = english(leader)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/cases/categories/").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(5):
        Category.objects.create(code=f"extra_{n}", name=f"类别{n}", name_en=f"Extra {n}")
        report(worker, category="gas")
    body = client.get("/cases/categories/").content.decode()
    assert 'data-code="extra_4"' in body and "Gas safety" in body and "燃气" not in body
    assert queries() == few


def test_the_leader_adds_a_category_on_the_page(leader: User) -> None:
    client = english(leader)
    page = client.get("/cases/categories/new/").content.decode()
    assert 'name="code"' in page and "novalidate" in page
    r = client.post("/cases/categories/new/", FORM)
    assert r.status_code == 302 and r["Location"] == "/cases/categories/"
    noise = Category.objects.get(code="noise")
    assert (noise.name_en, noise.parent.code, noise.department.code) == (
        "Noise nuisance",
        "sanitation",
        "environment",
    )
    assert AuditEvent.objects.filter(target_type="category", action="create").exists()
    assert "Noise nuisance" in client.get("/cases/categories/").content.decode()


def test_a_refused_form_names_each_field_in_the_page_language(leader: User) -> None:
    bad = FORM | {"code": "x", "accept_minutes": "0", "name_en": ""}
    r = english(leader).post("/cases/categories/new/", bad, HTTP_HX_REQUEST="true")
    assert r.status_code == 422
    body = r.content.decode()
    assert body.lstrip().startswith("<form")  # the htmx partial, not the whole page
    assert "The code must be 2 to 32 lowercase letters" in body
    assert "Fill in this field." in body
    r = client_for(leader).post("/cases/categories/new/", bad | {"name_en": "Noise"})
    assert "时限须为 1 至 527040 之间的整数分钟。" in r.content.decode()
    assert not Category.objects.filter(code="x").exists()


def test_the_leader_edits_clocks_and_routing_but_not_the_code(leader: User) -> None:
    client = english(leader)
    page = client.get("/cases/categories/gas/").content.decode()
    assert 'name="code"' not in page and 'value="15"' in page
    form = {
        "name": "燃气",
        "name_en": "Gas safety",
        "default_track": "now",
        "safety_critical": "on",
        "accept_minutes": "5",
        "resolve_minutes_now": "120",
        "resolve_minutes_coordinate": "720",
        "resolve_minutes_follow_up": "1440",
        "department": "fire",
        "active": "on",
    }
    r = client.post("/cases/categories/gas/", form, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and r["HX-Redirect"] == "/cases/categories/"
    gas = Category.objects.get(code="gas")
    assert (gas.accept_minutes, gas.resolve_minutes_now, gas.department.code) == (5, 120, "fire")


def test_the_whistle_form_offers_the_usual_department_first(
    leader: User, worker: User, gridhead: User
) -> None:
    Category.objects.filter(code="sanitation").update(
        department=Department.objects.get(code="health")
    )
    case = report(worker)
    client_for(gridhead).post(f"/cases/{case.pk}/act/accept/", {"track": "now"})
    page = english(gridhead).get(f"/cases/{case.pk}/").content.decode()
    health = Department.objects.get(code="health")
    assert f'<option value="{health.pk}" selected>Health office</option>' in page


def test_the_leader_deactivates_a_category_and_no_case_can_be_reported_under_it(
    leader: User, worker: User
) -> None:
    r = english(leader).post("/cases/categories/dispute/deactivate/", follow=True)
    assert "The category is deactivated" in r.content.decode()
    assert not Category.objects.get(code="dispute").active
    form = english(worker).get("/cases/new/").content.decode()
    assert 'value="dispute"' not in form and 'value="sanitation"' in form


def test_the_leader_puts_staff_on_a_department(leader: User, net: Net) -> None:
    staff = department_user(net.street, code="police", username="pc")
    client = english(leader)
    page = client.get("/cases/departments/chengguan/").content.decode()
    assert "City management enforcement" in page and f'value="{staff.pk}"' in page
    form = {
        "name": "城管执法中队",
        "name_en": "City management enforcement",
        "phone": "",
        "report_in_minutes": "20",
        "resolve_minutes": "1440",
        "staff": [str(staff.pk)],
        "active": "on",
    }
    r = client.post("/cases/departments/chengguan/", form)
    assert r.status_code == 302
    chengguan = Department.objects.get(code="chengguan")
    assert chengguan.report_in_minutes == 20 and staff in chengguan.staff.all()
    assert "城管王队" in client.get("/cases/departments/").content.decode()


def test_others_are_refused(official: User, worker: User, resident: User, dept: User) -> None:
    for user in (official, worker, resident, dept):
        client = client_for(user)

        def refused(response: Any, user: User = user) -> bool:
            # a resident is sent home rather than shown a 403 (the residents' middleware)
            return response.status_code == 403 or (user is resident and sent_home(response))

        for url in ("/cases/categories/", "/cases/categories/new/", "/cases/departments/"):
            assert refused(client.get(url)), (user, url)
        assert refused(client.post("/cases/categories/new/", FORM))
        assert refused(client.post("/cases/categories/gas/deactivate/"))
        assert refused(client.post("/cases/departments/police/deactivate/"))
    assert client_for(None).get("/cases/categories/").status_code == 302  # to the login page
    assert Category.objects.get(code="gas").active and Department.objects.get(code="police").active
    assert not Category.objects.filter(code="noise").exists()


def test_the_leader_of_one_street_among_several_is_refused(leader: User, net: Net) -> None:
    # The taxonomy serves every street: one street's leader may not change its neighbour's clocks.
    other = street_leader_of(neighbour_street())
    for user in (leader, other):
        client = client_for(user)
        assert client.get("/cases/categories/").status_code == 403
        assert client.post("/cases/categories/new/", FORM).status_code == 403
    assert not Category.objects.filter(code="noise").exists()


def test_the_queue_links_the_taxonomy_for_the_leader_only(leader: User, official: User) -> None:
    assert "/cases/categories/" in english(leader).get("/cases/").content.decode()
    assert "/cases/categories/" not in english(official).get("/cases/").content.decode()
