from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from finegrid.accounts.jurisdiction import Scope
from finegrid.grids.models import Level
from finegrid.grids.selectors import grids_export


class Command(BaseCommand):
    help = "Write one level of the net as a GeoJSON FeatureCollection. 导出网格边界。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--level", choices=Level.values, required=True)
        parser.add_argument("--parent", help="only the children of this grid code")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **opts: Any) -> None:
        data = grids_export(
            user=None, level=opts["level"], parent=opts["parent"], scope=Scope((), everything=True)
        )
        text = json.dumps(data, ensure_ascii=False)
        if opts["output"]:
            with open(opts["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stderr.write(f"{len(data['features'])} features → {opts['output']}")
        else:
            self.stdout.write(text)
