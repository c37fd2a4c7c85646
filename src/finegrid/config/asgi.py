import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finegrid.config.settings")
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from finegrid.core.asgi import PooledASGIHandler  # noqa: E402

application = PooledASGIHandler(threads=settings.FINEGRID_HTTP_THREADS)
