"""The population registry (人口底数): people, their households, care tags, rentals, businesses.

ID numbers, phone numbers and care tags are stored encrypted (``*_enc``), with a blind index
(``*_index``) for exact lookup and a masked copy (``*_masked``) for screens; see core/pii.py.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finegrid.accounts.models import Role
from finegrid.core import pii
from finegrid.core.models import BaseModel
from finegrid.grids.models import Grid, Household


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNKNOWN = "unknown", _("Unknown")


class DocumentType(models.TextChoices):
    ID_CARD = "id_card", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other document")
    NONE = "none", _("No document")


class ResidenceStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered resident")
    MIGRANT = "migrant", _("Migrant")
    TENANT = "tenant", _("Tenant")
    OTHER = "other", _("Other")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    TENANT = "tenant", _("Tenant")
    OTHER = "other", _("Other relative")


class Person(BaseModel):
    name = models.CharField(_("name"), max_length=64)
    # 张三 → "zhangsan" / "zs": search by pinyin or its initials
    name_pinyin = models.CharField(max_length=128, editable=False, db_index=True)
    name_initials = models.CharField(max_length=32, editable=False, db_index=True)
    # 曾小明 is searched as zxm (its surname's reading) and, as people also type it, cxm (the
    # ordinary reading); empty when both readings agree
    name_pinyin_alt = models.CharField(max_length=128, editable=False, db_index=True, default="")
    name_initials_alt = models.CharField(max_length=32, editable=False, db_index=True, default="")
    # 王小明 → "小明": people are searched by the name their neighbours use
    given_name = models.CharField(max_length=64, editable=False, db_index=True, default="")
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    document_type = models.CharField(
        _("document type"),
        max_length=16,
        choices=DocumentType.choices,
        default=DocumentType.ID_CARD,
    )
    id_number_enc = models.TextField(blank=True, editable=False)
    id_number_index = models.CharField(max_length=40, blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=24, blank=True, editable=False)
    # the last four characters, as read off a masked screen: "find 803X"
    id_number_tail = models.CharField(max_length=4, blank=True, editable=False)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    phone_tail = models.CharField(max_length=4, blank=True, editable=False)
    residence_status = models.CharField(
        _("residence status"),
        max_length=16,
        choices=ResidenceStatus.choices,
        default=ResidenceStatus.REGISTERED,
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    # 双报到: registered to this community by their party organisation
    party_dual_registered = models.BooleanField(
        _("registered to the community (dual registration)"), default=False
    )
    party_organisation = models.CharField(_("party organisation"), max_length=100, blank=True)
    is_veteran = models.BooleanField(_("veteran"), default=False)
    occupation = models.CharField(_("occupation"), max_length=64, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    relation = models.CharField(
        _("relation to the head"), max_length=16, choices=Relation.choices, blank=True
    )
    # Path of the current (or, after moving away, the last) household's micro-grid: jurisdiction.
    grid_path = models.CharField(max_length=255, db_index=True, editable=False, blank=True)
    deceased_on = models.DateField(_("date of death"), null=True, blank=True)
    # The login of a resident who is this person: their home page shows this person's household.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registry_person",
        verbose_name=_("login account"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # one person per ID number: de-duplication on import relies on it
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~Q(id_number_index=""),
                name="person_unique_id",
            ),
        ]
        indexes = [
            # the roster and search results, ordered within a jurisdiction
            models.Index(fields=["grid_path", "name"], name="person_path_name"),
            # search_filter: each kind of query has its own index, because SQLite will not use
            # the partial unique one for a plain "=" nor an index for a case-blind LIKE
            models.Index(fields=["id_number_index"], name="person_id_index"),
            models.Index(fields=["id_number_masked"], name="person_id_masked"),
            models.Index(fields=["phone_masked"], name="person_phone_masked"),
            models.Index(fields=["id_number_tail"], name="person_id_tail"),
            models.Index(fields=["phone_tail"], name="person_phone_tail"),
            models.Index(fields=["name"], name="person_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def age(self, today: dt.date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        today = today or timezone.localdate()
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


class EndReason(models.TextChoices):
    MOVED_OUT = "moved_out", _("Moved out")
    MOVED = "moved", _("Moved to another household")
    DIED = "died", _("Died")


class Membership(BaseModel):
    """A person's stay in a household. Moving and death close it; it is never deleted."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("household")
    )
    relation = models.CharField(_("relation to the head"), max_length=16, choices=Relation.choices)
    moved_in = models.DateField(_("moved in"))
    moved_out = models.DateField(_("moved out"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=16, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("household membership")
        verbose_name_plural = _("household memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(moved_out__isnull=True), name="membership_one_open"
            ),
        ]


class CareKind(models.TextChoices):
    LIVING_ALONE = "living_alone", _("Living alone")
    AGED_80 = "aged_80", _("Aged 80 or over")
    DISABLED = "disabled", _("Disabled")
    LOW_INCOME = "low_income", _("Low income (dibao)")
    LEFT_BEHIND_CHILD = "left_behind_child", _("Left-behind child")
    KEY_ATTENTION = "key_attention", _("Key safety attention")


# Which roles may see which care tag: the duty list (一清单) decides who needs to know.
_FIELD_STAFF = {Role.GRID_HEAD, Role.GRID_WORKER, Role.MICRO_WORKER}
_OFFICIALS = {Role.STREET_LEADER, Role.STREET_OFFICIAL, Role.COMMUNITY_OFFICIAL, Role.SYSTEM_ADMIN}
CARE_VISIBILITY: dict[str, frozenset[str]] = {
    CareKind.LIVING_ALONE: frozenset(_FIELD_STAFF | _OFFICIALS),
    CareKind.AGED_80: frozenset(_FIELD_STAFF | _OFFICIALS),
    CareKind.DISABLED: frozenset(_FIELD_STAFF | _OFFICIALS),
    CareKind.LEFT_BEHIND_CHILD: frozenset(_FIELD_STAFF | _OFFICIALS),
    CareKind.LOW_INCOME: frozenset({Role.GRID_HEAD, Role.GRID_WORKER} | _OFFICIALS),
    CareKind.KEY_ATTENTION: frozenset({Role.GRID_HEAD, Role.GRID_WORKER} | _OFFICIALS),
}


class CareTag(BaseModel):
    """A special-population tag. Its kind and attributes are encrypted; ``kind_index`` is the
    blind index that lets "everyone living alone in this grid" be one indexed query."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="care_tags", verbose_name=_("person")
    )
    kind_index = models.CharField(max_length=40, editable=False)
    payload_enc = models.TextField(editable=False)
    grid_path = models.CharField(max_length=255, editable=False)
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("care tag")
        verbose_name_plural = _("care tags")
        indexes = [
            # special-population list of a grid: kind + path prefix
            models.Index(fields=["kind_index", "grid_path"], name="caretag_kind_path"),
        ]

    def attributes(self) -> dict[str, Any]:
        """The sealed kind and attributes, opened (callers check who may see them)."""
        data: dict[str, Any] = json.loads(pii.decrypt(self.payload_enc))
        return data


class Rental(BaseModel):
    """出租房: a household let to tenants."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="rentals", verbose_name=_("household")
    )
    landlord = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rentals_owned",
        verbose_name=_("landlord"),
    )
    tenants = models.ManyToManyField(
        Person, related_name="rentals_rented", blank=True, verbose_name=_("tenants")
    )
    registered = models.BooleanField(_("registered"), default=False)
    lease_start = models.DateField(_("lease start"), null=True, blank=True)
    lease_end = models.DateField(_("lease end"), null=True, blank=True)
    # when the tenants actually left, which may be before or after the agreed lease end
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        verbose_name = _("rental")
        verbose_name_plural = _("rentals")
        constraints = [
            models.CheckConstraint(
                condition=Q(lease_end__isnull=True)
                | Q(lease_start__isnull=True)
                | Q(lease_end__gte=models.F("lease_start")),
                name="rental_lease_order",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(lease_start__isnull=True)
                | Q(ended_on__gte=models.F("lease_start")),
                name="rental_ended_after_start",
            ),
        ]


