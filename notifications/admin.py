"""Django admin for notifications and deliveries: dead deliveries are visible and retryable there."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import Delivery, DeliveryStatus, Notification, NotificationPreference, QuietHours
from .services import deliveries_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


@admin.action(description=_("Retry the selected deliveries"))
def retry_deliveries(modeladmin, request, queryset):
    ids = list(queryset.filter(status__in=[DeliveryStatus.DEAD, DeliveryStatus.FAILED]).values_list("pk", flat=True))
    count = deliveries_retry(acting_user=request.user, delivery_ids=ids)
    messages.success(request, _("%(count)d deliveries queued again.") % {"count": count})


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "status", "attempts", "failing_since", "due_at", "sent_at", "last_error"]
    list_filter = ["status", "channel"]
    list_select_related = ["notification"]
    raw_id_fields = ["notification", "digest"]
    search_fields = ["notification__recipient__email", "last_error"]
    actions = [retry_deliveries]
    # The status filter shows how many are failing (retried by themselves) and dead (retry them here).
    show_facets = admin.ShowFacets.ALWAYS


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel", "cadence"]
    list_filter = ["kind", "cadence"]
    raw_id_fields = ["user"]


@admin.register(QuietHours)
class QuietHoursAdmin(admin.ModelAdmin):
    list_display = ["user", "enabled", "start", "end"]
    raw_id_fields = ["user"]
