"""The demo street's service stations: one per community, open Monday–Friday 9:00–17:00, with
this month's duty roster among its grid heads. The first community's (锦丰's when the street has
it) is 怡丽佳苑's, where the family doctors come on Tuesday and Friday (seeds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from finegrid.accounts.models import User
from finegrid.core.errors import InvalidInput
from finegrid.grids.models import Grid, Level
from finegrid.workforce.models import Room, Station, StationService, VisitingService, Worker
from finegrid.workforce.models.workers import Origin
from finegrid.workforce.services_shifts import shifts_create_many
from finegrid.workforce.services_stations import roster_specs, station_heads

HOURS = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)]
SERVICES = [StationService.RECEPTION, StationService.MEETINGS, StationService.LEGAL_AID]


def _doctor() -> Any:
    worker = Worker.objects.filter(origin=Origin.FAMILY_DOCTOR).select_related("user").first()
    if worker is not None:
        return worker.user
    user, _created = User.objects.get_or_create(
        username="family-doctor", defaults={"display_name": "刘医生"}
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _write(station: Station, year: int, month: int, since: dt.date) -> int:
    heads = station_heads(station)
    if not heads:
        return 0
    visits = list(VisitingService.objects.filter(station=station))
    specs = roster_specs(station, year, month, heads, visits, since=since)
    try:
        return len(shifts_create_many(specs=specs))
    except InvalidInput as exc:
        # a grid head already on another shift (a community duty seeded first) keeps that one
        bad = {p.row for p in exc.problems if isinstance(p.row, int)}
        kept = [s for i, s in enumerate(specs, start=1) if i not in bad]
        try:
            return len(shifts_create_many(specs=kept))
        except InvalidInput:
            return 0


def seed_stations(scale_name: str, seed_value: int) -> dict[str, int]:
    communities = list(Grid.objects.filter(level=Level.COMMUNITY).order_by("path"))
    if not communities:
        return {}
    first = next((c for c in communities if "锦丰" in c.name), communities[0])
    today = timezone.localdate()
    since = today.replace(day=1)
    shifts = 0
    for community in communities:
        yili = community.pk == first.pk
        station = Station(
            name="怡丽佳苑微网实格服务站" if yili else f"{community.name}微网之家",
            name_en="Yilijiayuan micro-grid station" if yili else "",
            grid=community,
            address="怡丽佳苑小区3栋架空层" if yili else f"{community.name}党群服务中心",
            lat=community.center_lat,
            lng=community.center_lng,
            phone="",
            hours=HOURS,
            services=[*SERVICES, StationService.FAMILY_DOCTOR] if yili else SERVICES,
        )
        station.save()
        Room.objects.create(station=station, name="议事室", name_en="Meeting room", capacity=20)
        if yili:
            VisitingService.objects.create(
                station=station,
                service=StationService.FAMILY_DOCTOR,
                weekdays=[1, 4],
                start=dt.time(9, 0),
                end=dt.time(12, 0),
                person=_doctor(),
            )
        shifts += _write(station, today.year, today.month, since)
    return {"stations": len(communities), "station_shifts": shifts}
