"""Cases (事件 / 诉求) and the closed loop around them (五步工作法).

A case is a state machine (``workflow.py``): every move is one service that appends a
:class:`CaseEvent`. Events are never edited; they are the trace that makes responsibility
traceable (责任可溯).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finegrid.core.labels import in_language
from finegrid.core.models import BaseModel
from finegrid.grids.models import Grid, Household


class Track(models.TextChoices):
    NOW = "now", _("Settle now")
    COORDINATE = "coordinate", _("Coordinate")
    FOLLOW_UP = "follow_up", _("Follow up")


class Source(models.TextChoices):
    PATROL = "patrol", _("Grid worker on patrol")
    MICRO_WORKER = "micro_worker", _("Micro-grid worker")
    RIDER = "rider", _("Partner rider")
    RESIDENT = "resident", _("Resident")
    HOTLINE = "hotline", _("Hotline / 12345")
    MODULE = "module", _("Another module")
    OPEN311 = "open311", _("Open311 client")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    AWAITING_FEEDBACK = "awaiting_feedback", _("Awaiting feedback")
    CLOSED = "closed", _("Closed")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Rejected as out of scope")
    MERGED = "merged", _("Merged as duplicate")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = frozenset(
    {
        Status.REPORTED,
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.IN_PROGRESS,
        Status.RETURNED,
        Status.REOPENED,
    }
)
# Resolved but not yet closed: the clock has stopped, the loop has not.
SETTLED_STATUSES = frozenset({Status.RESOLVED, Status.AWAITING_FEEDBACK})
FINAL_STATUSES = frozenset({Status.CLOSED, Status.REJECTED, Status.MERGED})


class Colour(models.TextChoices):
    BLUE = "blue", _("On time")
    YELLOW = "yellow", _("Near the deadline")
    ORANGE = "orange", _("Overdue")
    RED = "red", _("Badly overdue or safety-critical")


class Category(BaseModel):
    """The managed taxonomy; its clocks say how long accepting and resolving may take.

    Kept by the street's administrators on the taxonomy pages (``services_taxonomy``); a category
    in use is deactivated, never deleted, so every case keeps the category it was reported under.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    description_en = models.CharField(_("English description"), max_length=200, blank=True)
    # A subcategory (燃气 under 安全隐患) groups the list; each keeps its own clocks.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    # Routing: the department the whistle form offers first for a case of this category.
    department = models.ForeignKey(
        "Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="categories",
        verbose_name=_("usual department"),
    )
    default_track = models.CharField(
        _("default track"), max_length=16, choices=Track.choices, default=Track.NOW
    )
    safety_critical = models.BooleanField(_("safety-critical"), default=False)
    # Clocks in working minutes; calendar minutes when safety-critical (gas does not wait)
    accept_minutes = models.PositiveIntegerField(_("accept within (minutes)"), default=120)
    resolve_minutes_now = models.PositiveIntegerField(
        _("resolve within, settle now"), default=8 * 60
    )
    resolve_minutes_coordinate = models.PositiveIntegerField(
        _("resolve within, coordinate"), default=3 * 8 * 60
    )
    resolve_minutes_follow_up = models.PositiveIntegerField(
        _("resolve within, follow up"), default=10 * 8 * 60
    )
    active = models.BooleanField(_("active"), default=True)
    sort = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def description_label(self) -> str:
        return in_language(self.description, self.description_en)

    def resolve_minutes(self, track: str) -> int:
        return {
            Track.NOW: self.resolve_minutes_now,
            Track.COORDINATE: self.resolve_minutes_coordinate,
            Track.FOLLOW_UP: self.resolve_minutes_follow_up,
        }[Track(track)]


class Department(BaseModel):
    """A functional department a grid can whistle (吹哨): 城管, 公安, 消防, 卫健, 市场监管…"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64)
    phone = models.CharField(_("duty phone"), max_length=20, blank=True)
    report_in_minutes = models.PositiveIntegerField(_("report in within (minutes)"), default=30)
    resolve_minutes = models.PositiveIntegerField(
        _("resolve within (working minutes)"), default=3 * 8 * 60
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="departments", blank=True, verbose_name=_("staff")
    )
    # A department no longer whistled is deactivated: its past whistles keep naming it.
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)


class TaxonomyState(models.Model):
    """One row whose ``generation`` moves with every change of categories or departments, in the
    same transaction: the per-process category cache of every server compares against it."""

    generation = models.PositiveBigIntegerField(default=0, verbose_name=_("generation"))

    class Meta:
        verbose_name = _("taxonomy state")
        verbose_name_plural = _("taxonomy state")

    def __str__(self) -> str:
        return f"generation {self.generation}"


class Holiday(models.Model):
    """A day off on a weekday (法定节假日), or a working weekend day (调休上班)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"), default=False)
    name = models.CharField(_("holiday name"), max_length=32, blank=True)
    name_en = models.CharField(_("English holiday name"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.label}"

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)


