"""The API app: personal tokens, idempotent writes and version 1 of the API (`api.v1`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from allauth.account import signals

        from .services import on_password_changed

        for name in ("password_changed", "password_set", "password_reset"):
            getattr(signals, name).connect(on_password_changed, dispatch_uid=f"api.tokens.{name}")
