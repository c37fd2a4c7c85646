"""The case page: facts, trace and the buttons the viewer may use now; each action through it."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Case, Department, Status, Whistle, WhistleStatus
from tests.cases.helpers import department_user, report, staff_net
from tests.conftest import Net, client_for


def english(user: User | None) -> Any:
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def _buttons(body: str) -> set[str]:
    import re

    return set(re.findall(r'class="fg-act-item" data-action="([a-z_]+)"', body))


@pytest.mark.usefixtures("at_monday_10")
def test_the_case_page_shows_facts_trace_and_the_grid_heads_buttons(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    case = report(worker, reporter_phone="13912345678")
    response = english(gridhead).get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert case.number in body and net.m1.name in body and net.g1.name in body
    assert "139****5678" in body and "13912345678" not in body
    assert "2026-11-23 10:00" in body  # reported at, Asia/Shanghai
    assert 'data-action="report"' in body
    assert _buttons(body) == {"accept", "progress", "reject", "merge", "escalate"}


def test_the_neighbour_gets_404_for_a_case_in_another_micro_grid(
    net: Net, worker: User, neighbour: User
) -> None:
    case = report(worker)
    assert client_for(neighbour).get(f"/cases/{case.pk}/").status_code == 404
    response = client_for(neighbour).post(f"/cases/{case.pk}/act/accept/", {"track": "now"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.REPORTED


def test_accept_with_a_track_then_dispatch_to_a_worker_of_the_grid(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    case = report(worker)
    client = english(gridhead)
    response = client.post(f"/cases/{case.pk}/act/accept/", {"track": "coordinate"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.track) == (Status.ACCEPTED, "coordinate")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert {"dispatch", "whistle", "resolve"} <= _buttons(page)
    assert f'<option value="{worker.pk}">' in page  # the micro-grid's worker is a handler
    response = client.post(f"/cases/{case.pk}/act/dispatch/", {"assignee": worker.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Status.DISPATCHED, worker)


def test_an_htmx_action_answers_the_refreshed_case_fragment(
    net: Net, worker: User, gridhead: User
) -> None:
    case = report(worker)
    response = english(gridhead).post(
        f"/cases/{case.pk}/act/accept/", {"track": "now"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="case-main"') and "Done: Accept." in body
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_a_missing_reason_is_shown_beside_the_field(net: Net, worker: User, gridhead: User) -> None:
    case = report(worker)
    response = english(gridhead).post(f"/cases/{case.pk}/act/reject/", {"reason": ""})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'fg-field--error" data-field="reason"' in body and "Give a reason." in body
    case.refresh_from_db()
    assert case.status == Status.REPORTED


def test_an_illegal_transition_shows_the_409_message(
    net: Net, worker: User, gridhead: User
) -> None:
    case = report(worker)
    response = english(gridhead).post(f"/cases/{case.pk}/act/start/", {"note": ""})
    assert response.status_code == 409
    assert "is not possible for a case that is" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.REPORTED


def test_the_assigned_worker_starts_progresses_and_resolves(
    net: Net, worker: User, gridhead: User
) -> None:
    staff_net(net, worker, gridhead)
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    services.case_dispatch(actor=gridhead, case=case, assignee=worker)
    client = english(worker)
    assert client.post(f"/cases/{case.pk}/act/start/", {"note": ""}).status_code == 302
    assert client.post(f"/cases/{case.pk}/act/progress/", {"note": "到场"}).status_code == 302
    assert client.post(f"/cases/{case.pk}/act/resolve/", {"note": "已清理"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEEDBACK  # the reporter is asked
    actions = list(case.events.order_by("id").values_list("action", flat=True))
    assert actions[-4:] == ["start", "progress", "resolve", "request_feedback"]


def test_a_resolve_with_a_photo_keeps_it_in_the_trace(
    net: Net, worker: User, gridhead: User, settings: Any, tmp_path: Any
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 20, 20)).save(buf, format="PNG")
    photo = SimpleUploadedFile("a.png", buf.getvalue(), content_type="image/png")
    response = english(gridhead).post(
        f"/cases/{case.pk}/act/resolve/", {"note": "已处理", "photos": [photo]}
    )
    assert response.status_code == 302
    event = case.events.get(action="resolve")
    assert len(event.photos) == 1 and event.photos[0]["url"].startswith("/api/v1/cases/photos/")
    page = english(gridhead).get(f"/cases/{case.pk}/").content.decode()
    assert event.photos[0]["url"] in page


def test_a_file_that_is_no_image_is_refused_beside_the_photos_field(
    net: Net, worker: User, gridhead: User, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    bad = SimpleUploadedFile("a.png", b"not an image", content_type="image/png")
    response = english(gridhead).post(
        f"/cases/{case.pk}/act/resolve/", {"note": "已处理", "photos": [bad]}
    )
    assert response.status_code == 422
    assert 'fg-field--error" data-field="photos"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_the_department_reports_in_and_resolves_from_the_case_page(
    net: Net, worker: User, gridhead: User, resident: User
) -> None:
    staff_net(net, worker, gridhead)
    dept = department_user(net.street)
    case = report(resident, source="resident")
    services.case_accept(actor=gridhead, case=case)
    chengguan = Department.objects.get(code="chengguan")
    response = english(gridhead).post(
        f"/cases/{case.pk}/act/whistle/", {"department": chengguan.pk, "note": "请城管到场"}
    )
    assert response.status_code == 302
    client = english(dept)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert _buttons(page) == {"report_in"}
    assert f'data-number="{case.number}"' in client.get("/cases/department/").content.decode()
    form = {"department": chengguan.pk, "note": "已到场"}
    assert client.post(f"/cases/{case.pk}/act/report_in/", form).status_code == 302
    assert _buttons(client.get(f"/cases/{case.pk}/").content.decode()) == {"dept_resolve"}
    form["note"] = "已清理"
    assert client.post(f"/cases/{case.pk}/act/dept_resolve/", form).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.AWAITING_FEEDBACK
    assert Whistle.objects.get().status == WhistleStatus.RESOLVED


def test_a_department_user_of_another_department_cannot_report_in(
    net: Net, worker: User, gridhead: User
) -> None:
    case = report(worker)
    services.case_accept(actor=gridhead, case=case)
    services.case_whistle(
        actor=gridhead, case=case, department=Department.objects.get(code="chengguan")
    )
    police = department_user(net.street, code="police", username="pc")
    page = client_for(police).get(f"/cases/{case.pk}/").content.decode()
    assert _buttons(page) == set()
    chengguan = Department.objects.get(code="chengguan")
    response = client_for(police).post(
        f"/cases/{case.pk}/act/report_in/", {"department": chengguan.pk}
    )
    assert response.status_code == 422  # not one of the user's departments
    assert Whistle.objects.get().status == WhistleStatus.WHISTLED


def test_merge_into_a_duplicate_offered_on_the_page(net: Net, worker: User, gridhead: User) -> None:
    first = report(worker)
    second = report(worker, lng=104.0051)
    client = english(gridhead)
    page = client.get(f"/cases/{second.pk}/").content.decode()
    assert 'id="duplicates"' in page and first.number in page
    response = client.post(f"/cases/{second.pk}/act/merge/", {"into": first.number})
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.merged_into) == (Status.MERGED, first)


def test_merge_into_an_unknown_number_is_refused(net: Net, worker: User, gridhead: User) -> None:
    case = report(worker)
    response = english(gridhead).post(f"/cases/{case.pk}/act/merge/", {"into": "19990101000001"})
    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).status == Status.REPORTED
