"""Labels of the notifications' audit actions in Wagtail's log, and what notifications add to Wagtail's admin."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component


@hooks.register("register_log_actions")
def register_notification_actions(actions):
    actions.register_action("notifications.delivery.retry", _("Retry delivery"), _("Delivery queued again"))


class DeliveryProblemsPanel(Component):
    """Failing and dead e-mails on the Wagtail dashboard of staff, linked to the Django admin where they are retried."""

    name = "delivery_problems"
    template_name = "notifications/admin/delivery_problems_panel.html"
    order = 90

    def get_context_data(self, parent_context=None):
        from .selectors import delivery_problem_counts

        changelist = reverse("admin:notifications_delivery_changelist")
        return {
            "counts": delivery_problem_counts(),
            "failed_url": f"{changelist}?status__exact=failed",
            "dead_url": f"{changelist}?status__exact=dead",
        }


@hooks.register("construct_homepage_panels")
def add_delivery_problems_panel(request, panels):
    # Only staff reach the Django admin, where deliveries are retried.
    if request.user.is_staff or request.user.is_superuser:
        panels.append(DeliveryProblemsPanel())