class BusinessType(models.TextChoices):
    SHOP = "shop", _("Shop")
    RESTAURANT = "restaurant", _("Restaurant")
    MARKET_STALL = "market_stall", _("Market stall")
    WORKSHOP = "workshop", _("Workshop")
    HOTEL = "hotel", _("Hotel / guesthouse")
    SERVICE = "service", _("Service")
    OTHER = "other", _("Other")


class InspectionStatus(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed, to be fixed")
    PENDING = "pending", _("Not yet inspected")


class Business(BaseModel):
    """经营场所, with its fire and safety inspection."""

    name = models.CharField(_("name"), max_length=100)
    business_type = models.CharField(_("type"), max_length=16, choices=BusinessType.choices)
    licence_number = models.CharField(_("licence number"), max_length=32, blank=True)
    contact_name = models.CharField(_("contact"), max_length=64, blank=True)
    contact_phone_enc = models.TextField(blank=True, editable=False)
    contact_phone_masked = models.CharField(
        _("contact phone"), max_length=16, blank=True, editable=False
    )
    address = models.CharField(_("address"), max_length=200)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    micro_grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("micro-grid")
    )
    grid_path = models.CharField(max_length=255, db_index=True, editable=False)
    inspection_status = models.CharField(
        _("fire and safety inspection"),
        max_length=16,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PENDING,
    )
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused: nothing written")
    FAILED = "failed", _("Failed")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("All rows or none")
    GOOD_ROWS = "good", _("Good rows only, report the bad")


class ImportJob(BaseModel):
    """A ledger (台账) import: its file, progress and per-row report. Large files run as a
    background task; the page polls this row."""

    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    filename = models.CharField(_("file"), max_length=200)
    stored_path = models.CharField(max_length=300, editable=False)
    mode = models.CharField(
        _("mode"), max_length=8, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    scope_paths = models.JSONField(default=list, editable=False)  # the importer's jurisdiction
    # where the upload came from: the audit row is written later, by the task, without a request
    requested_from = models.GenericIPAddressField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows in all"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("people added"), default=0)
    updated_count = models.PositiveIntegerField(_("people updated"), default=0)
    error_count = models.PositiveIntegerField(default=0, verbose_name=_("errors found"))
    errors = models.JSONField(
        default=list, blank=True, verbose_name=_("errors")
    )  # [{row, column, field, message, message_en}]
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
