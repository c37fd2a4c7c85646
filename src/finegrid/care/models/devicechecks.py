"""A device that has gone quiet or is running flat: a task for the micro-grid worker to go and
look at it (docs/decisions/0033-enrolments-heartbeats-figures.md says why this is not a case).

At most one check is open per device (a partial unique constraint): the periodic sweep of every
server process may find the same silent device at the same moment, and only one of them opens it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel


class CheckReason(models.TextChoices):
    SILENT = "silent", _("No heartbeat")
    LOW_BATTERY = "low_battery", _("Low battery")


class CheckEnd(models.TextChoices):
    HEARTBEAT = "heartbeat", _("The device reported again")
    WORKER = "worker", _("Checked by the worker")
    GONE = "gone", _("Device revoked or enrolment ended")


class DeviceCheck(BaseModel):
    device = models.ForeignKey(
        "care.Device", on_delete=models.CASCADE, related_name="checks", verbose_name=_("device")
    )
    enrolment = models.ForeignKey(
        "care.Enrolment",
        on_delete=models.CASCADE,
        related_name="device_checks",
        verbose_name=_("enrolment"),
    )
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    # copy of the enrolment's path: the worker's list filters on it with no join
    grid_path = models.CharField(max_length=255, editable=False)
    reason = models.CharField(_("why"), max_length=12, choices=CheckReason.choices)
    opened_at = models.DateTimeField(_("opened at"))
    # what the device last said when the check was opened
    battery = models.PositiveSmallIntegerField(_("battery (%)"), null=True, blank=True)
    last_heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    end = models.CharField(_("how it ended"), max_length=10, choices=CheckEnd.choices, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("device check")
        verbose_name_plural = _("device checks")
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(closed_at__isnull=True),
                name="care_one_open_device_check",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(end=""),
                name="care_device_check_closed_says_how",
            ),
        ]
        indexes = [
            # the enrolment page's "devices to check": open checks under a grid, oldest first
            models.Index(
                fields=["grid_path", "opened_at"],
                condition=Q(closed_at__isnull=True),
                name="care_device_check_open",
            )
        ]

    def __str__(self) -> str:
        return f"check of device {self.device_id} ({self.reason})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
