from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "finegrid.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from django.urls import reverse

        from finegrid.cases.categories import forget_categories
        from finegrid.cases.models import Category
        from finegrid.cases.selectors import household_cases
        from finegrid.cases.services import cases_sweep
        from finegrid.core import periodic, pii
        from finegrid.notifications import subjects
        from finegrid.registry.panels import HouseholdPanel, register_household_panel

        # a save outside the taxonomy services (a migration, a shell) is seen at once here too
        post_save.connect(forget_categories, sender=Category, dispatch_uid="cases.categories.save")
        post_delete.connect(
            forget_categories, sender=Category, dispatch_uid="cases.categories.delete"
        )
        # the case clocks: colours and escalations are due at minute granularity
        periodic.register("cases-sweep", 60, cases_sweep)
        # the reporter's phone is sealed like the registry's: key rotation must reach it
        pii.register_sealed("cases.Case", [pii.Sealed("reporter_phone_enc")])
        # what a case notice links to: the case page, or for its reporter the follow-up page
        subjects.register("case", lambda pk: reverse("cases:detail", args=[pk]))
        subjects.register("case.follow", lambda code: reverse("track:follow", args=[code]))
        # the household page shows the family's cases without the registry importing cases
        register_household_panel(
            HouseholdPanel("cases", _("Cases"), "cases/_household_cases.html", household_cases)
        )
