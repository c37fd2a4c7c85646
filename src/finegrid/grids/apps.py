from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "finegrid.grids"
    verbose_name = _("Grids")

    def ready(self) -> None:
        from finegrid.core import startup
        from finegrid.grids.selectors import point_index_cache

        startup.register("point index", point_index_cache.get)
