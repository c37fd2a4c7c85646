from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from finegrid.accounts.models import User
from finegrid.core.management.commands.serve import parse_addr, run_server
from finegrid.demo.generator import DEMO_ACCOUNTS
from finegrid.grids.models import Grid


def _password_line() -> str:
    """The password the demo logins really have now, not only the one set in the environment.

    The accounts get their password when the street is seeded; a later FINEGRID_DEMO_PASSWORD, or
    a password changed on the site, does not change them, so say which one holds.
    """
    password = settings.DEMO_PASSWORD
    leader = User.objects.filter(username=DEMO_ACCOUNTS[0][0]).first()
    if leader is None or leader.check_password(password):
        return f"演示账号 / demo logins (密码 password: {password})"
    return (
        f"演示账号 / demo logins — 密码已不是 {password}：账号在生成示例街道时设定密码，"
        "之后的更改不影响它们；删除 var/ 重新生成，或用 `finegrid changepassword` 修改。\n"
        f"the password is no longer {password}: the logins got theirs when the street was "
        "seeded, and later changes do not reach them; remove var/ to seed again, or use "
        "`finegrid changepassword`."
    )


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
        self.stdout.write(_password_line())
        for username, _role, label in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {label}")
        self.stdout.write(f"\n打开 open http://{opts['addr']}/")
        if not opts["no_serve"]:
            run_server(opts["addr"])
