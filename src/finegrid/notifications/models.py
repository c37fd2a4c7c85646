from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notification. Written in the same transaction as the change that causes it, so
    it survives any crash that the change survives (the in-app channel is its own outbox)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # a user's unread notifications, newest first
            models.Index(fields=["user", "read_at", "created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.title
