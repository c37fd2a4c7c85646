from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "finegrid.open311"
    verbose_name = _("Open311 GeoReport v2")

    def ready(self) -> None:
        from finegrid.core.views import register_answer
        from finegrid.open311.errors import error_answer

        # an address under /open311/v2/ that matches no resource still answers the spec's errors
        register_answer("/open311/", error_answer)
