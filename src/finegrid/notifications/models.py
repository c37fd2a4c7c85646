from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from finegrid.notifications.subjects import link_for


class Notification(models.Model):
    """An in-app notification. Written in the same transaction as the change that causes it, so
    it survives any crash that the change survives (the in-app channel is its own outbox).

    What it is about is a ``subject`` (kind and id) that the app owning it turns into a link
    through ``notifications.subjects``; ``url`` is the fallback for a notice with no subject."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
        db_index=False,  # notification_inbox and notification_recent both lead with it
    )
    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    subject_kind = models.CharField(_("subject kind"), max_length=32, blank=True)
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    url = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # a user's unread notifications, newest first, and the header badge's count of them
            models.Index(fields=["user", "read_at", "created_at"], name="notification_inbox"),
            # the inbox's "all" tab: a user's notifications, newest first, one page at a time
            models.Index(fields=["user", "-created_at", "-id"], name="notification_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def link(self) -> str:
        return link_for(subject_kind=self.subject_kind, subject_id=self.subject_id, url=self.url)

    @property
    def text(self) -> str:
        """The title in the reader's language (rows written before titles had an English copy
        have only the Chinese one)."""
        if translation.get_language() == "en" and self.title_en:
            return self.title_en
        return self.title
