from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from finegrid.core.errors import InvalidInput
from finegrid.grids.models import Level
from finegrid.grids.services import grids_import_geojson


class Command(BaseCommand):
    help = "Create or redraw grids from a GeoJSON FeatureCollection, all or nothing. 导入网格边界。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--level", choices=Level.values)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            with open(opts["file"], encoding="utf-8") as fh:
                collection = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取 / cannot read {opts['file']}: {exc}") from None
        try:
            report = grids_import_geojson(collection=collection, level=opts["level"])
        except InvalidInput as exc:
            for p in exc.problems:
                where = f"feature {p.row} " if p.row is not None else ""
                d = p.as_dict()
                self.stderr.write(f"{where}{p.field or ''}: {d['message']} / {d['message_en']}")
            raise CommandError(
                f"{len(exc.problems)} 个问题，未写入 / problem(s), nothing written"
            ) from None
        self.stdout.write(f"created {report.created}, updated {report.updated}")
