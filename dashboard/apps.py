from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from training.pairings import register_pairing_source

        from . import signals
        from .pairings import mentorship_pairs

        register_pairing_source("mentorship", mentorship_pairs)
        signals.connect()
