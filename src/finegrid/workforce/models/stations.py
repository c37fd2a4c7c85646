"""What a service station (微网之家) offers besides its duty roster: the services it hosts, the
visiting services that come on set weekdays (家庭医生 Tuesday and Friday), and its rooms, booked
for residents' meetings (居民议事).

The station itself, its opening hours and its shifts live in ``duty``; a visiting service makes
``VISITING`` shifts there, so that the station's calendar and "on duty now" read one table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from finegrid.core.labels import in_language
from finegrid.core.models import BaseModel
from finegrid.workforce.models.duty import Station


class StationService(models.TextChoices):
    RECEPTION = "reception", _("Reception of residents")
    MEETINGS = "meetings", _("Residents' meetings")
    FAMILY_DOCTOR = "family_doctor", _("Family-doctor sessions")
    LEGAL_AID = "legal_aid", _("Legal aid")
    COUNSELLING = "counselling", _("Counselling")


class VisitingService(BaseModel):
    """A service that comes to the station on set weekdays (0 Monday … 6 Sunday) at set hours,
    given by one person (the family doctor of the team)."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="visiting", verbose_name=_("station")
    )
    service = models.CharField(_("service"), max_length=32, choices=StationService.choices)
    weekdays = models.JSONField(_("weekdays"), default=list)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("visiting service")
        verbose_name_plural = _("visiting services")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="visiting_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.get_service_display()}"


class Room(BaseModel):
    """A room of a station that residents book for meetings. Bookings lock its row, so that two
    overlapping requests at the same moment cannot both succeed."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("station")
    )
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats"), default=10)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["station", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)


class Booking(BaseModel):
    """A room taken from ``starts_at`` to ``ends_at``. A cancelled booking frees its slot and
    stays for the record."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("room")
    )
    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("station")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField(_("purpose"), max_length=100)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("booked by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["room", "starts_at"], name="booking_room_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.room} · {self.starts_at:%Y-%m-%d %H:%M}"
