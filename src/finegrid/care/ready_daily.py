"""What daily care and the meal rounds add to the shared registries, called once from
``CareConfig.ready()``: their periodic jobs and the links of their notifications. (The worker's
home shows their alerts among its unread notices; no card of its own, which would cost the home
page a query each.)"""

from __future__ import annotations

from django.urls import reverse


def register_daily() -> None:
    from finegrid.care import services_daily, services_meals
    from finegrid.core import periodic
    from finegrid.notifications import subjects

    # a door nobody opened has a 15-minute clock: looked at every 5 s, it fires within seconds
    periodic.register("care-welfare", 5, services_meals.welfare_sweep)
    # missed contacts fall due at a set hour of the day: once a minute is on time
    periodic.register("care-quiet", 60, services_daily.contacts_sweep)
    # new care tags, ended ones, moves and deaths reach the watches within ten minutes
    periodic.register("care-watches", 600, services_daily.watches_sync_all)

    subjects.register("care.quiet", lambda code: reverse("care:quiet") + f"?grid={code}")
    subjects.register("care.welfare", lambda pk: reverse("care:welfare", args=[pk]))

    from finegrid.grids import landing

    # a rider or volunteer with no duties of the net lands on today's round
    landing.register(deliverer_landing)


def deliverer_landing(user: object) -> str | None:
    from finegrid.accounts.jurisdiction import user_roles
    from finegrid.care.models import MealSubscription

    if not getattr(user, "is_authenticated", False) or user_roles(user):
        return None
    routed = MealSubscription.objects.filter(deliverer_id=getattr(user, "pk", None))
    return reverse("care:meal_round") if routed.filter(ended_at__isnull=True).exists() else None
