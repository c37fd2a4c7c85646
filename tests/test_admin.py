from __future__ import annotations

from finegrid.accounts.models import User
from finegrid.grids import services
from tests.conftest import Net, client_for


def _staff(user: User) -> User:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="grids"))
    return user


def test_the_admin_grid_list_is_scoped_to_the_officials_community(official: User, net: Net) -> None:
    page = client_for(_staff(official)).get("/admin/grids/grid/").content.decode()
    assert "锦丰1-1微网格" in page
    assert "高堆1-1微网格" not in page


def test_the_admin_refuses_a_neighbouring_grids_change_page(official: User, net: Net) -> None:
    c = client_for(_staff(official))
    assert c.get(f"/admin/grids/grid/{net.m1.pk}/change/").status_code == 200
    # the admin answers a grid outside the queryset by redirecting away with a "doesn't exist"
    r = c.get(f"/admin/grids/grid/{net.m3.pk}/change/")
    assert r.status_code == 302


def test_the_admin_household_list_is_scoped(official: User, net: Net) -> None:
    services.household_create(address="锦丰新城1栋", micro_grid=net.m1)
    services.household_create(address="高堆小区9栋", micro_grid=net.m3)
    page = client_for(_staff(official)).get("/admin/grids/household/").content.decode()
    assert "锦丰新城1栋" in page
    assert "高堆小区9栋" not in page
