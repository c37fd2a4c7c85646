"""One code (一码报到): QR codes on places, and the check-ins made by scanning them.

A code names one place — a micro-grid, a building, a station or a patrol point — and carries a
signed payload (HMAC over kind, object and version). Rotating a place's code bumps ``version``
and so invalidates the payload printed before; revoking it sets ``revoked_at``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel


class PatrolPoint(BaseModel):
    """A place a patrol checks that is not a building or a station: a fire passage, a school
    gate (护学岗), a gas riser, a river bank."""

    name = models.CharField(_("name"), max_length=100)
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    kind = models.CharField(_("kind"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("patrol point")
        verbose_name_plural = _("patrol points")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.grid_path = self.micro_grid.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class CodeKind(models.TextChoices):
    MICRO_GRID = "micro", _("Micro-grid")
    BUILDING = "building", _("Building")
    STATION = "station", _("Service station")
    PATROL_POINT = "point", _("Patrol point")


class Code(BaseModel):
    """The code of one place. ``object_id`` is the id of the grid, building, station or patrol
    point; ``grid`` is the micro-grid (or grid) it lies in, for scoping; lat/lng is where a
    check-in is expected, copied from the place when the code is made."""

    kind = models.CharField(_("kind"), max_length=16, choices=CodeKind.choices)
    object_id = models.PositiveBigIntegerField(_("object"))
    name = models.CharField(_("name"), max_length=120)
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-in code")
        verbose_name_plural = _("check-in codes")
        constraints = [
            # one code per place; rotating changes its version, not its row
            models.UniqueConstraint(fields=["kind", "object_id"], name="code_one_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name} v{self.version}"


class Checkin(models.Model):
    """One scan of a code by a worker. Far or doubtful check-ins are kept and flagged for the
    grid head, never refused (a worker at the door with bad GPS is still at the door)."""

    worker = models.ForeignKey(
        "workforce.Worker",
        on_delete=models.PROTECT,
        related_name="checkins",
        verbose_name=_("worker"),
    )
    code = models.ForeignKey(
        Code, on_delete=models.PROTECT, related_name="checkins", verbose_name=_("code")
    )
    code_version = models.PositiveIntegerField(verbose_name=_("code version"))
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, verbose_name=_("grid path"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    distance_m = models.FloatField(_("distance (m)"), null=True, blank=True)
    flagged = models.BooleanField(_("flagged"), default=False)
    flag_reason = models.CharField(_("why flagged"), max_length=32, blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True, verbose_name=_("idempotency key"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at", "-id"]
        indexes = [
            # a grid head's list: the newest check-ins under a grid
            models.Index(fields=["grid_path", "at"], name="checkin_path_at"),
            # twice within minutes from far apart: the worker's latest check-in
            models.Index(fields=["worker", "at"], name="checkin_worker_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="checkin_idempotency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.code_id} {self.at:%Y-%m-%d %H:%M}"
