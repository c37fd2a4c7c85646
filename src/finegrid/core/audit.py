"""Recording acts on personal information (DESIGN: every unmasking is an audited act)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.http import HttpRequest

from finegrid.core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Origin:
    """Where an audited act came from, as the audit row keeps it. A view makes it from the
    request (``Origin.of(request)``) and hands it to the service, so services never see the
    request; work done later for a request (a background import) keeps it as it was."""

    ip: str | None = None

    @classmethod
    def of(cls, request: HttpRequest | None) -> Origin:
        return cls(ip=client_ip(request))


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    label: str = "",
    fields: Iterable[str] = (),
    reason: str = "",
    origin: Origin | None = None,
    request: HttpRequest | None = None,
    ip: str | None = None,
    grid_path: str = "",
) -> AuditEvent:
    """One audit row, written in the caller's transaction so it commits with the act. Give the
    act's ``origin``; ``request`` and ``ip`` are the older ways to say the same, kept while
    services still taking a request move to ``Origin``."""
    if target is not None:
        target_type = target_type or target._meta.model_name or ""
        target_id = target_id or str(target.pk)
        label = label or str(target)[:120]
        grid_path = grid_path or getattr(target, "grid_path", "")
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=label[:120],
        fields=sorted(fields),
        reason=reason[:200],
        ip=(origin.ip if origin is not None else None) or ip or client_ip(request),
        grid_path=grid_path,
    )


@cache
def _verbose_names() -> dict[str, Any]:
    return {m._meta.model_name or "": m._meta.verbose_name for m in apps.get_models()}


def target_type_label(target_type: str) -> str:
    """What kind of thing an audit row is about, in the reader's language (the row stores the
    model's name, which reads as English code)."""
    return str(_verbose_names().get(target_type, target_type))
