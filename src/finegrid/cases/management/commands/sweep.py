from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from finegrid.cases.services import cases_sweep


class Command(BaseCommand):
    help = "Recolour and escalate cases whose clock is due. 事件时限巡检。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=float, default=0, help="run every N seconds until stopped"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        while True:
            counts = cases_sweep()
            if counts["checked"] or not opts["loop"]:
                self.stdout.write(", ".join(f"{k} {v}" for k, v in counts.items()))
            if not opts["loop"]:
                return
            time.sleep(opts["loop"])
