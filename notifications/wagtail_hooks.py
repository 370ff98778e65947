"""Labels of the notifications' audit actions in Wagtail's log."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_notification_actions(actions):
    actions.register_action("notifications.delivery.retry", _("Retry delivery"), _("Delivery queued again"))
