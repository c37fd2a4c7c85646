"""Open311 API keys. A key is bound to one grid: it may report only within that subtree."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from finegrid.core.models import BaseModel
from finegrid.grids.models import Grid


class ApiKey(BaseModel):
    """An Open311 client's key. Only its SHA-256 is kept: a stolen database yields no key.

    The key itself carries 192 random bits, so an unsalted digest cannot be reversed by
    guessing, and it can be looked up directly by its digest.
    """

    name = models.CharField(_("issued to"), max_length=100)
    # The first characters of the key, shown in lists so that an operator can tell keys apart.
    prefix = models.CharField(_("key begins with"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    grid = models.ForeignKey(
        Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    active = models.BooleanField(_("active"), default=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
