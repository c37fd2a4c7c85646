from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Residents take part (居民参与): needs and their lists, deliberations and votes, groups and
    activities, redemptions at partner merchants. Each part registers what it adds to shared
    screens (home cards, demo seeding, periodic jobs) through their registries in ``ready``, as
    care's does."""

    name = "finegrid.participation"
    verbose_name = _("Participation")
