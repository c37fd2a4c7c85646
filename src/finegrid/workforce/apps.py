from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "finegrid.workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from finegrid.core import seeding
        from finegrid.workforce.demo import seed

        seeding.register("workforce", seed, order=10)

        from finegrid.workforce import cards_patrols, hooks, rollups

        hooks.ON_CHECKIN.append(rollups.on_checkin)
        cards_patrols.register()
