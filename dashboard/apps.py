"""The dashboard app: each person's start page and the coordinator's cohort overview."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from . import renewals

        renewals.connect()
