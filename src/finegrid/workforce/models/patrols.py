"""Patrols (巡查) and household visits (入户走访), and the rollups that make coverage cheap.

A plan says what a grid patrols and how often: gas safety at every household each quarter
(燃气安全隐患排查), fire passages every week, the school gate (护学岗) on every school day. A
round is one worker walking a plan: its stops are check-ins at the plan's points, and what the
worker finds there may become a case in one tap.

Coverage (share of households visited, points checked, what is overdue) is read from
``CoverageRollup`` rows, one per micro-grid and period, moved in the same transaction as each
visit or check-in; ``PointState`` and ``HouseholdState`` remember the last check or visit, so
that the rollup knows whether a visit is the first of its period without scanning. Workload
reads ``WorkerDay`` rows the same way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel


class PlanKind(models.TextChoices):
    GAS_SAFETY = "gas_safety", _("Gas safety check at every household")
    FIRE_PASSAGE = "fire_passage", _("Fire passage patrol")
    SCHOOL_GATE = "school_gate", _("School-gate duty")


class Cadence(models.TextChoices):
    QUARTER = "quarter", _("Every quarter")
    WEEK = "week", _("Every week")
    SCHOOL_DAY = "school_day", _("Every school day")


# what each kind of plan covers and how often (the duty list's rule; the plan copies it)
KIND_CADENCE = {
    PlanKind.GAS_SAFETY: Cadence.QUARTER,
    PlanKind.FIRE_PASSAGE: Cadence.WEEK,
    PlanKind.SCHOOL_GATE: Cadence.SCHOOL_DAY,
}
# a plan over households visits them; the others check patrol points
HOUSEHOLD_KINDS = frozenset({PlanKind.GAS_SAFETY})
# the case category a finding of each kind is reported under unless the worker picks another
KIND_CATEGORY = {
    PlanKind.GAS_SAFETY: "gas",
    PlanKind.FIRE_PASSAGE: "fire",
    PlanKind.SCHOOL_GATE: "safety_hazard",
}


class PatrolPlan(BaseModel):
    """What one grid patrols. ``grid`` is any level; the plan covers the micro-grids below it."""

    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices)
    cadence = models.CharField(_("how often"), max_length=16, choices=Cadence.choices)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["grid_path", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "kind"], condition=Q(active=True), name="patrol_plan_one_active"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.grid_path = self.grid.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PatrolTarget(BaseModel):
    """A patrol point a plan checks (plans over households have no targets: every household of
    the plan's micro-grids is one)."""

    plan = models.ForeignKey(
        PatrolPlan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan")
    )
    point = models.ForeignKey(
        "workforce.PatrolPoint",
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("patrol point"),
    )
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        verbose_name = _("patrol target")
        verbose_name_plural = _("patrol targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "point"], name="patrol_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} · {self.point_id}"


class PatrolRound(BaseModel):
    """One worker walking one plan, from start to finish."""

    plan = models.ForeignKey(
        PatrolPlan, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("plan")
    )
    worker = models.ForeignKey(
        "workforce.Worker",
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("worker"),
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("patrol round")
        verbose_name_plural = _("patrol rounds")
        ordering = ["-started_at", "-id"]
        indexes = [
            # a grid's rounds in a period (the rounds list)
            models.Index(fields=["grid_path", "started_at"], name="round_path_started"),
        ]
        constraints = [
            # a check-in joins the worker's open round of its plan: there is at most one
            models.UniqueConstraint(
                fields=["worker", "plan"],
                condition=Q(finished_at__isnull=True),
                name="round_one_open_per_plan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.started_at:%Y-%m-%d}"


class RoundStop(models.Model):
    """A check-in made during a round at one of its plan's points."""

    round = models.ForeignKey(
        PatrolRound, on_delete=models.CASCADE, related_name="stops", verbose_name=_("round")
    )
    checkin = models.OneToOneField(
        "workforce.Checkin",
        on_delete=models.CASCADE,
        related_name="round_stop",
        verbose_name=_("check-in"),
    )
    point = models.ForeignKey(
        "workforce.PatrolPoint",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("patrol point"),
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("round stop")
        verbose_name_plural = _("round stops")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.point_id}"


class Finding(BaseModel):
    """Something a round found: a blocked passage, a leaking hose. ``case`` once reported."""

    round = models.ForeignKey(
        PatrolRound, on_delete=models.CASCADE, related_name="findings", verbose_name=_("round")
    )
    point = models.ForeignKey(
        "workforce.PatrolPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("patrol point"),
    )
    household = models.ForeignKey(
        "grids.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    description = models.TextField(_("what was found"))
    photos = models.JSONField(_("photos"), default=list, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.description[:40]


class VisitOutcome(models.TextChoices):
    MET = "met", _("Met the household")
    NOT_HOME = "not_home", _("Nobody at home")
    NEEDS_FOUND = "needs_found", _("Needs found")


REACHED_OUTCOMES = frozenset({VisitOutcome.MET, VisitOutcome.NEEDS_FOUND})


class HouseholdVisit(BaseModel):
    """One household visit (入户走访) by a worker serving its micro-grid."""

    household = models.ForeignKey(
        "grids.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    worker = models.ForeignKey(
        "workforce.Worker",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("worker"),
    )
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    grid_path = models.CharField(max_length=255, editable=False)
    at = models.DateTimeField(_("when"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=16, choices=VisitOutcome.choices)
    needs = models.CharField(_("needs found"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("household visit")
        verbose_name_plural = _("household visits")
        ordering = ["-at", "-id"]
        indexes = [
            # the visits list of a grid in a period
            models.Index(fields=["grid_path", "at"], name="visit_path_at"),
            # a household's visit history
            models.Index(fields=["household", "at"], name="visit_household_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="needs_found") | ~Q(needs=""), name="visit_needs_named"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.at:%Y-%m-%d}"


class PeriodKind(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class CoverageRollup(models.Model):
    """Counters of one micro-grid in one period, moved with each visit and check-in."""

    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.CASCADE, related_name="+", verbose_name=_("micro-grid")
    )
    grid_path = models.CharField(max_length=255, editable=False)
    period = models.CharField(max_length=8, choices=PeriodKind.choices, verbose_name=_("period"))
    starts_on = models.DateField(verbose_name=_("starts on"))
    visits = models.PositiveIntegerField(default=0, verbose_name=_("visits"))
    households_visited = models.PositiveIntegerField(
        default=0, verbose_name=_("households visited")
    )
    households_reached = models.PositiveIntegerField(
        default=0, verbose_name=_("households reached")
    )
    checkins = models.PositiveIntegerField(default=0, verbose_name=_("check-ins"))
    points_checked = models.PositiveIntegerField(default=0, verbose_name=_("points checked"))

    class Meta:
        verbose_name = _("coverage rollup")
        verbose_name_plural = _("coverage rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["micro_grid", "period", "starts_on"], name="coverage_rollup_unique"
            )
        ]
        indexes = [
            # coverage under a grid for one period: a prefix of paths at one period start
            models.Index(fields=["period", "starts_on", "grid_path"], name="coverage_period_path")
        ]

    def __str__(self) -> str:
        return f"{self.micro_grid_id} · {self.period} {self.starts_on}"


class CoverageTally(models.Model):
    """The denominators of one micro-grid: its households and its patrol targets. Refreshed
    when plans or targets change and by the demo; see decision 0023."""

    micro_grid = models.OneToOneField(
        "grids.Grid", on_delete=models.CASCADE, related_name="+", verbose_name=_("micro-grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    households = models.PositiveIntegerField(default=0, verbose_name=_("households"))
    points = models.PositiveIntegerField(default=0, verbose_name=_("points"))
    refreshed_at = models.DateTimeField(default=timezone.now, verbose_name=_("refreshed at"))

    def __str__(self) -> str:
        return f"{self.micro_grid_id}: {self.households} / {self.points}"


class PointState(models.Model):
    """When a patrol point was last checked: whether a check-in is the first of its period."""

    point = models.OneToOneField(
        "workforce.PatrolPoint",
        on_delete=models.CASCADE,
        related_name="state",
        verbose_name=_("patrol point"),
    )
    last_checked_at = models.DateTimeField(verbose_name=_("last checked"))

    def __str__(self) -> str:
        return f"{self.point_id} @ {self.last_checked_at:%Y-%m-%d}"


class HouseholdState(models.Model):
    """When a household was last visited, and last reached (met in person)."""

    household = models.OneToOneField(
        "grids.Household",
        on_delete=models.CASCADE,
        related_name="visit_state",
        verbose_name=_("household"),
    )
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.CASCADE, related_name="+", verbose_name=_("micro-grid")
    )
    last_visited_at = models.DateTimeField(verbose_name=_("last visited"))
    last_reached_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last reached"))
    last_outcome = models.CharField(
        max_length=16, choices=VisitOutcome.choices, verbose_name=_("last outcome")
    )

    def __str__(self) -> str:
        return f"{self.household_id} @ {self.last_visited_at:%Y-%m-%d}"


class WorkerDay(models.Model):
    """What one worker did in one micro-grid on one local day: what workload sums."""

    worker = models.ForeignKey(
        "workforce.Worker", on_delete=models.CASCADE, related_name="+", verbose_name=_("worker")
    )
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.CASCADE, related_name="+", verbose_name=_("micro-grid")
    )
    grid_path = models.CharField(max_length=255, editable=False)
    day = models.DateField(verbose_name=_("day"))
    checkins = models.PositiveIntegerField(default=0, verbose_name=_("check-ins"))
    point_checkins = models.PositiveIntegerField(
        default=0, verbose_name=_("patrol point check-ins")
    )
    visits = models.PositiveIntegerField(default=0, verbose_name=_("visits"))
    visits_reached = models.PositiveIntegerField(
        default=0, verbose_name=_("visits that reached someone")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "micro_grid", "day"], name="worker_day_unique"
            )
        ]
        indexes = [
            # workload under a grid over a period
            models.Index(fields=["day", "grid_path"], name="worker_day_day_path")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} · {self.day}"
