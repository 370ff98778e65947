"""Reads for the sender's pages: their announcements and how each fared."""

from django.db.models import Count, Q
from django.http import Http404

from notifications.models import Delivery, DeliveryStatus, Notification

from .models import Announcement


def announcement_list_for_sender(*, user):
    return Announcement.objects.filter(sender=user).select_related("cohort", "region").order_by("-created_at", "-pk")


def announcement_get_for_sender(*, user, announcement_id) -> Announcement:
    announcement = announcement_list_for_sender(user=user).filter(pk=announcement_id).first()
    if announcement is None:
        raise Http404
    return announcement


def announcement_get_for_reader(*, user, announcement_id) -> Announcement:
    """An announcement the person received (or sent), or 404."""
    from django.contrib.contenttypes.models import ContentType

    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        raise Http404
    received = Notification.objects.filter(
        recipient=user,
        target_type=ContentType.objects.get_for_model(Announcement),
        target_id=announcement.pk,
    ).exists()
    if not received and announcement.sender_id != user.pk:
        raise Http404
    return announcement


def announcement_figures(*, announcement: Announcement) -> dict:
    """Delivered, read and failed, from the messages and their outbox rows, in two queries."""
    from django.contrib.contenttypes.models import ContentType

    messages = Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(Announcement), target_id=announcement.pk
    )
    inbox = messages.aggregate(total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
    outbox = Delivery.objects.filter(notification__in=messages).aggregate(
        delivered=Count("pk", filter=Q(status__in=[DeliveryStatus.SENT, DeliveryStatus.DIGESTED])),
        waiting=Count(
            "pk", filter=Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.DIGEST])
        ),
        failed=Count("pk", filter=Q(status__in=[DeliveryStatus.FAILED, DeliveryStatus.DEAD])),
    )
    return {**inbox, **outbox}
