from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "finegrid.workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from finegrid.cases import routing
        from finegrid.core import pii, seeding
        from finegrid.grids import landing
        from finegrid.workforce import cards_patrols, hooks, rollups
        from finegrid.workforce.demo import seed
        from finegrid.workforce.selectors_dutylists import case_route
        from finegrid.workforce.selectors_home import worker_landing
        from finegrid.workforce.services_shifts import SHIFT_RULES
        from finegrid.workforce.services_stations import station_hours_rule

        seeding.register("workforce", seed, order=10)
        # case routing reads the duty lists (一清单) without cases importing the workforce
        routing.register(case_route)
        # grid workers land on today's work (their home), not on the map
        landing.register(worker_landing)
        pii.register_sealed(
            "workforce.Worker",
            [pii.Sealed("phone_enc", "phone_index", lambda v: pii.blind_index("phone", v))],
        )
        # a station's opening hours join the shared shift rules; coverage and workload move
        # with each check-in. Registered here, once, not as a side effect of an import.
        if station_hours_rule not in SHIFT_RULES:
            SHIFT_RULES.append(station_hours_rule)
        if rollups.on_checkin not in hooks.ON_CHECKIN:
            hooks.ON_CHECKIN.append(rollups.on_checkin)
        cards_patrols.register()
