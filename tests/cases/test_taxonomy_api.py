"""The taxonomy through /api/v1/cases/categories and /api/v1/cases/departments."""

from __future__ import annotations

from finegrid.accounts.models import User
from finegrid.cases.models import Category, Department, TaxonomyState
from finegrid.core.models import AuditEvent
from tests.cases.helpers import department_user, report
from tests.cases.taxonomy_helpers import NEW_CATEGORY, send
from tests.conftest import Net, client_for

CATEGORIES = "/api/v1/cases/categories"
DEPARTMENTS = "/api/v1/cases/departments"


def test_the_street_leader_adds_a_category_under_a_parent(leader: User) -> None:
    r = send(client_for(leader), "post", CATEGORIES, NEW_CATEGORY)
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["code"], body["name_en"], body["parent"]) == (
        "noise",
        "Noise nuisance",
        "sanitation",
    )
    assert body["department"] == "environment" and body["case_count"] == 0
    made = Category.objects.get(code="noise")
    assert made.parent is not None and made.parent.code == "sanitation"
    assert made.resolve_minutes("coordinate") == 960
    audit = AuditEvent.objects.get(target_type="category", target_id=str(made.pk))
    assert audit.actor == leader and audit.action == "create"
    assert TaxonomyState.objects.get(pk=1).generation == 1


def test_every_bad_field_is_named_in_both_languages_and_nothing_is_written(leader: User) -> None:
    bad = {
        **NEW_CATEGORY,
        "code": "Noise!",
        "name_en": "噪声",
        "parent": "nothing",
        "accept_minutes": 0,
        "default_track": "soon",
    }
    r = send(client_for(leader), "post", CATEGORIES, bad)
    assert r.status_code == 422
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert set(errors) == {"code", "name_en", "parent", "accept_minutes", "default_track"}
    assert errors["accept_minutes"]["message"] == "时限须为 1 至 527040 之间的整数分钟。"
    assert errors["accept_minutes"]["message_en"] == (
        "A clock is a whole number of minutes from 1 to 527040."
    )
    assert errors["parent"]["message_en"] == "No such category."
    assert not Category.objects.filter(code__in=["Noise!", "noise"]).exists()
    assert not AuditEvent.objects.filter(target_type="category").exists()


def test_a_category_cannot_sit_under_its_own_subcategory(leader: User) -> None:
    client = client_for(leader)
    assert send(client, "post", CATEGORIES, NEW_CATEGORY).status_code == 201
    r = send(client, "patch", f"{CATEGORIES}/sanitation", {"parent": "noise"})
    assert r.status_code == 422 and r.json()["field"] == "parent"
    assert r.json()["message_en"] == "A category cannot sit under itself or its subcategories."
    assert Category.objects.get(code="sanitation").parent is None


def test_a_change_keeps_the_code_and_counts_in_the_audit(leader: User) -> None:
    r = send(
        client_for(leader),
        "patch",
        f"{CATEGORIES}/gas",
        {"accept_minutes": 10, "name_en": "Gas leak", "department": "fire"},
    )
    assert r.status_code == 200, r.json()
    assert (r.json()["accept_minutes"], r.json()["label"]) == (10, "燃气")
    gas = Category.objects.get(code="gas")
    assert (gas.accept_minutes, gas.name_en, gas.department.code) == (10, "Gas leak", "fire")
    audit = AuditEvent.objects.get(target_type="category", action="update")
    assert audit.fields == ["accept_minutes", "department", "name_en"]


def test_a_category_in_use_is_deactivated_not_deleted(leader: User, worker: User) -> None:
    case = report(worker, category="dispute")
    client = client_for(leader)
    r = client.delete(f"{CATEGORIES}/dispute")
    assert r.status_code == 422 and r.json()["field"] == "code"
    assert r.json()["message_en"] == "The category is in use: deactivate it instead of deleting it."
    r = client.post(f"{CATEGORIES}/dispute/deactivate")
    assert r.status_code == 200 and r.json()["active"] is False
    case.refresh_from_db()
    assert case.category.code == "dispute" and not case.category.active
    listed = [c["code"] for c in client_for(worker).get(CATEGORIES).json()]
    assert "dispute" not in listed and "sanitation" in listed


