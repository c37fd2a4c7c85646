from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from finegrid.core.management.commands.serve import parse_addr, run_server
from finegrid.demo.generator import DEMO_ACCOUNTS
from finegrid.grids.models import Grid


class Command(BaseCommand):
    help = "Migrate, seed the demo street if the database is empty, and serve it. 演示。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--scale", choices=["small", "street"], default="street")
        parser.add_argument("--no-serve", action="store_true", help="set up only")

    def handle(self, *args: Any, **opts: Any) -> None:
        parse_addr(opts["addr"])
        call_command("migrate", verbosity=0, interactive=False)
        if not Grid.objects.exists():
            self.stdout.write("正在生成示例街道… seeding the demo street…")
            call_command("seed", scale=opts["scale"], stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(f"演示账号 / demo logins (密码 password: {settings.DEMO_PASSWORD})")
        for username, _role, label in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {label}")
        self.stdout.write(f"\n打开 open http://{opts['addr']}/")
        if not opts["no_serve"]:
            run_server(opts["addr"])
