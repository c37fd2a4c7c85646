from __future__ import annotations

from finegrid.accounts.models import Role, RoleAssignment, User
from finegrid.registry import services
from tests.conftest import Net, client_for
from tests.registry.helpers import home_in, register


def _auditor(net: Net) -> User:
    user = User.objects.create_user(username="auditor", password="x" * 12, is_staff=True)
    RoleAssignment.objects.create(user=user, role=Role.AUDITOR, grid=net.street)
    return user


def test_an_auditor_reads_every_unmasking_in_the_admin_log(worker: User, net: Net) -> None:
    person = register(worker, home_in(net.m1), phone="13812345678")
    services.person_unmask(actor=worker, person=person, field_name="phone", reason="核实联系方式")
    page = client_for(_auditor(net)).get("/admin/core/auditevent/?action=unmask").content.decode()
    assert "核实联系方式" in page and "张三" in page


def test_the_log_cannot_be_edited_even_by_an_auditor(worker: User, net: Net) -> None:
    register(worker, home_in(net.m1))
    from finegrid.core.models import AuditEvent

    event = AuditEvent.objects.get()
    c = client_for(_auditor(net))
    r = c.post(f"/admin/core/auditevent/{event.pk}/change/", {"reason": "改"})
    assert r.status_code in (302, 403)
    assert c.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get().reason == ""


def test_staff_without_the_auditor_role_cannot_read_the_log(official: User, net: Net) -> None:
    official.is_staff = True
    official.save(update_fields=["is_staff"])
    assert client_for(official).get("/admin/core/auditevent/").status_code == 403
