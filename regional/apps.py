from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionalConfig(AppConfig):
    name = "regional"
    verbose_name = _("Regional offices")

    def ready(self):
        from . import renewals

        renewals.connect()
