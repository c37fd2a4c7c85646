"""Open311 API keys, bound to a grid's jurisdiction.

    finegrid open311-key create --name NAME [--grid CODE]   prints the key, once
    finegrid open311-key list
    finegrid open311-key revoke ID

Only the key's SHA-256 is stored: a lost key cannot be shown again, only revoked and replaced.
Without ``--grid`` the key covers the whole net, if the net has a single root (the street).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from finegrid.core.errors import InvalidInput
from finegrid.grids.models import Grid
from finegrid.open311 import services
from finegrid.open311.models import ApiKey


class Command(BaseCommand):
    help = "Create, list and revoke Open311 API keys."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a key and print it.")
        create.add_argument("--name", required=True, help="Who the key is for.")
        create.add_argument("--grid", default="", help="Code of the grid the key may report in.")
        actions.add_parser("list", help="List the keys (never the keys themselves).")
        revoke = actions.add_parser("revoke", help="Revoke a key by its id.")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options["name"], options["grid"])
        elif action == "list":
            self._list()
        else:
            self._revoke(options["id"])

    def _create(self, name: str, code: str) -> None:
        if code:
            grid = Grid.objects.filter(code=code).first()
            if grid is None:
                raise CommandError(f"No grid with the code {code!r}.")
        else:
            roots = list(Grid.objects.filter(parent__isnull=True)[:2])
            if len(roots) != 1:
                raise CommandError("Give --grid CODE: the net has no single root grid.")
            grid = roots[0]
        try:
            key, raw = services.api_key_create(name=name, grid=grid)
        except InvalidInput as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(raw)
        self.stderr.write(
            f"Key {key.pk} ({key.name}) for {grid.name} ({grid.code}). "
            "It is shown only this once: give it to the client now."
        )

    def _list(self) -> None:
        for key in ApiKey.objects.select_related("grid").order_by("id"):
            state = "active" if key.active else "revoked"
            self.stdout.write(
                f"{key.pk}\t{key.prefix}…\t{key.name}\t{key.grid.code}\t{state}\t"
                f"{key.created_at:%Y-%m-%d}"
            )

    def _revoke(self, pk: int) -> None:
        key = ApiKey.objects.filter(pk=pk).first()
        if key is None:
            raise CommandError(f"No key with the id {pk}.")
        services.api_key_revoke(key=key)
        self.stdout.write(f"Key {key.pk} ({key.name}) is revoked.")