class Case(BaseModel):
    number = models.CharField(_("number"), max_length=20, unique=True)
    # no index of its own: case_category_recent and case_nearby both lead with it
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("category"),
        db_index=False,
    )
    description = models.TextField(_("description"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
        db_index=False,  # a partial index in Meta: most cases have none
    )
    micro_grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    # Where it is handled now: the micro-grid's grid at first, one level up per escalation.
    handling_grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("handled by grid")
    )
    # Jurisdiction: the micro-grid's path (everyone above sees it; escalation widens nothing).
    grid_path = models.CharField(max_length=255, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_cases",
        verbose_name=_("reporter"),
    )
    reporter_name = models.CharField(_("reporter"), max_length=64, blank=True)
    reporter_phone_enc = models.TextField(blank=True, editable=False)
    reporter_phone_masked = models.CharField(
        _("reporter phone"), max_length=16, blank=True, editable=False
    )
    follow_code = models.CharField(_("follow-up code"), max_length=12, unique=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("handler"),
        db_index=False,  # a partial index in Meta: most cases have none
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("department"),
        db_index=False,  # a partial index in Meta: most cases have none
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_cases",
        verbose_name=_("supervisor"),
        db_index=False,  # a partial index in Meta: most cases have none
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
        db_index=False,  # a partial index in Meta: most cases have none
    )
    reported_at = models.DateTimeField(_("reported at"))
    accept_due = models.DateTimeField(_("accept by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    resolve_due = models.DateTimeField(_("resolve by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalations"), default=0)
    # When the case next escalates one level up the grid tree if still not done.
    escalate_at = models.DateTimeField(null=True, blank=True, editable=False)
    colour = models.CharField(
        _("warning colour"), max_length=8, choices=Colour.choices, default=Colour.BLUE
    )
    # When the sweep must look at this case next (a warning, a deadline, an escalation); null
    # once no clock runs. The sweep reads only rows with a due check: cost ∝ open cases.
    next_check_at = models.DateTimeField(null=True, blank=True, editable=False)
    satisfaction = models.CharField(_("satisfaction"), max_length=24, blank=True)
    idempotency_key = models.CharField(max_length=120, blank=True, editable=False)
    request_digest = models.CharField(max_length=64, blank=True, editable=False)
    photos = models.JSONField(_("photos"), default=list, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-reported_at", "-id"]
        indexes = [
            # the deadline sweep: open cases whose next check is due
            models.Index(
                fields=["next_check_at"],
                name="case_next_check",
                condition=Q(next_check_at__isnull=False),
            ),
            # queues: a jurisdiction's cases by status, newest first
            models.Index(fields=["grid_path", "status", "reported_at"], name="case_path_status"),
            # open cases of a category, recent (queues and figures filtered by category)
            models.Index(fields=["category", "status", "reported_at"], name="case_category_recent"),
            # duplicate offers on every report: the same category within a box of latitude and
            # longitude, so the cost follows the cases nearby, not all recent cases of the
            # category; longitude is tested in the index, before any row is read
            models.Index(fields=["category", "lat", "lng"], name="case_nearby"),
            # figures per grid and period
            models.Index(fields=["reported_at", "grid_path"], name="case_period"),
            # a handler's, a department's, a supervisor's cases, a household's cases, the
            # duplicates merged into a case (and the deletes that follow these keys): only the
            # rows that have one are indexed, so a new case, which has none yet, writes no entry
            *(
                models.Index(
                    fields=[key], name=f"case_{key}", condition=Q(**{f"{key}__isnull": False})
                )
                for key in ("household", "assignee", "department", "supervisor", "merged_into")
            ),
        ]
        constraints = [
            # "<caller>:<Idempotency-Key>": a retried report never makes a second case
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="case_idempotency",
            ),
            models.CheckConstraint(
                condition=Q(resolve_due__gte=models.F("reported_at")), name="case_due_after_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.category}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEvent(models.Model):
    """One step of the trace: who, when, from which status to which, and why."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=24)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    photos = models.JSONField(default=list, blank=True, verbose_name=_("photos"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("details"))

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.from_status}→{self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("case events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("case events are never deleted")


class WhistleStatus(models.TextChoices):
    WHISTLED = "whistled", _("Whistled, waiting to report in")
    REPORTED_IN = "reported_in", _("Reported in")
    RESOLVED = "resolved", _("Resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A whistle the department still has to answer: its clocks run and it shows in the workspace.
OPEN_WHISTLE_STATUSES = frozenset({WhistleStatus.WHISTLED, WhistleStatus.REPORTED_IN})


class Whistle(BaseModel):
    """吹哨报到: a grid calls a department, which must report in and resolve within its clock."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="whistles", verbose_name=_("case")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="whistles", verbose_name=_("department")
    )
    whistled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("whistled by"),
    )
    whistled_at = models.DateTimeField(verbose_name=_("whistled at"))
    report_in_due = models.DateTimeField(verbose_name=_("report-in due"))
    reported_in_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reported in at"))
    reported_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported in by"),
    )
    resolve_due = models.DateTimeField(verbose_name=_("resolve due"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    status = models.CharField(
        max_length=16,
        choices=WhistleStatus.choices,
        default=WhistleStatus.WHISTLED,
        verbose_name=_("status"),
    )

    class Meta:
        verbose_name = _("whistle")
        verbose_name_plural = _("whistles")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "department"],
                condition=Q(status__in=["whistled", "reported_in"]),
                name="whistle_one_open_per_department",
            ),
        ]
