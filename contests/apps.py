"""The contests app: skill contests (基本功大赛) with categories, rounds, entrants, judges and scores."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Contests")

    def ready(self):
        from credits.sources import register_source

        from . import receivers, renewals, sources

        receivers.connect()
        renewals.connect()
        # Participation hours become credit bank records, issued by the entrant's region.
        register_source("contest", sources.describe_entrants)
