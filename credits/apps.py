from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = _("Credit bank")

    def ready(self):
        from . import kinds, receivers, renewals

        kinds.register_kinds()
        receivers.connect()
        renewals.connect()
