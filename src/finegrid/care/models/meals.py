"""Meal rounds (助餐): who gets a meal on which days, the deliverer's round of a day, the
delivery confirmed at the door, and the welfare check a door nobody opens starts.

A round is made the first time its deliverer (or anyone) asks for it on its day, from the
subscriptions routed to that deliverer; a delivery is unique per subscription and day, so two
phones asking at once make one round. "No answer" opens a ``WelfareCheck`` with a 15-minute clock
swept like the chain's: not cleared in time, it starts the emergency chain (enrolled) or opens a
red case (not enrolled) — decision 0032.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel


class Diet(models.TextChoices):
    REGULAR = "regular", _("Regular")
    SOFT = "soft", _("Soft food")
    LOW_SALT = "low_salt", _("Low salt")
    LOW_SUGAR = "low_sugar", _("Low sugar (diabetic)")
    VEGETARIAN = "vegetarian", _("Vegetarian")
    HALAL = "halal", _("Halal")


class Payer(models.TextChoices):
    SELF = "self", _("The person pays")
    SUBSIDY = "subsidy", _("Government subsidy")
    FAMILY = "family", _("The family pays")


class MealSubscription(BaseModel):
    """One person's meals: on which days of the week (ISO, Monday = 1), what diet, at what
    price and paid by whom, brought by which deliverer (a rider 丰行侠 or a volunteer's login)."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    household = models.ForeignKey(
        "grids.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    community = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    grid_path = models.CharField(max_length=255, editable=False)
    # the ISO weekdays as digits, "12345" for Monday to Friday: "on Wednesday" is a contains
    days = models.CharField(_("days of the week"), max_length=7)
    diet = models.CharField(_("diet"), max_length=12, choices=Diet.choices, default=Diet.REGULAR)
    diet_note = models.CharField(_("diet note"), max_length=100, blank=True)
    price = models.DecimalField(_("price per meal (yuan)"), max_digits=6, decimal_places=2)
    payer = models.CharField(_("who pays"), max_length=8, choices=Payer.choices)
    deliverer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deliverer"),
    )
    starts_on = models.DateField(_("from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("subscribed by"),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meal subscription")
        verbose_name_plural = _("meal subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_at__isnull=True),
                name="care_meal_one_open",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="care_meal_price"),
        ]
        indexes = [
            # a deliverer's round: their open subscriptions
            models.Index(
                fields=["deliverer"], condition=Q(ended_at__isnull=True), name="care_meal_route"
            ),
            # the subscriptions of a grid
            models.Index(fields=["grid_path"], name="care_meal_path"),
        ]

    def __str__(self) -> str:
        return f"meals {self.person_id} {self.days}"


class MealRound(BaseModel):
    """One deliverer's meals of one day."""

    deliverer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deliverer"),
    )
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("meal round")
        verbose_name_plural = _("meal rounds")
        constraints = [
            models.UniqueConstraint(fields=["deliverer", "day"], name="care_round_day"),
        ]

    def __str__(self) -> str:
        return f"round {self.deliverer_id} {self.day}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("To deliver")
    DELIVERED = "delivered", _("Delivered")
    NO_ANSWER = "no_answer", _("No answer at the door")


class MealDelivery(BaseModel):
    """One meal of a round, in the round's walking order (building, unit, floor, room)."""

    round = models.ForeignKey(
        MealRound, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("round")
    )
    subscription = models.ForeignKey(
        MealSubscription,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    day = models.DateField(_("day"))
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
    # building, unit, floor and room as one sortable string: a meal added to a round already
    # under way falls into its place without renumbering the others
    walk_key = models.CharField(_("walking order"), max_length=120)
    diet = models.CharField(_("diet"), max_length=12, choices=Diet.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meal delivery")
        verbose_name_plural = _("meal deliveries")
        ordering = ["round", "walk_key", "id"]
        constraints = [
            # two phones loading the round at once make one delivery each
            models.UniqueConstraint(fields=["subscription", "day"], name="care_delivery_once"),
        ]
        indexes = [
            # the round page, in walking order
            models.Index(fields=["round", "walk_key"], name="care_delivery_walk"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.status})"


class WelfareStatus(models.TextChoices):
    OPEN = "open", _("Waiting to be cleared")
    ESCALATING = "escalating", _("Being escalated")
    CLEARED = "cleared", _("Cleared")
    ESCALATED = "escalated", _("Escalated")


class WelfareCheck(BaseModel):
    """A door nobody opened: the micro-grid worker has until ``due_at`` to clear it with a note;
    then the sweep starts the emergency chain (or opens a red case)."""

    delivery = models.OneToOneField(
        MealDelivery,
        on_delete=models.PROTECT,
        related_name="welfare_check",
        verbose_name=_("meal delivery"),
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    household = models.ForeignKey(
        "grids.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    micro_grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    due_at = models.DateTimeField(_("clear by"))
    status = models.CharField(
        _("status"), max_length=10, choices=WelfareStatus.choices, default=WelfareStatus.OPEN
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    call = models.ForeignKey(
        "care.EmergencyCall",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("emergency call"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )

    class Meta:
        verbose_name = _("welfare check")
        verbose_name_plural = _("welfare checks")
        indexes = [
            # the sweep: checks not cleared whose clock has run out (and escalations to finish)
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=["open", "escalating"]),
                name="care_welfare_due",
            ),
            # a worker's open checks
            models.Index(fields=["assigned_to", "status"], name="care_welfare_assigned"),
        ]

    def __str__(self) -> str:
        return f"welfare check {self.pk} ({self.status})"
