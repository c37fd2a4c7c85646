from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "finegrid.workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from finegrid.core import seeding
        from finegrid.workforce.demo import seed

        seeding.register("workforce", seed, order=10)
        # a station's opening hours join the shared shift rules (SHIFT_RULES)
        from finegrid.workforce import services_stations  # noqa: F401