def test_an_unused_category_may_be_deleted(leader: User) -> None:
    client = client_for(leader)
    send(client, "post", CATEGORIES, NEW_CATEGORY)
    assert client.delete(f"{CATEGORIES}/noise").status_code == 204
    assert not Category.objects.filter(code="noise").exists()
    assert AuditEvent.objects.filter(target_type="category", action="delete").exists()


def test_a_parent_with_active_subcategories_is_not_deactivated(leader: User) -> None:
    client = client_for(leader)
    send(client, "post", CATEGORIES, NEW_CATEGORY)
    r = client.post(f"{CATEGORIES}/sanitation/deactivate")
    assert r.status_code == 422 and r.json()["field"] == "active"
    assert "noise" in r.json()["message_en"]
    assert Category.objects.get(code="sanitation").active


def test_anyone_signed_in_reads_the_categories_in_both_languages(resident: User) -> None:
    body = client_for(resident).get(CATEGORIES).json()
    gas = next(c for c in body if c["code"] == "gas")
    assert (gas["name"], gas["name_en"], gas["label"]) == ("燃气", "Gas safety", "燃气")
    english = client_for(resident)
    english.cookies["django_language"] = "en"
    gas = next(c for c in english.get(CATEGORIES).json() if c["code"] == "gas")
    assert gas["label"] == "Gas safety"


def test_others_may_not_change_the_taxonomy(
    official: User, worker: User, resident: User, dept: User
) -> None:
    for user in (official, worker, resident, dept):
        client = client_for(user)
        assert send(client, "post", CATEGORIES, NEW_CATEGORY).status_code == 403
        assert send(client, "patch", f"{CATEGORIES}/gas", {"accept_minutes": 1}).status_code == 403
        assert client.post(f"{DEPARTMENTS}/police/deactivate").status_code == 403
        assert client.get(f"{CATEGORIES}?all=true").status_code == 403
    assert not Category.objects.filter(code="noise").exists()
    assert Category.objects.get(code="gas").accept_minutes == 15
    assert Department.objects.get(code="police").active
    assert client_for(None).get(CATEGORIES).status_code == 401


def test_the_street_leader_keeps_a_department_and_its_staff(leader: User, net: Net) -> None:
    staff = department_user(net.street, code="police", username="pc")
    body = {
        "code": "water",
        "name": "水务所",
        "name_en": "Water office",
        "phone": "028-8888 0000",
        "report_in_minutes": 45,
        "resolve_minutes": 960,
        "staff": [staff.pk],
    }
    client = client_for(leader)
    r = send(client, "post", DEPARTMENTS, body)
    assert r.status_code == 201, r.json()
    assert r.json()["staff"] == [{"id": staff.pk, "name": "城管王队"}]
    water = Department.objects.get(code="water")
    assert list(water.staff.all()) == [staff] and water.report_in_minutes == 45
    r = send(client, "patch", f"{DEPARTMENTS}/water", {"staff": [], "report_in_minutes": -5})
    assert r.status_code == 422 and r.json()["field"] == "report_in_minutes"
    assert list(water.staff.all()) == [staff]
    r = send(client, "patch", f"{DEPARTMENTS}/water", {"staff": []})
    assert r.status_code == 200 and r.json()["staff"] == []
    assert not water.staff.exists()
    assert AuditEvent.objects.filter(target_type="department", action="update").get().fields == [
        "staff"
    ]


def test_only_department_staff_may_be_put_on_a_department(leader: User, worker: User) -> None:
    r = send(client_for(leader), "patch", f"{DEPARTMENTS}/police", {"staff": [worker.pk]})
    assert r.status_code == 422 and r.json()["field"] == "staff"
    assert "department staff role" in r.json()["message_en"]
    assert not Department.objects.get(code="police").staff.exists()


def test_a_deactivated_department_can_no_longer_be_whistled(
    leader: User, worker: User, gridhead: User
) -> None:
    case = report(worker)
    assert client_for(leader).post(f"{DEPARTMENTS}/police/deactivate").status_code == 200
    gridhead_client = client_for(gridhead)
    gridhead_client.post(f"/api/v1/cases/{case.pk}/accept", "{}", content_type="application/json")
    r = send(gridhead_client, "post", f"/api/v1/cases/{case.pk}/whistle", {"department": "police"})
    assert r.status_code == 422 and r.json()["message_en"] == "The department is deactivated."
    assert not case.whistles.exists()
    listed = [d["code"] for d in gridhead_client.get(DEPARTMENTS).json()]
    assert "police" not in listed and "chengguan" in listed
