"""The one table of moves (workflow.MOVES) that the services, the permissions, the case page and
the API read: they agree with it, and a move writes only what it changed."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import FINAL_STATUSES, Case, CaseEvent, Status
from finegrid.cases.views import BUTTONS
from finegrid.cases.views_moves import PAGE_MOVES
from finegrid.cases.workflow import MOVES, Action, Over
from tests.cases.helpers import report
from tests.conftest import Net, client_for


def test_every_button_of_the_case_page_is_a_move_of_the_table_with_its_form_and_service() -> None:
    assert set(PAGE_MOVES) == set(BUTTONS)
    assert set(BUTTONS) == {a for a, m in MOVES.items() if m.over is not Over.NO_ONE}
    # a move that changes the status says so in a refusal ("cannot resolve a case that is …")
    assert all(m.verb is not None for a, m in MOVES.items() if m.to and m.over is not Over.NO_ONE)


def test_a_case_that_has_ended_cannot_be_supervised_through_the_api(
    net: Net, worker: User, gridhead: User, official: User
) -> None:
    case = report(worker)
    case = services.case_reject(actor=gridhead, case=case, reason="不属于受理范围")
    assert case.status in FINAL_STATUSES
    r = client_for(official).post(
        f"/api/v1/cases/{case.pk}/supervise",
        {"supervisor": "official"},
        content_type="application/json",
    )
    assert r.status_code == 409 and r.json()["field"] == "status"
    assert r.json()["message"] and r.json()["message_en"]
    assert Case.objects.get(pk=case.pk).supervisor_id is None
    assert not CaseEvent.objects.filter(action=Action.SUPERVISE).exists()


def test_an_open_case_is_supervised_as_before(net: Net, worker: User, official: User) -> None:
    case = report(worker)
    r = client_for(official).post(
        f"/api/v1/cases/{case.pk}/supervise",
        {"supervisor": "official"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["supervisor"]["id"] == official.pk
    assert Case.objects.get(pk=case.pk).supervisor_id == official.pk


def _case_updates(queries: list[dict[str, str]]) -> list[str]:
    table = Case._meta.db_table
    return [q["sql"] for q in queries if q["sql"].startswith(f'UPDATE "{table}"')]


def test_a_move_writes_only_the_fields_it_changed(net: Net, worker: User, gridhead: User) -> None:
    case = report(worker)
    with CaptureQueriesContext(connection) as ctx:
        services.case_accept(actor=gridhead, case=case, track="coordinate")
    (update,) = _case_updates(ctx.captured_queries)
    for written in ("status", "colour", "track", "resolve_due", "accepted_at", "escalate_at"):
        assert f'"{written}"' in update, written
    # what the move did not touch is not written back from a copy read before the lock
    for untouched in ("description", "reporter_name", "photos", "assignee_id", "number"):
        assert f'"{untouched}"' not in update, untouched
    case.refresh_from_db()
    assert (case.status, case.track) == (Status.ACCEPTED, "coordinate")
