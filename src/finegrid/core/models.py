from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Change")
    DELETE = "delete", _("Delete")
    UNMASK = "unmask", _("Show in full")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")


class AuditEvent(models.Model):
    """Who did what to personal information, when and from where. Append-only: rows are
    never updated or deleted by the application (save() and delete() refuse)."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("who")
    )
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    target_type = models.CharField(_("object type"), max_length=32)
    target_id = models.CharField(_("object"), max_length=40, blank=True)
    target_label = models.CharField(_("object name"), max_length=120, blank=True)
    # names of the fields touched, never their values
    fields = models.JSONField(_("fields"), default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    grid_path = models.CharField(
        max_length=255, blank=True, db_index=True, verbose_name=_("grid path")
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            # the history of one object
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.target_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit events are never deleted")


class WriteProbe(BaseModel):
    """A row written by the diagnostic endpoint POST /api/v1/diagnostics/write: the smallest
    durable write an authenticated request can make, which bench/case_api.py sets case creation
    against (docs/decisions/0004-serving-writes.md). Nothing reads these rows."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    note = models.CharField(_("note"), max_length=200)

    class Meta:
        verbose_name = _("write probe")
        verbose_name_plural = _("write probes")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user_id}"


class CacheGeneration(models.Model):
    """A counter per kind of cached data, bumped in the same transaction as any change to that
    data: every process's cache of it (core/generations.py) sees the new value within a second
    and starts afresh."""

    name = models.CharField(primary_key=True, max_length=40, verbose_name=_("name"))
    value = models.PositiveBigIntegerField(default=0, verbose_name=_("value"))

    class Meta:
        verbose_name = _("cache generation")
        verbose_name_plural = _("cache generations")

    def __str__(self) -> str:
        return f"{self.name} {self.value}"
