from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "finegrid.workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from finegrid.core import pii, seeding
        from finegrid.workforce.demo import seed

        seeding.register("workforce", seed, order=10)
        pii.register_sealed(
            "workforce.Worker",
            [pii.Sealed("phone_enc", "phone_index", lambda v: pii.blind_index("phone", v))],
        )
