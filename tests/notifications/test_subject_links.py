"""A notice links to what it is about through the registry its app fills (cases: the case page,
or for the reporter the follow-up page); a notice whose link is gone stays readable."""

from __future__ import annotations

from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.notifications.models import Notification
from finegrid.notifications.services import notify
from tests.cases.helpers import report
from tests.conftest import client_for


def test_the_reporters_notice_opens_the_follow_up_page(gridhead: User, resident: User) -> None:
    case = report(resident, source="resident", now=timezone.now())
    services.case_accept(actor=gridhead, case=case, track="now")
    services.case_resolve(actor=gridhead, case=case, note="已处理")
    notice = Notification.objects.get(user=resident, kind="case.resolved")
    assert (notice.subject_kind, notice.subject_id) == ("case.follow", case.follow_code)
    r = client_for(resident).get(f"/notifications/{notice.pk}/open/")
    assert r.status_code == 302 and r["Location"] == f"/track/{case.follow_code}/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_of_an_unknown_kind_or_a_foreign_url_has_no_link(worker: User) -> None:
    notify(users=[worker], kind="test", title="Gone", subject=("retired.kind", 1))
    notify(users=[worker], kind="test", title="Odd id", subject=("case", "not-a-number"))
    notify(users=[worker], kind="test", title="Elsewhere", url="https://example.com/")
    items = client_for(worker).get("/api/v1/notifications").json()["items"]
    assert [(i["title"], i["link"]) for i in items] == [
        ("Elsewhere", ""),
        ("Odd id", ""),
        ("Gone", ""),
    ]
    page = client_for(worker).get("/notifications/").content.decode()
    assert "Odd id" in page and "/open/" not in page
    assert Notification.objects.filter(user=worker).count() == 3
