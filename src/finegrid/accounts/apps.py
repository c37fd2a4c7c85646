from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "finegrid.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from finegrid.accounts.models import ApiToken, RoleAssignment, User
        from finegrid.accounts.tokens import tokens_changed

        # A token deleted, a user deactivated or a role withdrawn is refused at once in this
        # process; other processes re-read within a second (accounts/tokens.py).
        for model in (ApiToken, User, RoleAssignment):
            name = model._meta.model_name
            post_save.connect(tokens_changed, sender=model, dispatch_uid=f"accounts.{name}.save")
            post_delete.connect(
                tokens_changed, sender=model, dispatch_uid=f"accounts.{name}.delete"
            )
