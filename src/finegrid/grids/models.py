"""The net (一张网) and the places in it.

Trees carry a materialized path (``/1/17/233/``) so that "everything under this community" is a
single indexed prefix query; rows in a grid copy the grid's path for the same reason.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel


class Level(models.TextChoices):
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community (general grid)")
    GRID = "grid", _("Grid")
    MICRO = "micro", _("Micro-grid")


LEVEL_ORDER = [Level.STREET, Level.COMMUNITY, Level.GRID, Level.MICRO]


class Kind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    DEDICATED = "dedicated", _("Dedicated")


class DedicatedType(models.TextChoices):
    MARKET = "market", _("Market")
    SCHOOL = "school", _("School")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PARK = "park", _("Park")
    ENTERPRISE = "enterprise", _("Enterprise")
    CONSTRUCTION = "construction", _("Construction site")
    HOSPITAL = "hospital", _("Hospital")
    TRANSPORT = "transport", _("Transport hub")
    OTHER = "other", _("Other")


class Grid(BaseModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    dedicated_type = models.CharField(
        _("dedicated type"), max_length=16, choices=DedicatedType.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Indexed for prefix queries (LIKE 'p%'); PostgreSQL also gets a *_like pattern_ops index.
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    boundary_version = models.PositiveIntegerField(_("boundary version"), default=0)
    min_lng = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lng = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    center_lng = models.FloatField(null=True, blank=True, editable=False)
    center_lat = models.FloatField(null=True, blank=True, editable=False)
    area_m2 = models.FloatField(_("area (m²)"), null=True, blank=True, editable=False)
    phone = models.CharField(_("duty phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["path"]
        indexes = [
            # grid_list(level=..., parent=...): children of one parent at one level.
            models.Index(fields=["parent", "level"], name="grid_parent_level"),
            # the map's per-level layer: every grid of a level under a path prefix.
            models.Index(fields=["level", "path"], name="grid_level_path"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="dedicated") | Q(dedicated_type=""), name="grid_dedicated_type"
            ),
            models.CheckConstraint(
                condition=Q(level="street", parent__isnull=True)
                | (~Q(level="street") & Q(parent__isnull=False)),
                name="grid_street_is_root",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def bbox(self) -> list[float] | None:
        if self.min_lng is None:
            return None
        return [self.min_lng, self.min_lat, self.max_lng, self.max_lat]  # type: ignore[list-item]


class GridBoundary(BaseModel):
    """Every boundary a grid has had. Redrawing appends a version; old ones stay for history."""

    grid = models.ForeignKey(
        Grid, on_delete=models.CASCADE, related_name="boundaries", verbose_name=_("grid")
    )
    version = models.PositiveIntegerField(_("version"))
    geometry = models.JSONField(_("geometry"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("drawn by"),
    )

    class Meta:
        verbose_name = _("grid boundary")
        verbose_name_plural = _("grid boundaries")
        constraints = [
            models.UniqueConstraint(fields=["grid", "version"], name="boundary_grid_version"),
        ]

    def __str__(self) -> str:
        return f"{self.grid} v{self.version}"


class GeoIndexState(models.Model):
    """One row whose ``generation`` changes with any boundary: point-lookup caches in every
    process compare against it to know when to rebuild their STRtree."""

    generation = models.PositiveBigIntegerField(default=0, verbose_name=_("generation"))

    class Meta:
        verbose_name = _("geo index state")

    def __str__(self) -> str:
        return f"generation {self.generation}"


class PlaceBase(BaseModel):
    name = models.CharField(_("name"), max_length=100)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    micro_grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    # Copy of micro_grid.path, so jurisdiction filters need no join.
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Estate(PlaceBase):
    """小区 / 院落. Placed in the micro-grid of its main gate; its buildings may lie in others."""

    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("estate")
        verbose_name_plural = _("estates")


class Building(PlaceBase):
    estate = models.ForeignKey(
        Estate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="buildings",
        verbose_name=_("estate"),
    )
    floors = models.PositiveSmallIntegerField(_("floors"), default=6)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")


class Unit(BaseModel):
    building = models.ForeignKey(
        Building, on_delete=models.CASCADE, related_name="units", verbose_name=_("building")
    )
    number = models.PositiveSmallIntegerField(_("unit number"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unit_building_number")
        ]

    def __str__(self) -> str:
        return f"{self.building.name}{self.number}单元"


class Household(PlaceBase):
    """The dwelling (住户), not yet its people."""

    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("building"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("unit"),
    )
    room = models.CharField(_("room"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [
            # household counts on the map cards: per micro-grid.
            models.Index(fields=["micro_grid"], name="household_micro"),
        ]


class Duty(models.TextChoices):
    # 五级责任体系
    STREET_SECRETARY = "street_secretary", _("Street party secretary / director")
    COMMUNITY_LEAD = "community_lead", _("Community lead (street leader in charge)")
    ESTATE_CADRE = "estate_cadre", _("Street cadre for the estate")
    BUILDING_COMMITTEE = "building_committee", _("Community committee member for the building")
    HOUSEHOLD_WORKER = "household_worker", _("Micro-grid worker for the household")
    # the people of a grid
    COMMUNITY_SECRETARY = "community_secretary", _("Community party secretary")
    GRID_HEAD = "grid_head", _("Grid head")
    GRID_WORKER = "grid_worker", _("Full-time grid worker")
    MICRO_WORKER = "micro_worker", _("Micro-grid worker")
    BUILDING_HEAD = "building_head", _("Building head")
    # 一站三长
    PARTY_SERVICE_HEAD = "party_service_head", _("Party service head")
    SAFETY_HEAD = "safety_head", _("Safety grid head")
    CIVILITY_HEAD = "civility_head", _("Civility head")
    PARTY_BRANCH = "party_branch", _("Grid party branch secretary")


# Duties one person answers for alone at a node (one grid head per grid, one secretary per
# community, one committee member per building …). The others may be shared: a street has its
# secretary and its director, a micro-grid often more than one worker (2,172 for 1,506 micro-grids
# in the seeds).
SINGLE_HOLDER_DUTIES = frozenset(
    {
        Duty.COMMUNITY_LEAD,
        Duty.COMMUNITY_SECRETARY,
        Duty.GRID_HEAD,
        Duty.PARTY_BRANCH,
        Duty.PARTY_SERVICE_HEAD,
        Duty.SAFETY_HEAD,
        Duty.CIVILITY_HEAD,
        Duty.ESTATE_CADRE,
        Duty.BUILDING_COMMITTEE,
        Duty.HOUSEHOLD_WORKER,
    }
)

# The duties each kind of node carries; a dedicated grid directly under a community is its own
# leaf (cases land there), so it takes micro-grid workers too.
GRID_DUTIES: dict[str, tuple[str, ...]] = {
    Level.STREET: (Duty.STREET_SECRETARY,),
    Level.COMMUNITY: (Duty.COMMUNITY_LEAD, Duty.COMMUNITY_SECRETARY),
    Level.GRID: (
        Duty.GRID_HEAD,
        Duty.PARTY_BRANCH,
        Duty.PARTY_SERVICE_HEAD,
        Duty.SAFETY_HEAD,
        Duty.CIVILITY_HEAD,
        Duty.GRID_WORKER,
    ),
    Level.MICRO: (Duty.MICRO_WORKER, Duty.BUILDING_HEAD),
}
DEDICATED_GRID_DUTIES = (*GRID_DUTIES[Level.GRID], Duty.MICRO_WORKER)
PLACE_DUTIES: dict[str, tuple[str, ...]] = {
    "estate": (Duty.ESTATE_CADRE,),
    "building": (Duty.BUILDING_COMMITTEE, Duty.BUILDING_HEAD),
    "household": (Duty.HOUSEHOLD_WORKER,),
}


class ResponsibilityQuerySet(models.QuerySet["Responsibility"]):
    def current(self) -> ResponsibilityQuerySet:
        return self.filter(ended_at__isnull=True)

    def held_at(self, at: Any) -> ResponsibilityQuerySet:
        """Those held at ``at``: started by then and not yet ended."""
        return self.filter(started_at__lte=at).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))


def _single_holder(target: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=[target, "duty"],
        condition=Q(**{f"{target}__isnull": False}, ended_at__isnull=True)
        & Q(duty__in=sorted(SINGLE_HOLDER_DUTIES)),
        name=f"responsibility_one_holder_{target}",
    )


class Responsibility(BaseModel):
    """Who answers for which node, and from when to when: exactly one of grid, estate, building
    or household. A duty is ended, never deleted, so that "who was responsible then" can be
    answered for any moment (责任可溯)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="responsibilities",
        verbose_name=_("person"),
    )
    duty = models.CharField(_("duty"), max_length=32, choices=Duty.choices)
    grid = models.ForeignKey(
        Grid,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responsibilities",
        verbose_name=_("grid"),
    )
    estate = models.ForeignKey(
        Estate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responsibilities",
        verbose_name=_("estate"),
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responsibilities",
        verbose_name=_("building"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responsibilities",
        verbose_name=_("household"),
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    sort = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["sort", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(grid__isnull=False, estate=None, building=None, household=None)
                    | Q(grid=None, estate__isnull=False, building=None, household=None)
                    | Q(grid=None, estate=None, building__isnull=False, household=None)
                    | Q(grid=None, estate=None, building=None, household__isnull=False)
                ),
                name="responsibility_one_target",
            ),
            models.UniqueConstraint(
                fields=["person", "duty", "grid"],
                condition=Q(grid__isnull=False, ended_at__isnull=True),
                name="responsibility_unique_grid",
            ),
            _single_holder("grid"),
            _single_holder("estate"),
            _single_holder("building"),
            _single_holder("household"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="responsibility_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | ~Q(end_reason=""),
                name="responsibility_end_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_duty_display()}"

    @property
    def current(self) -> bool:
        return self.ended_at is None
