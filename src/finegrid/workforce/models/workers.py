"""Workers (网格员): a profile over a login, the grids it serves, and its lifecycle.

The lifecycle follows the entry-and-exit guideline (进入退出导则): applied → vetted → trained →
active → suspended → exited. Every move is a service call with a reason and leaves a
``WorkerEvent``; the profile's ``status`` is the latest of them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel


class WorkerType(models.TextChoices):
    GRID_WORKER = "grid_worker", _("Full-time grid worker")
    GRID_HEAD = "grid_head", _("Grid head")
    MICRO_WORKER = "micro_worker", _("Micro-grid worker")
    DEDICATED_WORKER = "dedicated_worker", _("Dedicated-grid worker")
    DEPARTMENT_LIAISON = "department_liaison", _("Department liaison")


class Origin(models.TextChoices):
    PARTY_MEMBER = "party_member", _("Party member")
    BUILDING_HEAD = "building_head", _("Building head")
    VETERAN = "veteran", _("Veteran")
    PROPERTY_STAFF = "property_staff", _("Property management staff")
    RESIDENTS_GROUP = "residents_group", _("Residents' group member")
    FAMILY_DOCTOR = "family_doctor", _("Family doctor")
    POLICE = "police", _("Police officer")
    DELIVERY_RIDER = "delivery_rider", _("Delivery rider")
    VOLUNTEER = "volunteer", _("Volunteer")


class WorkerStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    VETTED = "vetted", _("Vetted")
    TRAINED = "trained", _("Trained")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    EXITED = "exited", _("Exited")


# the moves the guideline allows; exiting is possible from every state but itself
TRANSITIONS: dict[str, frozenset[str]] = {
    WorkerStatus.APPLIED: frozenset({WorkerStatus.VETTED, WorkerStatus.EXITED}),
    WorkerStatus.VETTED: frozenset({WorkerStatus.TRAINED, WorkerStatus.EXITED}),
    WorkerStatus.TRAINED: frozenset({WorkerStatus.ACTIVE, WorkerStatus.EXITED}),
    WorkerStatus.ACTIVE: frozenset({WorkerStatus.SUSPENDED, WorkerStatus.EXITED}),
    WorkerStatus.SUSPENDED: frozenset({WorkerStatus.ACTIVE, WorkerStatus.EXITED}),
    WorkerStatus.EXITED: frozenset(),
}


def calendar_secret() -> str:
    return secrets.token_urlsafe(24)


class Worker(BaseModel):
    """One person of the net. ``grid_path`` copies the path of the first grid served, so that
    "workers under this community" is a prefix query like everywhere else; ``WorkerGrid`` holds
    every grid served (一员多能)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="worker",
        verbose_name=_("login"),
    )
    type = models.CharField(_("type"), max_length=24, choices=WorkerType.choices)
    origin = models.CharField(_("origin"), max_length=24, choices=Origin.choices)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=WorkerStatus.choices, default=WorkerStatus.APPLIED
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    # sealed like the registry's phones (finegrid.core.pii): ciphertext, blind index, mask
    phone_enc = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    grid_path = models.CharField(max_length=255, db_index=True, editable=False, blank=True)
    # the secret of the worker's own iCalendar feed; rotating it revokes old subscriptions
    calendar_secret = models.CharField(
        max_length=64, unique=True, default=calendar_secret, verbose_name=_("calendar secret")
    )

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        indexes = [models.Index(fields=["status", "type"], name="worker_status_type")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def serving(self) -> bool:
        """Whether the worker may be called and may check in."""
        return self.status == WorkerStatus.ACTIVE


class WorkerGrid(BaseModel):
    """A grid a worker serves, from when to when (history kept, like responsibilities)."""

    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="served", verbose_name=_("worker")
    )
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("grid served")
        verbose_name_plural = _("grids served")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "grid"],
                condition=Q(ended_at__isnull=True),
                name="worker_grid_current_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} · {self.grid_id}"


class WorkerEvent(models.Model):
    """One move of the lifecycle, with its reason and who made it. Append-only."""

    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="events", verbose_name=_("worker")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(
        _("from"), max_length=16, choices=WorkerStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=WorkerStatus.choices)
    reason = models.CharField(_("reason"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("worker event")
        verbose_name_plural = _("worker events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.from_status}→{self.to_status}"
