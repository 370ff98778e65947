"""The notifications app; registers the built-in kinds and the security messages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import kinds, security

        kinds.register_builtin_kinds()
        security.connect_security_signals()
