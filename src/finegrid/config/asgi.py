"""The ASGI application: HTTP through Django on the server's fixed threads, WebSockets through
Channels (the worker's alert page, ``/ws/alerts/``)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finegrid.config.settings")
django.setup(set_prefix=False)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from finegrid.care.routing import websocket_urlpatterns  # noqa: E402
from finegrid.core.asgi import PooledASGIHandler, SameSiteOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": PooledASGIHandler(threads=settings.FINEGRID_HTTP_THREADS),
        "websocket": SameSiteOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
