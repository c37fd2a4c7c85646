"""Service stations (微网之家), shifts and leave: what "on duty now" reads.

A shift is a stretch of time a person answers for a grid (a station's grid, a community): the
station duty rotating among grid heads (驻点值班), the community duty officer, staggered and
extended hours (错时延时工作制), visiting services such as the family doctor. Leave takes a
person off every shift it overlaps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel


class Station(BaseModel):
    """A service station. ``hours`` is a list of ``{"weekday": 0–6 (Monday 0), "start": "HH:MM",
    "end": "HH:MM"}``; ``services`` a list of service codes."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid served")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    hours = models.JSONField(_("opening hours"), default=list, blank=True)
    services = models.JSONField(_("services"), default=list, blank=True)

    class Meta:
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.grid_path = self.grid.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ShiftKind(models.TextChoices):
    STATION_DUTY = "station_duty", _("Station duty")
    COMMUNITY_DUTY = "community_duty", _("Community duty officer")
    EXTENDED = "extended", _("Staggered or extended hours")
    VISITING = "visiting", _("Visiting service")


class Shift(BaseModel):
    """One person on duty for one grid from ``starts_at`` to ``ends_at`` (aware datetimes)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="shifts",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ShiftKind.choices)
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    station = models.ForeignKey(
        Station,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shifts",
        verbose_name=_("station"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    service = models.CharField(_("service"), max_length=32, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        indexes = [
            # on duty now: the shifts of a few grids that cover one moment
            models.Index(fields=["grid", "starts_at"], name="shift_grid_start"),
            models.Index(fields=["person", "starts_at"], name="shift_person_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} · {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.grid_path = self.grid.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Leave(BaseModel):
    """A person away (请假、休假): not called while it lasts, whatever shift they hold."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="leaves",
        verbose_name=_("person"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    reason = models.CharField(_("reason"), max_length=200)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    # who answers in the person's place while they are away (on duty now calls them instead)
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("substitute"),
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
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        indexes = [models.Index(fields=["person", "starts_at"], name="leave_person_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="leave_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.starts_at:%Y-%m-%d}"
