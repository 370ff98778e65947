"""The accounts app: people, regions, schools, profiles and the allauth adapter."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and schools")

    def ready(self):
        from . import middleware, two_factor

        two_factor.register_account_powers()
        middleware.connect_signals()
