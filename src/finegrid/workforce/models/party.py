"""The party layer of the net (党建引领): grid party organisations, the party members registered
to a grid (双报到) and the 1+1+N links (联户) of a party member and a worker with N households.

A 党员中心户 is an organisation of its own kind tied to one household: the seeds' three-level
system is community party committee → grid party organisation → party member's central household.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel
from finegrid.grids.models import Household


class OrganisationKind(models.TextChoices):
    GRID_ORGANISATION = "grid_organisation", _("Grid party organisation")
    PARTY_GROUP = "party_group", _("Party group")
    CENTRAL_HOUSEHOLD = "central_household", _("Party member's central household")


class PartyOrganisation(BaseModel):
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=100)
    # a party group or a central household sits under the grid's party organisation
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("under"),
    )
    household = models.ForeignKey(
        "grids.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        constraints = [
            # a central household is one household; the other kinds are none
            models.CheckConstraint(
                condition=Q(kind="central_household", household__isnull=False)
                | (~Q(kind="central_household") & Q(household__isnull=True)),
                name="party_org_household_iff_central",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(household__isnull=False),
                name="party_org_one_per_household",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PartyMember(BaseModel):
    """A party member registered to the grid where they live (双报到), with the unit where their
    membership is kept; a login when they use the platform."""

    name = models.CharField(_("name"), max_length=64)
    work_unit = models.CharField(_("work unit"), max_length=100)
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    organisation = models.ForeignKey(
        PartyOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_member",
        verbose_name=_("login"),
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("registered party member")
        verbose_name_plural = _("registered party members")

    def __str__(self) -> str:
        return self.name


class PartyLink(BaseModel):
    """1+1+N联户: one party member and one worker, linked to N households of a micro-grid."""

    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="links", verbose_name=_("party member")
    )
    worker = models.ForeignKey(
        "workforce.Worker",
        on_delete=models.PROTECT,
        related_name="party_links",
        verbose_name=_("worker"),
    )
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    households: models.ManyToManyField[Household, PartyLinkHousehold] = models.ManyToManyField(
        Household,
        through="PartyLinkHousehold",
        related_name="+",
        verbose_name=_("households"),
    )

    class Meta:
        verbose_name = _("1+1+N link")
        verbose_name_plural = _("1+1+N links")

    def __str__(self) -> str:
        return f"{self.member_id} + {self.worker_id}"


class PartyLinkHousehold(models.Model):
    link = models.ForeignKey(
        PartyLink, on_delete=models.CASCADE, related_name="rows", verbose_name=_("link")
    )
    household = models.ForeignKey(
        "grids.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )

    class Meta:
        verbose_name = _("linked household")
        verbose_name_plural = _("linked households")
        constraints = [
            # a household has one pair to turn to
            models.UniqueConstraint(fields=["household"], name="party_link_one_per_household"),
        ]

    def __str__(self) -> str:
        return f"{self.link_id} · {self.household_id}"
