"""Duty lists (一清单): which tasks each grid level owns, and which belong to a department.

A street (or a community) issues its lists: the three classes of duty lists by level
(总网格 / 一般网格 / 微网格 职责任务清单), the inspection and enforcement tasks devolved to the
grid (巡查任务, 处罚任务), and the lists of the three heads of a grid (党员服务长,
平安网格长, 文明劝导长). A list is in force in the subtree of the grid that issued it. Each
task has one owner — a grid level or a department — and names the case categories it covers:
case routing reads it (``cases/routing.py``).

The lists are edited by importing a ledger (.xlsx) that replaces every list of the issuing grid
at once (``services_dutylists``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finegrid.core.labels import in_language
from finegrid.core.models import BaseModel
from finegrid.grids.models import Level


class ListKind(models.TextChoices):
    COMMUNITY = "community", _("Community grid duties")
    GRID = "grid", _("General grid duties")
    MICRO = "micro", _("Micro-grid duties")
    INSPECTION = "inspection", _("Inspection tasks devolved to the grid")
    ENFORCEMENT = "enforcement", _("Enforcement tasks devolved to the grid")
    PARTY_SERVICE_HEAD = "party_service_head", _("Party service head's list")
    SAFETY_HEAD = "safety_head", _("Safety grid head's list")
    CIVILITY_HEAD = "civility_head", _("Civility head's list")


# the grid level whose list it is (the three heads are heads of a general grid)
KIND_LEVEL: dict[str, str] = {
    ListKind.COMMUNITY: Level.COMMUNITY,
    ListKind.GRID: Level.GRID,
    ListKind.MICRO: Level.MICRO,
    ListKind.INSPECTION: Level.GRID,
    ListKind.ENFORCEMENT: Level.GRID,
    ListKind.PARTY_SERVICE_HEAD: Level.GRID,
    ListKind.SAFETY_HEAD: Level.GRID,
    ListKind.CIVILITY_HEAD: Level.GRID,
}

# the levels a task can be owned by (the street's own work is not devolved)
OWNER_LEVELS = (Level.COMMUNITY, Level.GRID, Level.MICRO)


class DutyList(BaseModel):
    """One list issued by a grid (a street or a community), in force in its subtree."""

    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("list"), max_length=24, choices=ListKind.choices)
    sort = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        verbose_name = _("duty list")
        verbose_name_plural = _("duty lists")
        ordering = ["sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "kind"], name="duty_list_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.grid_id} · {self.get_kind_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.grid_path = self.grid.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def level(self) -> str:
        return KIND_LEVEL[self.kind]


class DutyTask(BaseModel):
    """One task of a list: owned by a grid level (``owner_level``) or by a department."""

    duty_list = models.ForeignKey(
        DutyList, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("list")
    )
    # the issuing grid's path, copied: routing asks for the tasks in force above a micro-grid
    grid_path = models.CharField(max_length=255, editable=False)
    code = models.CharField(_("number"), max_length=32)
    name = models.CharField(_("task"), max_length=200)
    name_en = models.CharField(_("English task"), max_length=200)
    owner_level = models.CharField(
        _("owned by level"), max_length=16, choices=Level.choices, blank=True
    )
    department = models.ForeignKey(
        "cases.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owned by department"),
    )
    categories = models.ManyToManyField(
        "cases.Category", related_name="+", blank=True, verbose_name=_("case categories")
    )
    sort = models.PositiveIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        verbose_name = _("duty-list task")
        verbose_name_plural = _("duty-list tasks")
        ordering = ["sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["duty_list", "code"], name="duty_task_code_unique"),
            # exactly one owner: a level of the net or a department
            models.CheckConstraint(
                condition=(Q(owner_level="") & Q(department__isnull=False))
                | (~Q(owner_level="") & Q(department__isnull=True)),
                name="duty_task_one_owner",
            ),
        ]
        indexes = [
            # routing: the tasks of the lists in force at a micro-grid's ancestors
            models.Index(fields=["grid_path"], name="duty_task_path"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def owned_by_department(self) -> bool:
        return self.department_id is not None
