from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from finegrid.demo.generator import SCALES, seed
from finegrid.grids.models import Grid


class Command(BaseCommand):
    help = "Generate a street (or the city net) into an empty database. 生成示例街道。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="street")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same street")

    def handle(self, *args: Any, **opts: Any) -> None:
        if Grid.objects.exists():
            raise CommandError(
                "数据库中已有网格，不能再次生成。The database already holds grids; "
                "seed an empty database (delete var/finegrid.sqlite3 for the embedded one)."
            )
        started = time.perf_counter()
        counts = seed(
            scale_name=opts["scale"], seed_value=opts["seed"], password=settings.DEMO_PASSWORD
        )
        took = time.perf_counter() - started
        summary = ", ".join(f"{k} {v:,}" for k, v in counts.items())
        self.stdout.write(
            f"seeded {opts['scale']} (seed {opts['seed']}) in {took:.1f} s: {summary}"
        )
