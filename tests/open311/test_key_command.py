"""finegrid open311-key: create prints the key once and stores only its digest; list; revoke."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from finegrid.open311.models import ApiKey
from tests.conftest import Net
from tests.open311.helpers import post, report_data


def create(*args: str) -> str:
    out = io.StringIO()
    call_command("open311-key", "create", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_create_prints_a_key_and_stores_only_its_digest(net: Net) -> None:
    raw = create("--name", "12345热线对接", "--grid", "C1")
    key = ApiKey.objects.get()
    assert (key.name, key.grid, key.active) == ("12345热线对接", net.c1, True)
    assert key.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(key.prefix) and len(raw) > 30
    stored = [str(v) for v in ApiKey.objects.values_list(flat=False).get()]
    assert raw not in " ".join(stored)
    assert post(Client(), **report_data(raw)).status_code == 201


def test_without_a_grid_the_key_covers_the_single_root(net: Net) -> None:
    create("--name", "街道小程序")
    assert ApiKey.objects.get().grid == net.street


def test_an_unknown_grid_is_refused(net: Net) -> None:
    with pytest.raises(CommandError, match="No grid"):
        create("--name", "x", "--grid", "NOPE")
    assert not ApiKey.objects.exists()


def test_list_shows_keys_without_the_keys_and_revoke_stops_them(net: Net) -> None:
    raw = create("--name", "小程序", "--grid", "S")
    key = ApiKey.objects.get()
    out = io.StringIO()
    call_command("open311-key", "list", stdout=out)
    line = out.getvalue()
    assert "小程序" in line and key.prefix in line and raw not in line and "active" in line

    call_command("open311-key", "revoke", str(key.pk), stdout=io.StringIO())
    key.refresh_from_db()
    assert not key.active and key.revoked_at is not None
    assert post(Client(), **report_data(raw)).status_code == 403
    with pytest.raises(CommandError, match="No key"):
        call_command("open311-key", "revoke", "999", stdout=io.StringIO())
