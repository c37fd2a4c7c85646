"""Daily care (关爱): how often each kind of special population is contacted, the contacts workers
log, and a watch per person and kind that knows when the next contact is due.

A ``ContactWatch`` is to daily care what ``HouseholdState`` is to visits: one row per person and
care-tag kind under a plan, remembering the last contact and when the next is due, so that
"who has gone quiet" and the sweep that alerts on it are indexed reads, never a scan of contacts.
A household visit logged in the workforce counts as a contact too: the sweep and the quiet list
read the household's ``HouseholdState`` beside the watch (see decision 0032).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")
    MESSAGE = "message", _("Message")


class ContactPlan(BaseModel):
    """A community's plan for one care-tag kind: a contact every ``every_days`` days (a visit
    when ``visit_only``); when one is missed the worker is alerted, and the grid head
    ``escalate_hours`` later. A community with no row for a kind uses the default plans
    (``finegrid.care.daily_plans``)."""

    community = models.ForeignKey(
        "grids.Grid", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    tag_kind = models.CharField(_("care tag"), max_length=20)
    every_days = models.PositiveSmallIntegerField(_("every (days)"))
    visit_only = models.BooleanField(_("only a visit counts"), default=False)
    escalate_hours = models.PositiveSmallIntegerField(_("grid head alerted after (hours)"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact plan")
        verbose_name_plural = _("contact plans")
        ordering = ["community", "tag_kind"]
        constraints = [
            models.UniqueConstraint(fields=["community", "tag_kind"], name="care_plan_kind"),
            models.CheckConstraint(condition=Q(every_days__gte=1), name="care_plan_every"),
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.tag_kind} / {self.every_days} d"


class CareContact(BaseModel):
    """A contact a worker logged: a call, a visit or a message, reached or not. A visit logged by
    a worker serving the household is recorded through the workforce too (``visit``)."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    household = models.ForeignKey(
        "grids.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    grid_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=ContactKind.choices)
    at = models.DateTimeField(_("when"))
    # a call nobody picked up is logged, but is no contact
    reached = models.BooleanField(_("reached the person"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    visit = models.OneToOneField(
        "workforce.HouseholdVisit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household visit"),
    )
    # "<user id>:<Idempotency-Key>": a retried post on a flaky network logs one contact
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=120, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("care contact")
        verbose_name_plural = _("care contacts")
        ordering = ["-at", "-id"]
        indexes = [
            # a person's contacts, newest first (the contact history; a watch's baseline)
            models.Index(fields=["person", "at"], name="care_contact_person_at"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class WatchStage(models.TextChoices):
    OK = "ok", _("In contact")
    WORKER = "worker", _("Missed: worker alerted")
    HEAD = "head", _("Missed: grid head alerted")


class ContactWatch(BaseModel):
    """One person under one plan: when they were last contacted and when the next contact is
    due. Made by the sync for every current care tag whose kind has an active plan."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    tag_kind = models.CharField(_("care tag"), max_length=20)
    household = models.ForeignKey(
        "grids.Household", on_delete=models.CASCADE, related_name="+", verbose_name=_("household")
    )
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.CASCADE, related_name="+", verbose_name=_("micro-grid")
    )
    community = models.ForeignKey(
        "grids.Grid", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    grid_path = models.CharField(max_length=255, editable=False)
    # copied from the plan, so that the sweep needs no join
    every_days = models.PositiveSmallIntegerField(_("every (days)"))
    visit_only = models.BooleanField(_("only a visit counts"), default=False)
    escalate_hours = models.PositiveSmallIntegerField(_("grid head alerted after (hours)"))
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    last_contact_kind = models.CharField(_("last contact by"), max_length=8, blank=True)
    # when the plan started to count for this person (the baseline with no contact yet)
    since = models.DateTimeField(_("watched since"))
    due_at = models.DateTimeField(_("next contact due"))
    stage = models.CharField(
        _("stage"), max_length=8, choices=WatchStage.choices, default=WatchStage.OK
    )
    worker_alerted_at = models.DateTimeField(_("worker alerted"), null=True, blank=True)
    head_alerted_at = models.DateTimeField(_("grid head alerted"), null=True, blank=True)
    # when the sweep looks at this watch next: the due time, then the grid head's turn; null
    # once the grid head has been told (until a contact starts the clock again)
    next_check_at = models.DateTimeField(_("next look"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact watch")
        verbose_name_plural = _("contact watches")
        constraints = [
            models.UniqueConstraint(fields=["person", "tag_kind"], name="care_watch_person_kind")
        ]
        indexes = [
            # the sweep: watches whose next look is due
            models.Index(
                fields=["next_check_at"],
                condition=Q(next_check_at__isnull=False),
                name="care_watch_next",
            ),
            # the quiet list of a grid: overdue watches under a path, longest quiet first
            models.Index(fields=["grid_path", "due_at"], name="care_watch_path_due"),
        ]

    def __str__(self) -> str:
        return f"watch {self.person_id} {self.tag_kind} due {self.due_at:%Y-%m-%d %H:%M}"
