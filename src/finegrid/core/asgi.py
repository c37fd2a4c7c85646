"""Django's ASGI handler with its synchronous work on a fixed set of threads.

Django runs each request's synchronous code (our views, the ORM) in a thread made for that request
and thrown away after it. Every request therefore opens a new database connection and closes it
again — on SQLite the connection's functions, pragmas and schema are set up anew each time, on
PostgreSQL a new server process starts. Here each request is given one of a few long-lived
threads instead (the least busy), so a thread keeps its connection from request to request
(``CONN_MAX_AGE``). asgiref's ``ThreadSensitiveContext(executor=...)`` is the documented way to
choose the thread. See docs/decisions/0004-serving-writes.md.

WebSockets (Channels) are let in from pages of this site only: ``SameSiteOriginValidator``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.db import connections


class PooledASGIHandler(ASGIHandler):
    def __init__(self, threads: int) -> None:
        super().__init__()
        if threads < 1:
            raise ValueError("threads must be at least 1")
        # one worker each: a thread-sensitive executor must run one call at a time
        self.executors = [
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"finegrid-http-{i}")
            for i in range(threads)
        ]
        self.in_flight = [0] * threads

    def close(self) -> None:
        """Close each thread's database connections and stop the threads (server shutdown)."""
        for executor in self.executors:
            executor.submit(connections.close_all).result()
            executor.shutdown()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django serves only HTTP here, not {scope['type']}.")
        # The event loop runs one task at a time, so these counters need no lock.
        slot = min(range(len(self.in_flight)), key=self.in_flight.__getitem__)
        self.in_flight[slot] += 1
        try:
            async with ThreadSensitiveContext(executor=self.executors[slot]):
                await self.handle(scope, receive, send)
        finally:
            self.in_flight[slot] -= 1


class SameSiteOriginValidator(OriginValidator):
    """Channels' ``AllowedHostsOriginValidator``, except that a handshake with no ``Origin`` is
    let through. The check stops another site's page from opening a socket with our session
    cookie; a browser always sends ``Origin`` on a WebSocket handshake, so a request without one
    is not a browser (a device or script with an API token), and the login checks it as usual.
    See docs/decisions/0031-alerts-in-real-time.md."""

    def __init__(self, application: Any) -> None:
        hosts = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not hosts:
            hosts = ["localhost", "127.0.0.1", "[::1]"]
        super().__init__(application, hosts)

    def valid_origin(self, parsed_origin: Any) -> bool:
        return parsed_origin is None or bool(self.validate_origin(parsed_origin))
