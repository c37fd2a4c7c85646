from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "finegrid.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from finegrid.cases.categories import forget_categories
        from finegrid.cases.models import Category
        from finegrid.cases.services import cases_sweep
        from finegrid.core import periodic, pii

        # a save outside the taxonomy services (a migration, a shell) is seen at once here too
        post_save.connect(forget_categories, sender=Category, dispatch_uid="cases.categories.save")
        post_delete.connect(
            forget_categories, sender=Category, dispatch_uid="cases.categories.delete"
        )
        # the case clocks: colours and escalations are due at minute granularity
        periodic.register("cases-sweep", 60, cases_sweep)
        # the reporter's phone is sealed like the registry's: key rotation must reach it
        pii.register_sealed("cases.Case", [pii.Sealed("reporter_phone_enc")])
