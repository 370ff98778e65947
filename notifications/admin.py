from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Delivery, DeliveryStatus, Notification
from .services import deliveries_publish_after_commit


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


@admin.action(description=_("Retry the selected deliveries"))
def retry_deliveries(modeladmin, request, queryset):
    ids = list(queryset.filter(status__in=[DeliveryStatus.DEAD, DeliveryStatus.FAILED]).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.PENDING, due_at=timezone.now(), attempts=0)
    deliveries_publish_after_commit(delivery_ids=ids)
    messages.success(request, _("%(count)d deliveries queued again.") % {"count": len(ids)})


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "status", "attempts", "due_at", "sent_at", "last_error"]
    list_filter = ["status", "channel"]
    list_select_related = ["notification"]
    raw_id_fields = ["notification"]
    actions = [retry_deliveries]
