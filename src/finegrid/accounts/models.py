from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel


class Role(models.TextChoices):
    STREET_LEADER = "street_leader", _("Street leader")
    STREET_OFFICIAL = "street_official", _("Street official")
    COMMUNITY_OFFICIAL = "community_official", _("Community official")
    GRID_HEAD = "grid_head", _("Grid head")
    GRID_WORKER = "grid_worker", _("Full-time grid worker")
    MICRO_WORKER = "micro_worker", _("Micro-grid worker")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    RESIDENT = "resident", _("Resident")
    MERCHANT = "merchant", _("Partner merchant")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    AUDITOR = "auditor", _("Auditor")


# Roles whose assignment lets the holder see everything under the assigned grid. Residents and
# merchants are placed in a grid too, but that place is where they live or trade, not a
# jurisdiction.
JURISDICTION_ROLES = frozenset(
    {
        Role.STREET_LEADER,
        Role.STREET_OFFICIAL,
        Role.COMMUNITY_OFFICIAL,
        Role.GRID_HEAD,
        Role.GRID_WORKER,
        Role.MICRO_WORKER,
        Role.DEPARTMENT_STAFF,
        Role.SYSTEM_ADMIN,
        Role.AUDITOR,
    }
)


class User(AbstractUser):
    display_name = models.CharField(_("name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleAssignment(BaseModel):
    """A role held over one grid subtree. ``grid_path`` copies the grid's materialized path so
    that the jurisdiction check is a prefix comparison and needs no join."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("grid")
    )
    grid_path = models.CharField(_("grid path"), max_length=255, editable=False)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "grid"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.grid_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.grid_path = self.grid.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(BaseModel):
    """A bearer token for API clients; only its SHA-256 is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=64, blank=True)
    digest = models.CharField(
        max_length=64, unique=True, verbose_name=_("digest")
    )  # lookup by presented token
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last used"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    @classmethod
    def issue(cls, *, user: User, name: str = "") -> tuple[ApiToken, str]:
        key = "fg_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=token_digest(key)), key
