"""The API app: personal tokens, idempotent writes and version 1 of the API (`api.v1`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")
