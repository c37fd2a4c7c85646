from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "finegrid.registry"
    verbose_name = _("Population registry")

    def ready(self) -> None:
        import json

        from finegrid.core import pii
        from finegrid.core.pii import Sealed
        from finegrid.registry.panels import HouseholdPanel, register_household_panel

        def care_index(plain: str) -> str:
            return pii.blind_index("care", json.loads(plain)["kind"])

        pii.register_sealed(
            "registry.Person",
            [
                Sealed("id_number_enc", "id_number_index", lambda v: pii.blind_index("id", v)),
                Sealed("phone_enc", "phone_index", lambda v: pii.blind_index("phone", v)),
            ],
        )
        pii.register_sealed("registry.CareTag", [Sealed("payload_enc", "kind_index", care_index)])
        pii.register_sealed("registry.Business", [Sealed("contact_phone_enc")])
        # a slot for the app that records visits (走访): it registers "visits" again, replacing it
        register_household_panel(
            HouseholdPanel(
                "visits", _("Visits"), "registry/_panel_visits.html", lambda **_kw: {}, order=200
            )
        )
