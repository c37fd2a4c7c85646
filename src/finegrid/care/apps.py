from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "finegrid.care"
    verbose_name = _("Care")

    def ready(self) -> None:
        from finegrid.care.demo import seed
        from finegrid.core import periodic, pii, seeding

        seeding.register("care", seed, order=20)  # after the workforce (order 10)

        pii.register_sealed("care.FamilyContact", [pii.Sealed("phone_enc")])
        pii.register_sealed("care.Outbound", [pii.Sealed("phone_enc")])

        from finegrid.care import cards, outbox, services, services_devices

        cards.register()
        from finegrid.care.ready_daily import register_daily

        # daily care and meal rounds: their sweeps, notification links and the rider's landing
        register_daily()

        # the chain's clocks and the outbox: tight loops, so an escalation fires within a second
        # of its deadline and an alert leaves within a fraction of a second of being written
        periodic.register("care-escalate", 0.5, services.calls_sweep)
        periodic.register("care-outbox", 0.25, outbox.outbox_drain)
        # devices gone quiet or low on battery: a check for the worker
        periodic.register("care-device-checks", 300, services_devices.device_checks_sweep)
