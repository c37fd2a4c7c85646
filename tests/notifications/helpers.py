from __future__ import annotations

from typing import Any

from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.cases import services
from finegrid.cases.models import Case
from finegrid.notifications.models import Notification
from finegrid.notifications.services import notify
from tests.cases.helpers import report


def dispatched_to(worker: User, gridhead: User) -> Case:
    """A case the grid head accepts and dispatches to the worker: the worker's one notice."""
    case = report(worker, now=timezone.now())
    services.case_accept(actor=gridhead, case=case, track="now")
    services.case_dispatch(actor=gridhead, case=case, assignee=worker)
    return case


def notices(user: User, n: int, **kw: Any) -> None:
    for i in range(n):
        notify(
            users=[user],
            kind=kw.get("kind", "test"),
            title="Notice %(i)s",
            params={"i": i},
            subject=kw.get("subject"),
        )


def unread(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
