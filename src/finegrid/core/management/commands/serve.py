from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def parse_addr(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"--addr 应为 主机:端口 / --addr must be HOST:PORT, got {addr!r}")
    return host, int(port)


def run_server(addr: str) -> None:
    import uvicorn

    from finegrid.grids.selectors import point_index_cache

    host, port = parse_addr(addr)
    # Build the point index before taking requests, so no caller waits for it (seconds at city
    # scale; milliseconds for a street).
    point_index_cache.get()
    uvicorn.run("finegrid.config.asgi:application", host=host, port=port, log_level="warning")


class Command(BaseCommand):
    help = "Serve finegrid over ASGI (uvicorn). 启动服务。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"finegrid serving on http://{opts['addr']}/")
        run_server(opts["addr"])
